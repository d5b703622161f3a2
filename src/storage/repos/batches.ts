// Batch repository: one run of an experiment's variants over its items. A batch starts 'running';
// start-up recovery turns batches left 'running' by a closed tab into 'paused' (resumable).
// Functions take the db first. No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { BatchRow, BatchStatus } from '../rows.ts';
import { newId } from './ids.ts';

/** What a new batch is made of (id, status and times are filled in here). */
export type NewBatch = Pick<BatchRow, 'experimentId' | 'testSetId' | 'variantIds' | 'itemIds' | 'fresh'>;

export class BatchNotFoundError extends Error {
	override name = 'BatchNotFoundError';
	constructor(readonly batchId: string) {
		super(`Batch ${batchId} no longer exists (its experiment may have been deleted in another tab). Reload the page.`);
	}
}

/**
 * Stores a new batch with status 'running'.
 * @throws StorageFullError when storage is full.
 */
export async function createBatch(db: TuneDb, input: NewBatch, now = Date.now()): Promise<BatchRow> {
	const row: BatchRow = {
		id: newId(),
		experimentId: input.experimentId,
		testSetId: input.testSetId,
		variantIds: [...input.variantIds],
		itemIds: [...input.itemIds],
		status: 'running',
		fresh: input.fresh,
		createdAt: now,
		updatedAt: now
	};
	await guardWrite(() => db.batches.add(row));
	return row;
}

/** One batch, or undefined. */
export function getBatch(db: TuneDb, batchId: string): Promise<BatchRow | undefined> {
	return db.batches.get(batchId);
}

/**
 * Sets a batch's status (updatedAt = now).
 * @throws BatchNotFoundError, StorageFullError.
 */
export async function setBatchStatus(db: TuneDb, batchId: string, status: BatchStatus, now = Date.now()): Promise<void> {
	const changed = await guardWrite(() => db.batches.update(batchId, { status, updatedAt: now }));
	if (changed === 0) throw new BatchNotFoundError(batchId);
}

/** The experiment's most recently created batch, or undefined when it has none. */
export function latestBatch(db: TuneDb, experimentId: string): Promise<BatchRow | undefined> {
	return db.batches.where('[experimentId+createdAt]').between([experimentId, -Infinity], [experimentId, Infinity]).last();
}

/** The experiment's batches, newest first. */
export async function listBatches(db: TuneDb, experimentId: string): Promise<BatchRow[]> {
	const rows = await db.batches.where('[experimentId+createdAt]').between([experimentId, -Infinity], [experimentId, Infinity]).toArray();
	return rows.reverse();
}

/** Start-up recovery: batches still 'running' (a closed tab) become 'paused'; returns how many. */
export async function pauseRunningBatches(db: TuneDb, now = Date.now()): Promise<number> {
	return guardWrite(() => db.batches.where('status').equals('running').modify({ status: 'paused', updatedAt: now }));
}
