// Covers: votes — setVote upserts on [experimentId+itemId+a+b] (changing a vote updates winner and
// updatedAt, keeps id and createdAt; concurrent votes on one slot leave one row), (a, b) and (b, a)
// are separate slots, votesOf per experiment, clearVote; the unique index refuses a raw duplicate.
// Manual scores — setManualScore replaces per result, manualScoresOf maps by result id,
// clearManualScore.
import { describe, expect, test } from 'vitest';
import { clearManualScore, manualScoresOf, setManualScore } from '../../src/storage/repos/manual-scores.ts';
import { clearVote, setVote, votesOf } from '../../src/storage/repos/votes.ts';
import { makeVote } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

const slot = { experimentId: 'e', itemId: 'i', a: 'va', b: 'vb' };

describe('votes', () => {
	test('voting again on the same slot changes the winner and keeps id and createdAt', async () => {
		const db = await freshDb('votes');
		const first = await setVote(db, { ...slot, winner: 'a' }, 1);
		const second = await setVote(db, { ...slot, winner: 'tie' }, 2);
		expect(second).toEqual({ ...first, winner: 'tie', updatedAt: 2 });
		expect(second.createdAt).toBe(1);
		expect(await votesOf(db, 'e')).toEqual([second]);
		db.close();
	});

	test('concurrent votes on one slot leave one row holding one of the winners', async () => {
		const db = await freshDb('votes');
		await Promise.all([setVote(db, { ...slot, winner: 'a' }), setVote(db, { ...slot, winner: 'b' })]);
		const rows = await db.votes.toArray();
		expect(rows).toHaveLength(1);
		expect(['a', 'b']).toContain(rows[0].winner);
		db.close();
	});

	test('(a, b) and (b, a), other items and other experiments are separate votes', async () => {
		const db = await freshDb('votes');
		await setVote(db, { ...slot, winner: 'a' });
		await setVote(db, { ...slot, a: 'vb', b: 'va', winner: 'b' });
		await setVote(db, { ...slot, itemId: 'j', winner: 'both-bad' });
		await setVote(db, { ...slot, experimentId: 'other', winner: 'a' });
		expect(await votesOf(db, 'e')).toHaveLength(3);
		expect(await votesOf(db, 'other')).toHaveLength(1);
		db.close();
	});

	test('clearVote removes only that slot and says whether there was one', async () => {
		const db = await freshDb('votes');
		await setVote(db, { ...slot, winner: 'a' });
		await setVote(db, { ...slot, itemId: 'j', winner: 'a' });
		expect(await clearVote(db, slot)).toBe(true);
		expect(await clearVote(db, slot)).toBe(false);
		expect((await votesOf(db, 'e')).map((v) => v.itemId)).toEqual(['j']);
		db.close();
	});

	test('the unique index refuses a second row for a slot even when written directly', async () => {
		const db = await freshDb('votes');
		await db.votes.add(makeVote({ id: 'one', ...slot }));
		await expect(db.votes.add(makeVote({ id: 'two', ...slot }))).rejects.toThrow(/constraint/i);
		expect(await db.votes.count()).toBe(1);
		db.close();
	});
});

describe('manual scores', () => {
	test('one score per result: setting again replaces it; lookups map by result id', async () => {
		const db = await freshDb('manual');
		await setManualScore(db, 'r1', { pass: true, comment: 'good' }, 1);
		await setManualScore(db, 'r1', { pass: false, comment: 'on second thought' }, 2);
		await setManualScore(db, 'r2', { pass: null, comment: '' }, 3);
		const scores = await manualScoresOf(db, ['r1', 'r2', 'r3']);
		expect([...scores.keys()]).toEqual(['r1', 'r2']);
		expect(scores.get('r1')).toEqual({ resultId: 'r1', pass: false, comment: 'on second thought', updatedAt: 2 });
		expect(scores.get('r2')?.pass).toBeNull();
		await clearManualScore(db, 'r1');
		expect([...(await manualScoresOf(db, ['r1', 'r2'])).keys()]).toEqual(['r2']);
		db.close();
	});
});
