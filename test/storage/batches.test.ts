// Covers: batch repository — createBatch starts 'running' with copies of its lists, setBatchStatus
// (unknown id refused), latestBatch is the newest by createdAt of that experiment only, listBatches
// newest first, pauseRunningBatches turns only 'running' batches into 'paused'.
import { describe, expect, test } from 'vitest';
import {
	BatchNotFoundError,
	createBatch,
	getBatch,
	latestBatch,
	listBatches,
	pauseRunningBatches,
	setBatchStatus,
	type NewBatch
} from '../../src/storage/repos/batches.ts';
import { freshDb } from './fresh-db.ts';

const input = (experimentId: string): NewBatch => ({
	experimentId,
	testSetId: 'ts',
	variantIds: ['a', 'b'],
	itemIds: ['i1', 'i2', 'i3'],
	fresh: false
});

describe('batches', () => {
	test('a new batch is running and stored as given', async () => {
		const db = await freshDb('batches');
		const batch = await createBatch(db, input('e1'), 100);
		expect(batch).toMatchObject({ status: 'running', createdAt: 100, updatedAt: 100, itemIds: ['i1', 'i2', 'i3'] });
		expect(await getBatch(db, batch.id)).toEqual(batch);
		await setBatchStatus(db, batch.id, 'done', 200);
		expect(await getBatch(db, batch.id)).toMatchObject({ status: 'done', updatedAt: 200, createdAt: 100 });
		await expect(setBatchStatus(db, 'nope', 'done')).rejects.toThrow(BatchNotFoundError);
		db.close();
	});

	test('latestBatch and listBatches look at one experiment, newest first', async () => {
		const db = await freshDb('batches');
		const old = await createBatch(db, input('e1'), 1);
		const newest = await createBatch(db, input('e1'), 30);
		const middle = await createBatch(db, input('e1'), 20);
		await createBatch(db, input('e2'), 99);
		expect((await latestBatch(db, 'e1'))?.id).toBe(newest.id);
		expect((await listBatches(db, 'e1')).map((b) => b.id)).toEqual([newest.id, middle.id, old.id]);
		expect(await latestBatch(db, 'none')).toBeUndefined();
		expect(await listBatches(db, 'none')).toEqual([]);
		db.close();
	});

	test('start-up recovery pauses only the batches left running', async () => {
		const db = await freshDb('batches');
		const running = await createBatch(db, input('e1'), 1);
		const done = await createBatch(db, input('e1'), 2);
		await setBatchStatus(db, done.id, 'done', 3);
		expect(await pauseRunningBatches(db, 9)).toBe(1);
		expect(await getBatch(db, running.id)).toMatchObject({ status: 'paused', updatedAt: 9 });
		expect(await getBatch(db, done.id)).toMatchObject({ status: 'done', updatedAt: 3 });
		db.close();
	});
});
