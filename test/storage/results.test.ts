// Covers: result repository — putResult inserts once per [batchId+variantId+itemId]: a second write
// (sequential or concurrent via Promise.all) returns the stored row with inserted false and never a
// duplicate or a throw; a quota failure becomes StorageFullError; findReusable picks the newest
// 'done' result with the key (failed ones never); doneKeys lists the batch's finished slots;
// resultsOfBatch / resultsOfExperiment; setResultScore and setScores (one transaction).
import { describe, expect, test } from 'vitest';
import type { OutputScore } from '../../src/domain/scoring/types.ts';
import { StorageFullError } from '../../src/storage/errors.ts';
import {
	ResultNotFoundError,
	doneKeys,
	findReusable,
	putResult,
	resultsOfBatch,
	resultsOfExperiment,
	setResultScore,
	setScores
} from '../../src/storage/repos/results.ts';
import { makeResult } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

const failScore: OutputScore = {
	pass: false,
	score: 0,
	results: [{ index: 0, type: 'icontains', pass: false, score: 0, reason: 'no "Paris"' }]
};

describe('putResult', () => {
	test('the first write inserts; a second write of the same slot returns the stored row', async () => {
		const db = await freshDb('results');
		const first = makeResult({ id: 'r1', batchId: 'b', variantId: 'v', itemId: 'i', output: 'first' });
		expect(await putResult(db, first)).toEqual({ row: first, inserted: true });
		const again = await putResult(db, makeResult({ id: 'r2', batchId: 'b', variantId: 'v', itemId: 'i', output: 'second' }));
		expect(again).toEqual({ row: first, inserted: false });
		expect(await db.results.count()).toBe(1);
		db.close();
	});

	test('concurrent writes of one slot store exactly one row and exactly one reports inserted', async () => {
		const db = await freshDb('results');
		const outcomes = await Promise.all(
			['x1', 'x2', 'x3'].map((id) => putResult(db, makeResult({ id, batchId: 'b', variantId: 'v', itemId: 'i' })))
		);
		expect(await db.results.count()).toBe(1);
		expect(outcomes.filter((o) => o.inserted)).toHaveLength(1);
		const stored = await db.results.toArray();
		for (const o of outcomes) expect(o.row).toEqual(stored[0]);
		db.close();
	});

	test('other slots of the same batch are separate rows', async () => {
		const db = await freshDb('results');
		await putResult(db, makeResult({ batchId: 'b', variantId: 'v1', itemId: 'i' }));
		await putResult(db, makeResult({ batchId: 'b', variantId: 'v2', itemId: 'i' }));
		await putResult(db, makeResult({ batchId: 'b', variantId: 'v1', itemId: 'j' }));
		await putResult(db, makeResult({ batchId: 'c', variantId: 'v1', itemId: 'i' }));
		expect(await db.results.count()).toBe(4);
		db.close();
	});

	test('a full disk is reported as StorageFullError', async () => {
		const db = await freshDb('results');
		db.results.hook('creating', () => {
			throw new DOMException('quota', 'QuotaExceededError');
		});
		await expect(putResult(db, makeResult())).rejects.toBeInstanceOf(StorageFullError);
		db.close();
	});
});

describe('queries', () => {
	test('findReusable returns the newest done result with the key and ignores failed ones', async () => {
		const db = await freshDb('results');
		await db.results.bulkAdd([
			makeResult({ id: 'old', reuseKey: 'k', createdAt: 10, itemId: 'a' }),
			makeResult({ id: 'new', reuseKey: 'k', createdAt: 30, itemId: 'b' }),
			makeResult({ id: 'failed-newer', reuseKey: 'k', createdAt: 40, itemId: 'c', status: 'failed' }),
			makeResult({ id: 'other-key', reuseKey: 'z', createdAt: 50, itemId: 'd' })
		]);
		expect((await findReusable(db, 'k'))?.id).toBe('new');
		expect(await findReusable(db, 'missing')).toBeUndefined();
		await db.results.add(makeResult({ id: 'only-failed', reuseKey: 'f', status: 'failed', itemId: 'e' }));
		expect(await findReusable(db, 'f')).toBeUndefined();
		db.close();
	});

	test('doneKeys lists "variant|item" of every finished slot of that batch only', async () => {
		const db = await freshDb('results');
		await db.results.bulkAdd([
			makeResult({ batchId: 'b', variantId: 'v1', itemId: 'i1' }),
			makeResult({ batchId: 'b', variantId: 'v2', itemId: 'i1', status: 'failed' }),
			makeResult({ batchId: 'other', variantId: 'v1', itemId: 'i2' })
		]);
		expect(await doneKeys(db, 'b')).toEqual(new Set(['v1|i1', 'v2|i1']));
		expect(await doneKeys(db, 'none')).toEqual(new Set());
		db.close();
	});

	test('results by batch and by experiment', async () => {
		const db = await freshDb('results');
		await db.results.bulkAdd([
			makeResult({ id: 'a', batchId: 'b1', experimentId: 'e1', itemId: '1' }),
			makeResult({ id: 'b', batchId: 'b2', experimentId: 'e1', itemId: '1' }),
			makeResult({ id: 'c', batchId: 'b3', experimentId: 'e2', itemId: '1' })
		]);
		expect((await resultsOfBatch(db, 'b1')).map((r) => r.id)).toEqual(['a']);
		expect((await resultsOfExperiment(db, 'e1')).map((r) => r.id).sort()).toEqual(['a', 'b']);
		db.close();
	});
});

describe('scores', () => {
	test('setResultScore replaces or clears the automatic score; unknown ids are refused', async () => {
		const db = await freshDb('results');
		await db.results.add(makeResult({ id: 'r' }));
		await setResultScore(db, 'r', failScore);
		expect((await db.results.get('r'))?.score).toEqual(failScore);
		await setResultScore(db, 'r', undefined);
		expect(await db.results.get('r')).not.toHaveProperty('score');
		await expect(setResultScore(db, 'nope', failScore)).rejects.toThrow(ResultNotFoundError);
		db.close();
	});

	test('setScores updates many rows, skips missing ones and rolls back on failure', async () => {
		const db = await freshDb('results');
		await db.results.bulkAdd([makeResult({ id: 'r1', itemId: '1' }), makeResult({ id: 'r2', itemId: '2' })]);
		const n = await setScores(db, [
			{ id: 'r1', score: failScore },
			{ id: 'gone', score: failScore },
			{ id: 'r2', score: failScore }
		]);
		expect(n).toBe(2);
		expect((await db.results.get('r2'))?.score).toEqual(failScore);
		const before = await db.results.toArray();
		let calls = 0;
		db.results.hook('updating', () => {
			calls += 1;
			if (calls === 2) throw new Error('disk on fire');
		});
		await expect(
			setScores(db, [
				{ id: 'r1', score: undefined },
				{ id: 'r2', score: undefined }
			])
		).rejects.toThrow();
		expect(await db.results.toArray()).toEqual(before);
		db.close();
	});
});
