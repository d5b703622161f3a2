// Covers CatalogState with the REAL web-llm catalog (loadCatalog), a SwiftShader-like GPU probe (no
// shader-f16) and a REAL IndexedDB test database: every f16 model is blocked with the reason, the
// default is the model a naive reference picks, a selection is saved and restored (but a saved model
// this GPU can't run falls back to the default), no WebGPU blocks everything, a catalog that fails
// to load shows its error, and downloaded models get a friendly name with the id as secondary text.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { loadCatalog } from '../../../src/domain/catalog/load-catalog.ts';
import type { CatalogEntry } from '../../../src/domain/catalog/types.ts';
import type { GpuProbe } from '../../../src/domain/gpu/types.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { CatalogState } from '../../../src/state/catalog.svelte.ts';
import { EngineState } from '../../../src/state/engine.svelte.ts';
import { NO_WEBGPU_PROBE, SWIFTSHADER_PROBE, TestLocalEngine, TestRemoteEngine } from './test-engines.ts';

let db: TuneDb;
let name: string;
const engines: EngineState[] = [];
let entries: CatalogEntry[];

beforeEach(async () => {
	name = `catalog-test-${crypto.randomUUID()}`;
	db = await openDb(name);
	entries = await loadCatalog();
});
afterEach(async () => {
	while (engines.length) engines.pop()!.destroy();
	db.close();
	await indexedDB.deleteDatabase(name);
});

async function build(probe: GpuProbe = SWIFTSHADER_PROBE, local = new TestLocalEngine()): Promise<CatalogState> {
	const engine = new EngineState({
		db,
		createLocal: async () => local,
		createRemote: async (s) => new TestRemoteEngine(s, []),
		probeGpu: async () => probe,
		storageEstimate: async () => ({ usageBytes: null, quotaBytes: null, persisted: null }),
		requestPersistence: async () => false
	});
	engines.push(engine);
	await engine.start();
	const catalog = new CatalogState(db, engine);
	await catalog.start(loadCatalog);
	return catalog;
}

/** Naive reference of "this SwiftShader GPU can run it", written from the rules, not the code. */
function runsOnSwiftShader(e: CatalogEntry): boolean {
	if (!SWIFTSHADER_PROBE.available) return false;
	const { features, limits } = SWIFTSHADER_PROBE;
	if (e.id.includes('f16') || (e.record.required_features ?? []).includes('shader-f16')) return false;
	if ((e.record.required_features ?? []).some((f) => !features.includes(f))) return false;
	const need = e.record.buffer_size_required_bytes ?? 0;
	return need <= limits.maxBufferSize && need <= limits.maxStorageBufferBindingSize;
}

/** Naive reference default: runnable text models, low-resource first, then least GPU memory, then id. */
function referenceDefault(list: CatalogEntry[]): string {
	let best: CatalogEntry | null = null;
	for (const e of list) {
		if (e.vision || !runsOnSwiftShader(e)) continue;
		if (best === null) {
			best = e;
			continue;
		}
		const key = (x: CatalogEntry) => [x.lowResource ? 0 : 1, x.vramMB ?? Infinity] as const;
		const [a0, a1] = key(e);
		const [b0, b1] = key(best);
		if (a0 < b0 || (a0 === b0 && (a1 < b1 || (a1 === b1 && e.id < best.id)))) best = e;
	}
	if (!best) throw new Error('the real catalog has no model SwiftShader can run');
	return best.id;
}

