// Covers the adapter library as a new user meets it, with AdaptersState wired as in the app
// (browserAdaptersDeps: the REAL intake and inspector) on a REAL IndexedDB test database, a REAL
// CatalogState with the SwiftShader GPU probe (no shader-f16), and no base downloaded: an adapter
// whose config says r: 64 over rank-4 tensors shows its problems at once and cannot be derived; the
// preselected base is one this GPU can run, and a base it cannot run is marked with a runnable
// suggestion; a failed add clears the previous adapter's report; library names tell adapters apart
// and can be renamed; a Hub download that cannot reach the server names the URL and what to do.
import { afterEach, describe, expect, test } from 'vitest';
import { flushSync } from 'svelte';
import AdaptersPanel from '../../../src/components/adapters/AdaptersPanel.svelte';
import type { ModelRecordLike } from '../../../src/domain/catalog/types.ts';
import { toCatalogEntry } from '../../../src/domain/catalog/parse-record.ts';
import { parseHubRef } from '../../../src/domain/webllm-cache/index.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { listAdapters } from '../../../src/storage/repos/adapters.ts';
import { AdaptersState, browserAdaptersDeps } from '../../../src/state/adapters.svelte.ts';
import { CatalogState } from '../../../src/state/catalog.svelte.ts';
import { EngineState } from '../../../src/state/engine.svelte.ts';
import { HubFetchError, fetchHubAdapter } from '../../../src/util/browser/hub-fetch.ts';
import { buildPeftAdapter, tinyArch, type PeftAdapter } from '../../factories/tiny-models.ts';
import { SWIFTSHADER_PROBE, TestLocalEngine } from '../state/test-engines.ts';
import { button, render } from '../components/helpers.ts';

const opened: { db: TuneDb; name: string; engine: EngineState }[] = [];
afterEach(async () => {
	for (const o of opened.splice(0)) {
		o.engine.destroy();
		o.db.close();
		await indexedDB.deleteDatabase(o.name);
	}
});

const record = (id: string): ModelRecordLike => ({
	model: `https://example.test/${id}`,
	model_id: id,
	model_lib: `https://example.test/${id}.wasm`
});
const F16 = 'TinyLlama-X-q0f16-MLC';
const F32 = 'TinyLlama-X-q0f32-MLC';
const Q4F16 = 'TinyLlama-X-q4f16_1-MLC';

async function world(ids = [F16, F32, Q4F16]) {
	const name = `adapters-everyday-${crypto.randomUUID()}`;
	const db = await openDb(name);
	const engine = new EngineState({
		db,
		createLocal: async () => new TestLocalEngine(),
		createRemote: () => Promise.reject(new Error('no endpoint in this test')),
		probeGpu: async () => SWIFTSHADER_PROBE,
		storageEstimate: async () => ({ usageBytes: null, quotaBytes: null, persisted: null }),
		requestPersistence: async () => false
	});
	opened.push({ db, name, engine });
	await engine.start();
	const catalog = new CatalogState(db, engine);
	await catalog.start(async () => ids.map((id) => toCatalogEntry(record(id))));
	// no base is downloaded: the compatibility verdict cannot be computed
	const adapters = new AdaptersState({ ...browserAdaptersDeps(db, catalog, engine), readBaseFiles: async () => null });
	await adapters.start();
	return { db, adapters, catalog };
}

function files(a: PeftAdapter, folder?: string): File[] {
	return ['adapter_config.json', 'adapter_model.safetensors'].map((n) => {
		const f = new File([a.files.get(n)! as Uint8Array<ArrayBuffer>], n);
		if (folder) Object.defineProperty(f, 'webkitRelativePath', { value: `${folder}/${n}` });
		return f;
	});
}

function adapter(extraConfig: Record<string, unknown> = {}): PeftAdapter {
	return buildPeftAdapter(tinyArch('llama'), {
		targets: ['q_proj', 'v_proj'],
		rank: 4,
		alpha: 8,
		dtype: 'F32',
		extraConfig: { base_model_name_or_path: 'TinyOrg/TinyLlama-X', ...extraConfig }
	});
}

describe('An adapter whose config says r: 64 over rank-4 tensors', () => {
	test('shows every problem at once before any base is downloaded, and Derive is disabled', async () => {
		const w = await world();
		await w.adapters.addFiles(files(adapter({ r: 64 }), 'wrong-rank'));
		expect(w.adapters.error).toBeNull();
		expect(w.adapters.verdict).toBeNull();
		// two modules (q_proj, v_proj) of two layers each carry the wrong rank: 4 problems
		const problems = w.adapters.adapterProblems;
		expect(problems).toHaveLength(tinyArch('llama').layers * 2);
		for (const p of problems) expect(p).toMatch(/config says rank 64/);
		expect(w.adapters.deriveBlockedReason).toMatch(/problem/i);

		const root = render(AdaptersPanel, { adapters: w.adapters, baseIds: w.catalog.entries.map((e) => e.id) });
		const list = root.querySelector('[aria-label="Problems with this adapter"]');
		expect(list?.querySelectorAll('li')).toHaveLength(problems.length);
		expect(button(root, 'Derive model').disabled).toBe(true);
	});

	test('a sound adapter has no problems and, with a runnable base, may be derived', async () => {
		const w = await world();
		await w.adapters.addFiles(files(adapter()));
		expect(w.adapters.adapterProblems).toEqual([]);
		expect(w.adapters.deriveBlockedReason).toBeNull();
	});
});

