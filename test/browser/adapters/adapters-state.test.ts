// Covers AdaptersState wired as in the app (browserAdaptersDeps) on a REAL IndexedDB test database,
// the REAL derive worker, the REAL web-llm worker behind EngineState and real Cache Storage, with tiny
// models from test/factories: adding adapter files stores a library row (hash, size, config) and an
// inspect report; the suggested base follows base_model_name_or_path (unquantized first); notes are
// editable; derive stores and registers a derived row, lists it in the model picker (label "base +
// LoRA <hash8>", fidelity note) and the cache manager (label, size), also after a restart; deriving
// again reuses it; cancel keeps nothing; run snapshots carry its adapterId; deleting it from the
// cache manager keeps the shared wasm even when the base weights are not cached (control: web-llm's
// own delete takes the wasm); the 4-bit path re-quantizes original + ΔW, and without the originals
// the "original weights" error surfaces in the state.
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { ModelRecordLike } from '../../../src/domain/catalog/types.ts';
import { toCatalogEntry } from '../../../src/domain/catalog/parse-record.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { listAdapters } from '../../../src/storage/repos/adapters.ts';
import { listDerivedModels } from '../../../src/storage/repos/derived-models.ts';
import { AdaptersState, browserAdaptersDeps } from '../../../src/state/adapters.svelte.ts';
import { CatalogState } from '../../../src/state/catalog.svelte.ts';
import { EngineState } from '../../../src/state/engine.svelte.ts';
import { createLocalEngine } from '../../../src/state/engine-factories.ts';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';
import { snapshotForRun } from '../../../src/state/run-snapshot.ts';
import { probeGpu } from '../../../src/util/browser/gpu-probe.ts';
import { storageEstimate } from '../../../src/util/browser/storage-quota.ts';
import { createDeriveClient, type DeriveClient } from '../../../src/workers/derive-client.ts';
import type { DeriveProgressEvent } from '../../../src/workers/derive-protocol.ts';
import {
	buildHfOriginal,
	buildMlcFolder,
	buildPeftAdapter,
	naiveQuantizeQ4,
	tinyArch,
	type MlcQuant,
	type PeftAdapter,
	type PeftOptions,
	type PeftTarget
} from '../../factories/tiny-models.ts';
import { bytesUnder, cacheBase, dropFolder, readCachedTensors, uniqueTag, urlsUnder } from '../lora/cache-fixtures.ts';

const client = createDeriveClient();
afterAll(() => client.dispose());

const ALL: PeftTarget[] = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

interface World {
	db: TuneDb;
	engine: EngineState;
	catalog: CatalogState;
	adapters: AdaptersState;
	deriveCalls: () => number;
	/** Called with every derive progress event the state receives. */
	tap: { onProgress?: (p: DeriveProgressEvent) => void };
}

const opened: { db: TuneDb; name: string; engine: EngineState }[] = [];
afterEach(async () => {
	for (const o of opened.splice(0)) {
		o.engine.destroy();
		o.db.close();
		await indexedDB.deleteDatabase(o.name);
	}
});

/** The app's wiring (App.svelte) on a test database; `name` reuses a database (a restart). */
async function world(bases: ModelRecordLike[], name = `adapters-${crypto.randomUUID()}`): Promise<World> {
	const db = await openDb(name);
	const engine = new EngineState({
		db,
		createLocal: createLocalEngine,
		createRemote: () => Promise.reject(new Error('no endpoint in this test')),
		probeGpu,
		storageEstimate,
		requestPersistence: async () => false
	});
	opened.push({ db, name, engine });
	await engine.start();
	const catalog = new CatalogState(db, engine);
	await catalog.start(async () => bases.map(toCatalogEntry));
	let calls = 0;
	const tap: World['tap'] = {};
	const counting: DeriveClient = {
		derive: (job, o = {}) => {
			calls++;
			return client.derive(job, { ...o, onProgress: (p) => (o.onProgress?.(p), tap.onProgress?.(p)) });
		},
		deleteDerived: (url) => client.deleteDerived(url),
		copyFolder: (a, b) => client.copyFolder(a, b),
		dispose: () => undefined
	};
	const adapters = new AdaptersState({ ...browserAdaptersDeps(db, catalog, engine), deriveClient: async () => counting });
	await adapters.start();
	return { db, engine, catalog, adapters, deriveCalls: () => calls, tap };
}

/** A base in web-llm's cache under a catalog-like id, e.g. "TinyLlama-<tag>-q0f16-MLC". */
async function cachedBase(quant: MlcQuant, label: string, opts: { arch?: ReturnType<typeof tinyArch> } = {}) {
	const arch = opts.arch ?? tinyArch('llama');
	const original = buildHfOriginal(arch, { dtype: 'BF16' });
	const folder = buildMlcFolder(arch, quant, original);
	const tag = uniqueTag(label);
	const rec = await cacheBase(folder.files, tag);
	return { arch, original, folder, record: { ...rec, model_id: `TinyLlama-${tag}-${quant}-MLC` } };
}

