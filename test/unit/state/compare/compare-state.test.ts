// Covers: CompareState — an experiment created from the default pair runs its batch and shows the
// paired verdict; a second tab whose lock request finds the batch held does not run it but shows
// the results the other tab stores, live, until that batch ends. Real Dexie on fake-indexeddb.
import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import type { Engine, GenerateRequest } from '../../../../src/domain/engine/types.ts';
import { defaultPair } from '../../../../src/domain/experiment/variants.ts';
import { CompareState } from '../../../../src/state/compare/compare.svelte.ts';
import { EnginePool } from '../../../../src/state/compare/engine-pool.ts';
import type { TuneDb } from '../../../../src/storage/db.ts';
import { createBatch, setBatchStatus } from '../../../../src/storage/repos/batches.ts';
import { putResult } from '../../../../src/storage/repos/results.ts';
import { createTestSet, getTestItems } from '../../../../src/storage/repos/testsets.ts';
import { freshDb } from '../../../storage/fresh-db.ts';

/** Answers "yes" for the adapter model, "no" for the base. */
const engine: Engine = {
	info: { kind: 'endpoint', version: 'test 1' },
	load: async () => undefined,
	generate: async (req: GenerateRequest) => ({
		text: req.modelId === 'tuned' ? 'yes' : 'no',
		finishReason: 'stop',
		stats: { promptTokens: 1, completionTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, source: 'measured' }
	}),
	countTokens: async () => null,
	unload: async () => undefined,
	dispose: () => undefined
};
const recipe = (system: string) => ({
	versionId: system || 'plain',
	name: system || 'plain',
	content: { system, examples: [], template: '{{q}}', sampling: {}, variableDefaults: {} }
});
const endpoint = (modelId: string) => ({
	engine: { kind: 'endpoint' as const, baseUrl: 'http://test' },
	model: { source: 'endpoint' as const, modelId }
});

function state(db: TuneDb, locks?: Pick<LockManager, 'request'>): CompareState {
	return new CompareState({
		db,
		pool: new EnginePool({ local: async () => engine, remote: async () => engine, savedEndpoint: () => ({ baseUrl: '', apiKey: '' }) }),
		models: { facts: () => ({ family: null, quantization: null, chatTemplate: null }), vramMB: () => 0, record: (s) => s.model },
		probe: () => null,
		locks
	});
}

async function experimentWith(db: TuneDb, compare: CompareState, items: number): Promise<void> {
	const set = await createTestSet(
		db,
		{ name: 'yes', columns: ['q'], scoring: { assertions: [{ type: 'equals' }] }, source: 'test' },
		Array.from({ length: items }, (_, i) => ({ vars: { q: `question ${i}` }, expected: 'yes' }))
	);
	await compare.start();
	await compare.create(
		'Yes or no',
		set.id,
		defaultPair(endpoint('base'), endpoint('tuned'), recipe(''), recipe('Answer yes'), { seed: 1 })
	);
}

describe('CompareState', () => {
	test('runs the pair and names the winner when the paired test supports it', async () => {
		const db = await freshDb('compare');
		const compare = state(db);
		await experimentWith(db, compare, 8);
		await compare.runBatch();
		expect(compare.results).toHaveLength(16);
		// by hand: the adapter passes 8 of 8, the base 0 of 8; exact McNemar 2 · 0.5⁸ = 0.0078 < 0.05
		const pair = compare.stats.pairs[0];
		expect(pair).toMatchObject({ a: 'Base + engineered prompt', b: 'Adapter + plain prompt', onlyB: 8, onlyA: 0, verdict: 'b' });
		expect(pair.mcnemarP).toBeCloseTo(2 / 256, 12);
	});

	test('a second tab finds the batch held, runs nothing, and shows the other tab’s results as they are stored', async () => {
		const db = await freshDb('compare');
		const first = state(db);
		await experimentWith(db, first, 2);
		const held: Pick<LockManager, 'request'> = {
			request: ((_n: string, _o: unknown, cb: (lock: null) => unknown) => Promise.resolve(cb(null))) as LockManager['request']
		};
		// the first tab has started a batch (stored as running) but not finished it
		const exp = first.experiment!;
		const items = await getTestItems(db, exp.testSetId!);
		const batch = await createBatch(db, {
			experimentId: exp.id,
			testSetId: exp.testSetId!,
			variantIds: first.variantIds,
			itemIds: items.map((i) => i.id),
			fresh: true
		});

		const second = state(db, held);
		await second.start(); // opens the experiment and tries to resume the running batch
		await expect.poll(() => second.lockedElsewhere).toBe(true);
		expect(second.results).toHaveLength(0);

		const v = first.variants[1];
		await putResult(db, {
			id: 'r1',
			batchId: batch.id,
			experimentId: exp.id,
			variantId: v.id,
			itemId: items[0].id,
			status: 'done',
			output: 'yes',
			model: v.spec.model,
			engine: { kind: 'endpoint', version: 'test 1' },
			mode: 'together',
			reuseKey: '',
			createdAt: 1
		});
		await expect.poll(() => second.results.length).toBe(1);
		await setBatchStatus(db, batch.id, 'done');
		await expect.poll(() => second.lockedElsewhere).toBe(false);
		second.destroy();
	});
});