describe('Choosing the base on a GPU without shader-f16', () => {
	test('the preselected base is the runnable unquantized one, not the q0f16 listed first', async () => {
		const w = await world();
		await w.adapters.addFiles(files(adapter()));
		expect(w.adapters.suggestions).toEqual([F16, F32, Q4F16]);
		expect(w.adapters.baseId).toBe(F32);
	});

	test('a base this GPU cannot run is marked in the picker, blocks Derive and a runnable one is suggested', async () => {
		const w = await world();
		await w.adapters.addFiles(files(adapter()));
		await w.adapters.chooseBase(F16);
		const f16 = w.adapters.baseChoices.find((c) => c.id === F16);
		expect(f16).toMatchObject({ runnable: false, suggested: true });
		expect(f16?.reason).toMatch(/shader-f16/);
		expect(w.adapters.deriveBlockedReason).toMatch(new RegExp(`${F32}`));

		const root = render(AdaptersPanel, { adapters: w.adapters, baseIds: w.catalog.entries.map((e) => e.id) });
		const option = [...root.querySelectorAll('option')].find((o) => o.value === F16);
		expect(option?.textContent).toMatch(/cannot run here/);
		expect(root.textContent).toContain(F32);
		expect(button(root, 'Derive model').disabled).toBe(true);
	});

	test('when no suggested base can run, the base is still preselected and marked, with the reason', async () => {
		const w = await world([F16, Q4F16]);
		await w.adapters.addFiles(files(adapter()));
		expect(w.adapters.baseId).toBe(F16);
		expect(w.adapters.deriveBlockedReason).toMatch(/shader-f16/);
	});
});

describe('A failed add after a good one', () => {
	test('clears the previous adapter so the error is not read as being about it', async () => {
		const w = await world();
		await w.adapters.addFiles(files(adapter(), 'good-lora'));
		expect(w.adapters.current).not.toBeNull();
		await w.adapters.addFiles([new File(['{}'], 'adapter_config.json'), new File([new Uint8Array(8)], 'adapter_model.bin')]);
		expect(w.adapters.error).toMatch(/pickle/);
		expect(w.adapters.current).toBeNull();
		const root = render(AdaptersPanel, { adapters: w.adapters, baseIds: [] });
		expect(root.querySelector('h3')?.textContent).not.toBe('good-lora');
		expect(() => button(root, 'Derive model')).toThrow();
	});
});

describe('Library names', () => {
	test('are the folder name by default, readable sources, and can be renamed', async () => {
		const w = await world();
		await w.adapters.addFiles(files(adapter(), 'my-lora'));
		await w.adapters.addFiles(files(adapter({ lora_alpha: 16 }), 'other-lora'));
		expect(w.adapters.library.map((a) => a.name).sort()).toEqual(['my-lora', 'other-lora']);
		const mine = w.adapters.library.find((a) => a.name === 'my-lora')!;
		expect(AdaptersState.sourceText(mine.source)).toBe('folder my-lora');
		expect(AdaptersState.sourceText({ kind: 'hub', ref: 'owner/name' })).toBe('Hub owner/name');
		await w.adapters.rename(mine.id, '  tone: formal  ');
		expect((await listAdapters(w.db)).find((a) => a.id === mine.id)?.name).toBe('tone: formal');
		expect(w.adapters.library.find((a) => a.id === mine.id)?.name).toBe('tone: formal');
		await w.adapters.rename(mine.id, '   ');
		expect(w.adapters.error).toMatch(/name/i);
		expect(w.adapters.library.find((a) => a.id === mine.id)?.name).toBe('tone: formal');
		flushSync();
	});
});

describe('A Hub adapter download that cannot reach the server', () => {
	test('names the URL and says what to do instead of "Failed to fetch"', async () => {
		const unreachable = (async () => {
			throw new TypeError('Failed to fetch');
		}) as typeof fetch;
		const err = await fetchHubAdapter(parseHubRef('owner/name'), { fetch: unreachable }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(HubFetchError);
		const message = (err as Error).message;
		expect(message).toContain('https://huggingface.co/owner/name/resolve/main/adapter_config.json');
		expect(message).toMatch(/connection/i);
		expect(message).toContain('Failed to fetch');
	});

	test('a cancelled download stays an AbortError (it is not a network failure)', async () => {
		const abort = new AbortController();
		abort.abort();
		const aborting = (async () => {
			throw new DOMException('The user aborted a request.', 'AbortError');
		}) as typeof fetch;
		const err = await fetchHubAdapter(parseHubRef('owner/name'), { fetch: aborting, signal: abort.signal }).catch((e: unknown) => e);
		expect((err as Error).name).toBe('AbortError');
	});
});