function adapterFiles(a: PeftAdapter): File[] {
	return ['adapter_config.json', 'adapter_model.safetensors'].map((n) => new File([a.files.get(n)! as Uint8Array<ArrayBuffer>], n));
}

function peft(arch: ReturnType<typeof tinyArch>, opts: Partial<PeftOptions> = {}): PeftAdapter {
	return buildPeftAdapter(arch, {
		targets: ALL,
		rank: 4,
		alpha: 8,
		dtype: 'F32',
		extraConfig: { base_model_name_or_path: 'TinyOrg/TinyLlama' },
		...opts
	});
}

async function sha256Hex(...parts: Uint8Array[]): Promise<string> {
	const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		all.set(p, at);
		at += p.length;
	}
	const d = new Uint8Array(await crypto.subtle.digest('SHA-256', all));
	return [...d].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('AdaptersState: library', () => {
	test('adding files stores a row with hash, sizes and config; report, suggested base, verdict; notes editable', async () => {
		const q4 = await cachedBase('q4f16_1', 'lib-q4');
		const q0 = await cachedBase('q0f16', 'lib-q0');
		const other = { ...q0.record, model_id: 'Other-Model-q0f16-MLC' };
		const w = await world([q4.record, other, q0.record]);
		const adapter = peft(q0.arch, { targets: ['q_proj', 'v_proj'], layers: [1] });
		await w.adapters.addFiles(adapterFiles(adapter));
		expect(w.adapters.error).toBeNull();

		const cfg = adapter.files.get('adapter_config.json')!;
		const st = adapter.files.get('adapter_model.safetensors')!;
		const id = await sha256Hex(cfg, new Uint8Array([0]), st);
		const rows = await listAdapters(w.db);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			id,
			sizeBytes: cfg.length + st.length,
			config: adapter.config,
			files: [
				{ name: 'adapter_config.json', hash: await sha256Hex(cfg), sizeBytes: cfg.length },
				{ name: 'adapter_model.safetensors', hash: await sha256Hex(st), sizeBytes: st.length }
			]
		});
		expect(w.adapters.library.map((r) => r.id)).toEqual([id]);

		const report = w.adapters.current!.report;
		expect(report.targets).toEqual(['q_proj', 'v_proj']);
		expect(report.layers).toEqual([1]);
		expect(report.baseModelNameOrPath).toBe('TinyOrg/TinyLlama');
		expect(report.modules).toHaveLength(2);

		// "TinyLlama-" ids only, the unquantized one first (it merges exactly), and it is chosen
		expect(w.adapters.suggestions).toEqual([q0.record.model_id, q4.record.model_id]);
		expect(w.adapters.baseId).toBe(q0.record.model_id);
		expect(w.adapters.verdict).toMatchObject({ ok: true, needsOriginal: false });
		await w.adapters.chooseBase(q4.record.model_id);
		expect(w.adapters.verdict).toMatchObject({ needsOriginal: true });

		await w.adapters.setNotes(id, 'tone: formal');
		expect((await listAdapters(w.db))[0].notes).toBe('tone: formal');
		expect(w.adapters.library[0].notes).toBe('tone: formal');

		// adding the same files again keeps one row (content-addressed) and the notes
		await w.adapters.addFiles(adapterFiles(adapter));
		expect((await listAdapters(w.db)).map((r) => [r.id, r.notes])).toEqual([[id, 'tone: formal']]);
	});

	test('a pickle adapter is refused in the state with the reason, nothing stored', async () => {
		const w = await world([]);
		await w.adapters.addFiles([new File(['{}'], 'adapter_config.json'), new File([new Uint8Array(8)], 'adapter_model.bin')]);
		expect(w.adapters.error).toMatch(/pickle/);
		expect(await listAdapters(w.db)).toEqual([]);
	});
});

