// Covers: BatchRunner — every variant × item stored once with its score; a paused batch resumes
// without losing or duplicating a result; results with the same reuse key are copied unless the
// batch is fresh; out of memory on loading the models together falls back to one after the other
// and every result records its mode; a lost GPU pauses the batch and keeps the slot free; a batch
// another tab holds is not run. Real Dexie on fake-indexeddb; the engine is an in-test Engine.
import { describe, expect, test } from 'vitest';
import { EngineError } from '../../../../src/domain/engine/errors.ts';
import type { Engine, GenerateRequest, GenerateResult } from '../../../../src/domain/engine/types.ts';
import type { VariantRow } from '../../../../src/domain/experiment/types.ts';
import { BatchRunner } from '../../../../src/state/compare/batch-runner.ts';
import type { TuneDb } from '../../../../src/storage/db.ts';
import { createBatch, getBatch } from '../../../../src/storage/repos/batches.ts';
import { resultsOfBatch } from '../../../../src/storage/repos/results.ts';
import { createTestSet, getTestItems } from '../../../../src/storage/repos/testsets.ts';
import { saveVariant } from '../../../../src/storage/repos/variants.ts';
import { makeVariantSpec } from '../../../factories/rows.ts';
import { freshDb } from '../../../storage/fresh-db.ts';

const CAPITALS: Record<string, string> = { France: 'Paris', Italy: 'Rome', Spain: 'Madrid' };

/** "good" knows every capital; "bad" always says London. */
class CapitalsEngine implements Engine {
	readonly info = { kind: 'webllm' as const, version: 'test-engine 1' };
	calls: GenerateRequest[] = [];
	loads: string[][] = [];
	failLoadMany: EngineError | null = null;
	failOnCall: { n: number; error: EngineError } | null = null;
	async load(modelId: string) {
		this.loads.push([modelId]);
	}
	async loadMany(ids: string[]) {
		if (this.failLoadMany) throw this.failLoadMany;
		this.loads.push(ids);
	}
	async generate(req: GenerateRequest, opts: { signal?: AbortSignal }): Promise<GenerateResult> {
		this.calls.push(req);
		if (this.failOnCall && this.calls.length === this.failOnCall.n) throw this.failOnCall.error;
		const country = req.messages.at(-1)!.content.replace(/^Capital of /, '');
		const text = req.modelId === 'good' ? CAPITALS[country] : 'London';
		if (opts.signal?.aborted) return { text: '', finishReason: 'abort', stats: stats() };
		return { text, finishReason: 'stop', stats: stats() };
	}
	async countTokens() {
		return null;
	}
	async unload() {}
	dispose() {}
}
const stats = () => ({ promptTokens: 3, completionTokens: 1, timeToFirstTokenMs: 1, totalMs: 2, source: 'measured' as const });

async function setUp(db: TuneDb, fresh = false) {
	const set = await createTestSet(
		db,
		{ name: 'Capitals', columns: ['country'], scoring: { assertions: [{ type: 'equals' }] }, source: 'test' },
		Object.entries(CAPITALS).map(([country, capital]) => ({ vars: { country }, expected: capital }))
	);
	const recipe = { system: '', examples: [], template: 'Capital of {{country}}', sampling: { seed: 1 }, variableDefaults: {} };
	const good = await saveVariant(db, makeVariantSpec({ model: { source: 'prebuilt', modelId: 'good' }, recipe, sampling: { seed: 1 } }));
	const bad = await saveVariant(db, makeVariantSpec({ model: { source: 'prebuilt', modelId: 'bad' }, recipe, sampling: { seed: 1 } }));
	const items = await getTestItems(db, set.id);
	const batch = await createBatch(db, {
		experimentId: 'exp',
		testSetId: set.id,
		variantIds: [good.id, bad.id],
		itemIds: items.map((i) => i.id),
		fresh
	});
	return { set, good, bad, items, batch };
}

function runner(db: TuneDb, engine: CapitalsEngine, locks?: Pick<LockManager, 'request'>) {
	return new BatchRunner({ db, engineFor: async () => engine, modelRecordOf: (v: VariantRow) => ({ id: v.spec.model.modelId }), locks });
}

