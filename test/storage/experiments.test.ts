// Covers: experiment repository — create/get, list most recently updated first, update of name,
// variants, test set and primary pair (a primary pair outside the variants refused), and delete
// cascading in one transaction to the experiment's batches, results, their manual scores and its
// votes while another experiment's rows stay.
import { describe, expect, test } from 'vitest';
import type { TuneDb } from '../../src/storage/db.ts';
import {
	ExperimentInputError,
	ExperimentNotFoundError,
	createExperiment,
	deleteExperiment,
	getExperiment,
	listExperiments,
	updateExperiment
} from '../../src/storage/repos/experiments.ts';
import { makeBatch, makeManualScore, makeResult, makeVote } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

const variants = [
	{ variantId: 'v-base', label: 'Base + prompt' },
	{ variantId: 'v-lora', label: 'LoRA' }
];

/** One batch, two results (one manually scored) and one vote for an experiment. */
async function seedRuns(db: TuneDb, experimentId: string, tag: string): Promise<void> {
	await db.batches.add(makeBatch({ id: `b-${tag}`, experimentId }));
	await db.results.bulkAdd([
		makeResult({ id: `r1-${tag}`, batchId: `b-${tag}`, experimentId, itemId: 'i1' }),
		makeResult({ id: `r2-${tag}`, batchId: `b-${tag}`, experimentId, itemId: 'i2' })
	]);
	await db.manualScores.add(makeManualScore({ resultId: `r1-${tag}` }));
	await db.votes.add(makeVote({ id: `vote-${tag}`, experimentId }));
}

describe('experiments', () => {
	test('create, get and list (most recently updated first)', async () => {
		const db = await freshDb('experiments');
		const a = await createExperiment(db, { name: ' First ', testSetId: 'ts', variants, primary: ['v-base', 'v-lora'] }, 1);
		const b = await createExperiment(db, { name: 'Second', testSetId: null, variants: [] }, 2);
		expect(a).toMatchObject({ name: 'First', testSetId: 'ts', variants, primary: ['v-base', 'v-lora'], createdAt: 1, updatedAt: 1 });
		expect(b).not.toHaveProperty('primary');
		expect(await getExperiment(db, a.id)).toEqual(a);
		expect((await listExperiments(db)).map((e) => e.name)).toEqual(['Second', 'First']);
		await updateExperiment(db, a.id, { name: 'First, renamed' }, 3);
		expect((await listExperiments(db)).map((e) => e.name)).toEqual(['First, renamed', 'Second']);
		db.close();
	});

	test('update changes variants, test set and primary pair; a bad primary pair is refused', async () => {
		const db = await freshDb('experiments');
		const e = await createExperiment(db, { name: 'E', testSetId: null, variants }, 1);
		const third = { variantId: 'v-third', label: 'C' };
		const next = await updateExperiment(db, e.id, { variants: [...variants, third], testSetId: 'ts2', primary: ['v-lora', 'v-third'] }, 5);
		expect(await getExperiment(db, e.id)).toEqual(next);
		expect(next).toMatchObject({ testSetId: 'ts2', primary: ['v-lora', 'v-third'], updatedAt: 5, createdAt: 1 });
		await expect(updateExperiment(db, e.id, { variants })).rejects.toThrow(ExperimentInputError);
		await expect(updateExperiment(db, e.id, { primary: ['v-base', 'v-base'] })).rejects.toThrow(/two different variants/);
		await expect(updateExperiment(db, e.id, { name: '' })).rejects.toThrow(/needs a name/);
		expect(await getExperiment(db, e.id)).toEqual(next);
		await expect(updateExperiment(db, 'gone', { name: 'x' })).rejects.toThrow(ExperimentNotFoundError);
		await expect(createExperiment(db, { name: 'P', testSetId: null, variants, primary: ['v-base', 'nope'] })).rejects.toThrow(
			ExperimentInputError
		);
		db.close();
	});

	test('deleting an experiment removes its batches, results, manual scores and votes, nothing else', async () => {
		const db = await freshDb('experiments');
		const gone = await createExperiment(db, { name: 'Gone', testSetId: null, variants });
		const kept = await createExperiment(db, { name: 'Kept', testSetId: null, variants });
		await seedRuns(db, gone.id, 'gone');
		await seedRuns(db, kept.id, 'kept');
		await deleteExperiment(db, gone.id);
		expect(await getExperiment(db, gone.id)).toBeUndefined();
		expect(await db.batches.toCollection().primaryKeys()).toEqual(['b-kept']);
		expect((await db.results.toCollection().primaryKeys()).sort()).toEqual(['r1-kept', 'r2-kept']);
		expect(await db.manualScores.toCollection().primaryKeys()).toEqual(['r1-kept']);
		expect(await db.votes.toCollection().primaryKeys()).toEqual(['vote-kept']);
		expect(await getExperiment(db, kept.id)).toBeDefined();
		db.close();
	});

	test('the cascade is one transaction: a failure part-way deletes nothing', async () => {
		const db = await freshDb('experiments');
		const e = await createExperiment(db, { name: 'E', testSetId: null, variants });
		await seedRuns(db, e.id, 'x');
		db.votes.hook('deleting', () => {
			throw new Error('disk on fire');
		});
		await expect(deleteExperiment(db, e.id)).rejects.toThrow();
		expect(await db.results.count()).toBe(2);
		expect(await db.manualScores.count()).toBe(1);
		expect(await db.batches.count()).toBe(1);
		expect(await getExperiment(db, e.id)).toBeDefined();
		db.close();
	});
});