describe('AdaptersState: derived models', () => {
	test('derive stores, registers and lists the model (picker, cache manager, restart); again → reused', async () => {
		const base = await cachedBase('q0f16', 'derive');
		const w = await world([base.record]);
		const adapter = peft(base.arch);
		await w.adapters.addFiles(adapterFiles(adapter));
		const adapterId = w.adapters.current!.id;
		await w.adapters.derive();
		expect(w.adapters.error).toBeNull();
		expect(w.deriveCalls()).toBe(1);

		const rows = await listDerivedModels(w.db);
		expect(rows).toHaveLength(1);
		const row = rows[0];
		expect(row).toMatchObject({ baseModelId: base.record.model_id, adapterId, scale: 1 });
		expect(row.id).toBe(`${base.record.model_id}+lora-${adapterId.slice(0, 12)}`);
		expect(w.adapters.lastDerivedId).toBe(row.id);
		// an overlay: the small files and only the changed shards (the rest are the base's cached shards)
		const ownTc = (await (
			await caches.open('webllm/model')
		).match(new URL('tensor-cache.json', (row.record as { model: string }).model).href))!;
		const ownShards = ((await ownTc.json()) as { records: { dataPath: string }[] }).records.filter((s) => !/^https?:/.test(s.dataPath));
		const smallFiles = [...base.folder.files.keys()].filter((n) => !n.endsWith('.bin')).length;
		expect(await urlsUnder((row.record as { model: string }).model)).toHaveLength(smallFiles + ownShards.length);
		expect(row.overlayOf).toBe(base.record.model);

		// registered with the real web-llm worker: it lists the model as cached, with its size
		const label = `${base.record.model_id} + LoRA ${adapterId.slice(0, 8)}`;
		const folder = (row.record as { model: string }).model;
		const cached = w.engine.cached.find((c) => c.id === row.id);
		expect(cached).toBeDefined();
		expect(cached!.label).toBe(label);
		// the derived files plus the shared wasm (4 bytes in the fixture), as for any cached model
		expect(cached!.sizeBytes).toBe((await bytesUnder(folder)) + 4);

		// in the model picker, labelled, with the fidelity summary next to it
		const option = w.catalog.options.find((o) => o.id === row.id);
		expect(option?.label).toBe(label);
		// an unquantized base carries the adapter exactly: gain 1, subspace error 0 (to two decimals)
		expect(option?.verdict.note).toBe(`LoRA merged into ${adapter.modules.length} modules: gain 1.00–1.00, max subspace error 0.00`);

		// derive again: reused, no second derivation
		await w.adapters.derive();
		expect(w.deriveCalls()).toBe(1);
		expect(await listDerivedModels(w.db)).toHaveLength(1);

		// runs made with it record the adapter
		const info = { kind: 'webllm' as const, version: 't' };
		expect(snapshotForRun(new RecipeEditor(), null, info, row.id, null, w.adapters.adapterIdOf(row.id)).adapterId).toBe(adapterId);
		expect(w.adapters.adapterIdOf(base.record.model_id)).toBeUndefined();

		// a restart: listed in the picker and the cache manager from start-up (no "Chat with it")
		const name = `adapters-restart-${crypto.randomUUID()}`;
		const fresh = await world([base.record], name);
		await fresh.db.derivedModels.put(row);
		const again = await world([base.record], name);
		expect(again.catalog.options.find((o) => o.id === row.id)?.label).toBe(label);
		expect(again.engine.cached.find((c) => c.id === row.id)?.label).toBe(label);
	});

	test('cancel mid-way keeps nothing: no row, no cached URL, a clear message', async () => {
		const big = tinyArch('llama', { layers: 6, hidden: 128, intermediate: 256, heads: 8, kvHeads: 4 });
		const base = await cachedBase('q0f16', 'cancel', { arch: big });
		const w = await world([base.record]);
		await w.adapters.addFiles(adapterFiles(peft(big, { rank: 8, alpha: 16 })));
		let cancelled = false;
		w.tap.onProgress = (p) => {
			if (p.phase === 'derive' && p.doneBytes > 0 && !cancelled) {
				cancelled = true;
				w.adapters.cancel();
			}
		};
		await w.adapters.derive();
		expect(cancelled).toBe(true);
		expect(w.adapters.error).toBe('Cancelled: nothing was kept.');
		expect(await listDerivedModels(w.db)).toEqual([]);
		expect(w.adapters.derived).toEqual([]);
		expect(await urlsUnder(`${location.origin}/derived/${base.record.model_id}+lora-`)).toEqual([]);
	});

	test('deleting a derived model from the cache manager keeps the shared wasm when the base is not cached', async () => {
		const base = await cachedBase('q0f16', 'del');
		const w = await world([base.record]);
		await w.engine.registerModels([base.record]);
		await w.adapters.addFiles(adapterFiles(peft(base.arch)));
		await w.adapters.derive();
		const row = (await listDerivedModels(w.db))[0];
		const folder = (row.record as { model: string }).model;
		// the base is no longer cached for web-llm (no tensor-cache.json) but its shards, which the overlay reads, and wasm are
		await (await caches.open('webllm/model')).delete(new URL('tensor-cache.json', base.record.model).href);
		await w.engine.refreshStorage();
		expect(w.engine.cached.map((c) => c.id)).toEqual([row.id]);

		await w.engine.deleteCached(row.id); // what CacheManager's Delete button calls
		const wasm = await caches.open('webllm/wasm');
		expect(await wasm.match(base.record.model_lib)).toBeDefined();
		expect(await urlsUnder(folder)).toEqual([]);
		expect(await listDerivedModels(w.db)).toEqual([]);
		expect(w.engine.cached).toEqual([]);
		expect(w.catalog.options.some((o) => o.id === row.id)).toBe(false);
	});

	test('control: web-llm’s own delete of the same setup takes the shared wasm', async () => {
		const base = await cachedBase('q0f16', 'del-control');
		const w = await world([base.record]);
		await w.adapters.addFiles(adapterFiles(peft(base.arch)));
		await w.adapters.derive();
		const row = (await listDerivedModels(w.db))[0];
		await dropFolder(base.record.model);
		const raw = await createLocalEngine();
		try {
			await raw.registerModels([base.record, row.record as unknown as ModelRecordLike]);
			await raw.deleteCached(row.id);
		} finally {
			raw.dispose();
		}
		expect(await (await caches.open('webllm/wasm')).match(base.record.model_lib)).toBeUndefined();
	});
});