describe('BatchRunner', () => {
	test('stores every variant × item once, scored against the expected output', async () => {
		const db = await freshDb('batch');
		const { good, bad, batch } = await setUp(db);
		const engine = new CapitalsEngine();
		expect(await runner(db, engine).run(batch.id, { mode: 'together', modeReason: 'fits' })).toBe('done');
		const rows = await resultsOfBatch(db, batch.id);
		expect(rows).toHaveLength(6);
		expect(rows.filter((r) => r.variantId === good.id).every((r) => r.score?.pass === true)).toBe(true);
		expect(rows.filter((r) => r.variantId === bad.id).every((r) => r.score?.pass === false)).toBe(true);
		expect(rows.every((r) => r.mode === 'together')).toBe(true);
		expect(engine.loads).toEqual([['good', 'bad']]);
		expect(engine.calls.every((c) => c.resident?.join() === 'good,bad')).toBe(true);
		expect((await getBatch(db, batch.id))?.status).toBe('done');
	});

	test('a paused batch resumes where it stopped, with no result lost or duplicated', async () => {
		const db = await freshDb('batch');
		const { batch } = await setUp(db);
		const engine = new CapitalsEngine();
		const abort = new AbortController();
		const first = await runner(db, engine).run(batch.id, {
			mode: 'together',
			modeReason: 'fits',
			signal: abort.signal,
			onResult: () => abort.abort()
		});
		expect(first).toBe('paused');
		const afterPause = (await resultsOfBatch(db, batch.id)).length;
		expect(afterPause).toBe(2); // the first step (one item, both variants) finished before the pause took effect
		expect(await runner(db, engine).run(batch.id, { mode: 'together', modeReason: 'fits' })).toBe('done');
		const rows = await resultsOfBatch(db, batch.id);
		expect(rows).toHaveLength(6);
		expect(new Set(rows.map((r) => `${r.variantId}|${r.itemId}`)).size).toBe(6);
		expect(engine.calls).toHaveLength(6);
	});

	test('a second batch with a fixed seed reuses the results; a fresh one generates again', async () => {
		const db = await freshDb('batch');
		const { set, good, bad, items, batch } = await setUp(db);
		const engine = new CapitalsEngine();
		await runner(db, engine).run(batch.id, { mode: 'sequential', modeReason: 'test' });
		expect(engine.calls).toHaveLength(6);
		const again = await createBatch(db, {
			experimentId: 'exp',
			testSetId: set.id,
			variantIds: [good.id, bad.id],
			itemIds: items.map((i) => i.id),
			fresh: false
		});
		await runner(db, engine).run(again.id, { mode: 'sequential', modeReason: 'test' });
		expect(engine.calls).toHaveLength(6);
		expect((await resultsOfBatch(db, again.id)).every((r) => r.reusedFrom !== undefined)).toBe(true);
		const fresh = await createBatch(db, {
			experimentId: 'exp',
			testSetId: set.id,
			variantIds: [good.id],
			itemIds: items.map((i) => i.id),
			fresh: true
		});
		await runner(db, engine).run(fresh.id, { mode: 'sequential', modeReason: 'test' });
		expect(engine.calls).toHaveLength(9);
	});

	test('out of memory loading both models falls back to one after the other, recorded on every result', async () => {
		const db = await freshDb('batch');
		const { batch } = await setUp(db);
		const engine = new CapitalsEngine();
		engine.failLoadMany = new EngineError('out-of-memory', 'good + bad do not fit in GPU memory together', 'Run one after the other.');
		const modes: string[] = [];
		await runner(db, engine).run(batch.id, { mode: 'together', modeReason: 'fits', onProgress: (p) => modes.push(p.modeReason) });
		const rows = await resultsOfBatch(db, batch.id);
		expect(rows).toHaveLength(6);
		expect(rows.every((r) => r.mode === 'sequential')).toBe(true);
		expect(modes[0]).toMatch(/One after the other: .*ran out of GPU memory/);
		expect(engine.loads).toEqual([['good'], ['bad']]); // each model loaded once, variant by variant
		expect(engine.calls.every((c) => c.resident === undefined)).toBe(true);
	});

	test('a lost GPU pauses the batch, stores nothing for that slot, and the batch resumes later', async () => {
		const db = await freshDb('batch');
		const { batch } = await setUp(db);
		const engine = new CapitalsEngine();
		engine.failOnCall = { n: 3, error: new EngineError('device-lost', 'GPU device was lost', 'Reload the page.') };
		await expect(runner(db, engine).run(batch.id, { mode: 'sequential', modeReason: 'test' })).rejects.toThrow('GPU device was lost');
		expect((await getBatch(db, batch.id))?.status).toBe('paused');
		expect(await resultsOfBatch(db, batch.id)).toHaveLength(2);
		engine.failOnCall = null;
		expect(await runner(db, engine).run(batch.id, { mode: 'sequential', modeReason: 'test' })).toBe('done');
		const rows = await resultsOfBatch(db, batch.id);
		expect(rows).toHaveLength(6);
		expect(rows.some((r) => r.status === 'failed')).toBe(false);
	});

	test('a batch another tab holds the lock of is not run here', async () => {
		const db = await freshDb('batch');
		const { batch } = await setUp(db);
		const engine = new CapitalsEngine();
		const heldElsewhere: Pick<LockManager, 'request'> = {
			request: ((_name: string, _opts: unknown, cb: (lock: null) => unknown) => Promise.resolve(cb(null))) as LockManager['request']
		};
		expect(await runner(db, engine, heldElsewhere).run(batch.id, { mode: 'together', modeReason: 'fits' })).toBe('locked');
		expect(engine.calls).toHaveLength(0);
	});
});
