// Specifies, in real Chromium on a REAL IndexedDB test database, the comparison wired as the app
// wires it (createCompare: engine pool, catalog/derived model lookup, navigator.locks) over the
// in-test multi-model engine (test-engines.ts):
// - a batch whose residency plan says "together" (two local models whose GPU estimates fit the
//   SwiftShader budget), when the engine's load of both models together fails with out-of-memory,
//   falls back to one after the other and finishes: every stored result says mode 'sequential',
//   each (batch, variant, item) slot is stored exactly once, each model is loaded once, and the
//   state's progress gives the out-of-memory reason in words;
// - side by side, stopping one pane while both models stream leaves the other pane's stream running
//   to its full answer (no cancelAll, no shared signal).
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { DerivedModelRow } from '../../../src/domain/bundle/rows.ts';
import type { CatalogEntry } from '../../../src/domain/catalog/types.ts';
import { gpuBudgetMB } from '../../../src/domain/engine/residency-plan.ts';
import { slotKey } from '../../../src/domain/experiment/batch-plan.ts';
import { defaultPair, type ModelChoice, type RecipeChoice } from '../../../src/domain/experiment/variants.ts';
import type { CompareState } from '../../../src/state/compare/compare.svelte.ts';
import { SideBySide } from '../../../src/state/compare/side-by-side.svelte.ts';
import { createCompare } from '../../../src/state/compare/wiring.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { resultsOfBatch } from '../../../src/storage/repos/results.ts';
import { createTestSet } from '../../../src/storage/repos/testsets.ts';
import { SWIFTSHADER_PROBE, TestMultiEngine } from './test-engines.ts';

const BASE_ID = 'SmolLM2-360M-Instruct-q4f32_1-MLC';
const DERIVED_ID = 'derived-0a1b2c3d';
/** Each model's GPU estimate: 2 × 80 MB = 160 MB ≤ 256 MB (SwiftShader's maxBufferSize) × 0.8 = 204.8 MB, so "together". */
const VRAM_MB = 80;
const ITEMS = 5;

const catalog: CatalogEntry[] = [
	{
		id: BASE_ID,
		record: {
			model: `https://example.test/${BASE_ID}/`,
			model_id: BASE_ID,
			model_lib: 'https://example.test/lib.wasm',
			vram_required_MB: VRAM_MB
		},
		family: 'SmolLM2',
		paramSize: '360M',
		paramCount: 360_000_000,
		quantization: 'q4f32_1',
		contextWindowTokens: 4096,
		vramMB: VRAM_MB,
		downloadSizeBytesEstimate: 180_000_000,
		lowResource: true,
		needsShaderF16: false,
		vision: false
	}
];
const derived: DerivedModelRow[] = [
	{
		id: DERIVED_ID,
		baseModelId: BASE_ID,
		adapterId: 'adapter-0a1b2c3d',
		scale: 1,
		record: { model_id: DERIVED_ID },
		fidelity: {},
		sizeBytes: 180_000_000,
		createdAt: 1
	}
];
const base: ModelChoice = { engine: { kind: 'webllm' }, model: { source: 'prebuilt', modelId: BASE_ID } };
const adapter: ModelChoice = {
	engine: { kind: 'webllm' },
	model: { source: 'derived', modelId: DERIVED_ID, baseModelId: BASE_ID, adapterId: 'adapter-0a1b2c3d', scale: 1 }
};
const recipe = (system: string): RecipeChoice => ({
	versionId: system || 'plain',
	name: system || 'plain',
	content: { system, examples: [], template: '{{q}}', sampling: {}, variableDefaults: {} }
});

let db: TuneDb;
let name: string;
let engine: TestMultiEngine;
let wired: ReturnType<typeof createCompare>;

beforeEach(async () => {
	name = `compare-oom-test-${crypto.randomUUID()}`;
	db = await openDb(name);
	engine = new TestMultiEngine();
	wired = createCompare({
		db,
		local: async () => engine,
		remote: async () => {
			throw new Error('no endpoint in these tests');
		},
		savedEndpoint: () => ({ baseUrl: '', apiKey: '' }),
		catalog: () => catalog,
		derived: () => derived,
		adapters: () => [],
		probe: () => SWIFTSHADER_PROBE
	});
});
afterEach(async () => {
	wired.compare.destroy();
	wired.pool.dispose();
	db.close();
	await indexedDB.deleteDatabase(name);
});

/** An experiment over the default pair (base + engineered vs adapter + plain) and a test set of `items` questions. */
async function experiment(compare: CompareState, items: number): Promise<void> {
	const set = await createTestSet(
		db,
		{ name: 'Questions', columns: ['q'], scoring: { assertions: [] }, source: 'test' },
		Array.from({ length: items }, (_, i) => ({ vars: { q: `question ${i}` } }))
	);
	await compare.start();
	await compare.create('OOM fallback', set.id, defaultPair(base, adapter, recipe(''), recipe('Answer briefly'), { seed: 1 }));
	expect(compare.error).toBeNull();
}