describe('CatalogState with the real catalog on a SwiftShader-like GPU', () => {
	test('every f16 model is blocked with the shader-f16 reason; the others follow the reference', async () => {
		const catalog = await build();
		expect(catalog.options.map((o) => o.id)).toEqual(entries.map((e) => e.id));
		const f16 = catalog.options.filter((o) => o.id.includes('f16'));
		expect(f16.length).toBeGreaterThan(10);
		for (const o of f16) {
			expect(o.verdict.runnable, o.id).toBe(false);
			expect(o.verdict.reason, o.id).toMatch(/shader-f16/);
		}
		// Ids with an upper-case "BF16" only name the source checkpoint (e.g. "…-BF16-q4f32_1-MLC") and
		// run in f32, so they follow the reference like the rest.
		const clear = (id: string) => !id.includes('f16');
		const runnable = catalog.options.filter((o) => clear(o.id) && o.verdict.runnable).map((o) => o.id);
		expect(runnable.length).toBeGreaterThan(5);
		expect(runnable).toEqual(entries.filter((e) => clear(e.id) && runsOnSwiftShader(e)).map((e) => e.id));
	});

	test('the default selection is the reference pick (a small q4f32/q0f32 text model)', async () => {
		const catalog = await build();
		const expected = referenceDefault(entries);
		expect(catalog.selectedId).toBe(expected);
		expect(catalog.selected?.id).toBe(expected);
		expect(catalog.selected?.verdict.runnable).toBe(true);
		expect(expected).not.toMatch(/f16/);
	});

	test('a chosen model is saved in the settings table and restored on the next start', async () => {
		const first = await build();
		const other = entries.filter(runsOnSwiftShader).find((e) => e.id !== first.selectedId)!;
		await first.select(other.id);
		expect((await db.settings.get('selectedModelId'))?.value).toBe(other.id);
		const second = await build();
		expect(second.selectedId).toBe(other.id);
	});

	test('a saved model this GPU cannot run falls back to the default', async () => {
		const blocked = entries.find((e) => e.id.includes('f16'))!;
		await db.settings.put({ key: 'selectedModelId', value: blocked.id });
		const catalog = await build();
		expect(catalog.selectedId).toBe(referenceDefault(entries));
	});

	test('the option facts come from the catalog entry', async () => {
		const catalog = await build();
		const e = entries.find((x) => x.paramSize && x.vramMB && x.contextWindowTokens && x.quantization)!;
		const o = catalog.options.find((x) => x.id === e.id)!;
		expect(o).toMatchObject({
			family: e.family,
			parameters: e.paramSize,
			quantization: e.quantization,
			vramMB: e.vramMB,
			contextWindow: e.contextWindowTokens,
			cached: false
		});
	});
});

describe('CatalogState: other GPUs and failures', () => {
	test('without WebGPU every model is blocked with that reason and nothing is selected', async () => {
		const catalog = await build(NO_WEBGPU_PROBE);
		expect(catalog.options.length).toBe(entries.length);
		for (const o of catalog.options) {
			expect(o.verdict.runnable).toBe(false);
			expect(o.verdict.reason).toMatch(/WebGPU is not available/);
		}
		expect(catalog.selectedId).toBeNull();
	});

	test('a catalog that fails to load shows its error', async () => {
		const engine = new EngineState({
			db,
			createLocal: async () => new TestLocalEngine(),
			createRemote: async (s) => new TestRemoteEngine(s, []),
			probeGpu: async () => SWIFTSHADER_PROBE,
			storageEstimate: async () => ({ usageBytes: null, quotaBytes: null, persisted: null }),
			requestPersistence: async () => false
		});
		engines.push(engine);
		const catalog = new CatalogState(db, engine);
		await catalog.start(async () => {
			throw new Error('catalog record 3 has no model_id');
		});
		expect(catalog.error).toBe('catalog record 3 has no model_id');
		expect(catalog.options).toEqual([]);
		expect(catalog.selectedId).toBeNull();
	});
});

describe('CatalogState: downloaded models', () => {
	test('named by family, size and quantization, id as secondary text; unknown ids stay as they are', async () => {
		const local = new TestLocalEngine();
		const known = entries.find((e) => e.paramSize && e.quantization)!;
		local.cache.set(known.id, 123).set('not-in-the-catalog', 7);
		const catalog = await build(SWIFTSHADER_PROBE, local);
		expect(catalog.cachedModels).toEqual([
			{ id: known.id, label: `${known.family} ${known.paramSize} · ${known.quantization}`, detail: known.id, sizeBytes: 123 },
			{ id: 'not-in-the-catalog', label: 'not-in-the-catalog', sizeBytes: 7 }
		]);
		expect(catalog.options.find((o) => o.id === known.id)?.cached).toBe(true);
	});
});