describe('AdaptersState: 4-bit bases', () => {
	const q = (a: ReturnType<typeof tinyArch>) => a.heads * a.headDim;
	const kvOf = (a: ReturnType<typeof tinyArch>) => a.kvHeads * a.headDim;

	test('q4f16_1 + original files → k rows equal quantize(W_orig + ΔW); other rows keep their codes', async () => {
		const base = await cachedBase('q4f16_1', 'q4');
		const w = await world([base.record]);
		const adapter = peft(base.arch, { targets: ['k_proj'], layers: [1], valueScale: 0.3 });
		await w.adapters.addFiles(adapterFiles(adapter));
		expect(w.adapters.verdict).toMatchObject({ ok: true, needsOriginal: true });
		const originals = [new File([base.original.files.get('model.safetensors')! as Uint8Array<ArrayBuffer>], 'model.safetensors')];
		await w.adapters.derive({ kind: 'files', files: originals });
		expect(w.adapters.error).toBeNull();
		const row = (await listDerivedModels(w.db))[0];
		const got = await readCachedTensors((row.record as { model: string }).model);

		const a = base.arch;
		const k = adapter.modules[0];
		const s = k.alpha / k.rank;
		const wk = base.original.tensors.get('model.layers.1.self_attn.k_proj.weight')!.values;
		const merged = new Float32Array(wk.length);
		for (let o = 0; o < k.outFeatures; o++)
			for (let i = 0; i < k.inFeatures; i++) {
				let d = 0;
				for (let r = 0; r < k.rank; r++) d += k.b[o * k.rank + r] * k.a[r * k.inFeatures + i];
				merged[o * k.inFeatures + i] = wk[o * k.inFeatures + i] + s * d;
			}
		const want = naiveQuantizeQ4(merged, kvOf(a), a.hidden, true);
		const words = a.hidden / 8;
		const name = 'model.layers.1.self_attn.qkv_proj.q_weight';
		const gotWords = new Uint32Array(got.get(name)!.bytes.slice().buffer);
		const baseWords = base.folder.params.get(name)!.words!;
		const gotK = gotWords.subarray(q(a) * words, (q(a) + kvOf(a)) * words);
		let same = 0;
		let moved = 0;
		for (let i = 0; i < gotK.length; i++) {
			if (gotK[i] === want.qWeight[i]) same++;
			if (gotK[i] !== baseWords[q(a) * words + i]) moved++;
		}
		expect(same / gotK.length).toBeGreaterThan(0.99);
		expect(moved).toBeGreaterThan(0);
		expect(gotWords.subarray(0, q(a) * words)).toEqual(baseWords.subarray(0, q(a) * words));
		expect(gotWords.subarray((q(a) + kvOf(a)) * words)).toEqual(baseWords.subarray((q(a) + kvOf(a)) * words));
	});

	test('without the original weights the adapter is rounded stochastically into the base grid and carried (gain near 1)', async () => {
		const base = await cachedBase('q4f16_1', 'q4-none');
		const w = await world([base.record]);
		await w.adapters.addFiles(adapterFiles(peft(base.arch, { targets: ['q_proj'] })));
		await w.adapters.derive();
		expect(w.adapters.error).toBeNull();
		expect(w.adapters.busy).toBeNull();
		const rows = await listDerivedModels(w.db);
		expect(rows).toHaveLength(1);
		const summary = (rows[0].fidelity as { summary: { minGain: number; maxGain: number } }).summary;
		// unbiased rounding: the stored delta's projection on the intended one is about the whole of it
		expect(summary.minGain).toBeGreaterThan(0.8);
		expect(summary.maxGain).toBeLessThan(1.2);
	});
});