describe('comparison on a GPU where the second model does not fit', () => {
	test('a "together" batch whose joint load runs out of memory finishes one after the other, every slot once', async () => {
		engine.fitsTogether = 1; // the pretend GPU holds one model: loading both together is out of memory
		const { compare } = wired;
		await experiment(compare, ITEMS);
		expect(compare.variants.map((v) => v.spec.model.modelId)).toEqual([BASE_ID, DERIVED_ID]);
		// precondition: the estimates fit the budget, so the plan says together
		expect(gpuBudgetMB(SWIFTSHADER_PROBE)! * 0.8).toBeGreaterThanOrEqual(2 * VRAM_MB);
		expect(compare.plan.mode).toBe('together');

		await compare.runBatch();

		expect(compare.error).toBeNull();
		expect(compare.running).toBe(false);
		expect(compare.batch?.status).toBe('done');
		// the joint load was tried once and failed; then each model was loaded alone, variant by variant
		expect(engine.loads).toEqual([[BASE_ID, DERIVED_ID], [BASE_ID], [DERIVED_ID]]);
		expect(engine.generated.every((r) => r.resident === undefined)).toBe(true);

		const total = compare.variantIds.length * ITEMS;
		const rows = await resultsOfBatch(db, compare.batch!.id);
		expect(rows).toHaveLength(total);
		expect(rows.every((r) => r.mode === 'sequential' && r.status === 'done')).toBe(true);
		const expectedSlots = compare.variantIds.flatMap((v) => compare.items.map((i) => slotKey(v, i.id)));
		expect(new Set(rows.map((r) => slotKey(r.variantId, r.itemId)))).toEqual(new Set(expectedSlots));
		// each result came from its own variant's model
		const modelOf = new Map(compare.variants.map((v) => [v.id, v.spec.model.modelId]));
		expect(rows.every((r) => r.output === `answer from ${modelOf.get(r.variantId)}`)).toBe(true);
		expect(compare.results).toHaveLength(total);

		// the state says what ran and why: the out-of-memory fallback, with the engine's own message
		expect(compare.progress).toMatchObject({ total, done: total, failed: 0, mode: 'sequential' });
		expect(compare.progress!.modeReason).toMatch(/^One after the other: .*ran out of GPU memory/);
		expect(compare.progress!.modeReason).toContain(`${BASE_ID} + ${DERIVED_ID} do not fit in GPU memory together`);
		// the plan itself is unchanged: only this run fell back
		expect(compare.plan.mode).toBe('together');
	});

	test('side by side: stopping one pane does not stop the other pane’s stream', async () => {
		engine.fitsTogether = 2; // both fit: the two panes stream at the same time
		const words = 20;
		engine.answer = (r) => Array.from({ length: words }, (_, i) => `${r.modelId}-${i}`).join(' ');
		const { compare, pool } = wired;
		await experiment(compare, 1);

		// Stop the first pane as soon as it has shown its first words, while the second is mid-stream.
		let atStop = null as { other: string; otherOutput: string } | null;
		const side: SideBySide = new SideBySide(pool, (cb) => {
			cb();
			const [first, second] = side.lanes;
			if (!atStop && first?.output) {
				atStop = { other: second.status, otherOutput: second.output };
				first.stop();
			}
		});
		const variants = compare.variants.map((row) => ({ row, label: compare.labels.get(row.id) ?? row.id }));
		await side.run(variants, { q: 'question 0' }, compare.plan);

		expect(side.mode).toBe('together');
		expect(engine.generated.map((r) => r.resident)).toEqual([
			[BASE_ID, DERIVED_ID],
			[BASE_ID, DERIVED_ID]
		]);
		expect(atStop).not.toBeNull();
		expect(atStop!.other).toBe('running');
		const [first, second] = side.lanes;
		const full = (id: string) => engine.answer({ modelId: id, messages: [], sampling: {} });
		expect(atStop!.otherOutput.length).toBeLessThan(full(DERIVED_ID).length);
		expect(first.status).toBe('stopped');
		expect(first.output.length).toBeGreaterThan(0);
		expect(full(BASE_ID).startsWith(first.output)).toBe(true);
		expect(first.output.length).toBeLessThan(full(BASE_ID).length);
		expect(second.status).toBe('done');
		expect(second.output).toBe(full(DERIVED_ID));
		expect(second.error).toBeNull();
		expect(engine.cancelAllCalls).toBe(0);
	});
});
