// Result repository: one finished (batch, variant, item) output, unique on [batchId+variantId+itemId].
// putResult relies on that unique index: writing the same slot twice (a resumed batch, two tabs)
// keeps the first row and reports inserted: false, never a duplicate and never a throw.
// Functions take the db first. No svelte/worker/web-llm imports.
import type { OutputScore } from '../../domain/scoring/types.ts';
import type { TuneDb } from '../db.ts';
import { guardWrite, mapStorageError } from '../errors.ts';
import type { ResultRow } from '../rows.ts';

export class ResultNotFoundError extends Error {
	override name = 'ResultNotFoundError';
	constructor(readonly resultId: string) {
		super(`Result ${resultId} no longer exists (its experiment may have been deleted in another tab). Reload the page.`);
	}
}

function isConstraintError(e: unknown): boolean {
	return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ConstraintError';
}

/**
 * Inserts a result. When its [batchId+variantId+itemId] slot is already taken, the stored row is
 * returned with inserted: false and nothing is written.
 * @throws StorageFullError when storage is full.
 */
export async function putResult(db: TuneDb, row: ResultRow): Promise<{ row: ResultRow; inserted: boolean }> {
	const copy = structuredClone(row);
	try {
		await db.results.add(copy);
		return { row: copy, inserted: true };
	} catch (e) {
		if (isConstraintError(e)) {
			const existing = await db.results.get({ batchId: row.batchId, variantId: row.variantId, itemId: row.itemId });
			if (existing) return { row: existing, inserted: false };
		}
		throw mapStorageError(e);
	}
}

/** The results of one batch (any order). */
export function resultsOfBatch(db: TuneDb, batchId: string): Promise<ResultRow[]> {
	return db.results.where('batchId').equals(batchId).toArray();
}

/** The results of every batch of an experiment (any order). */
export function resultsOfExperiment(db: TuneDb, experimentId: string): Promise<ResultRow[]> {
	return db.results.where('experimentId').equals(experimentId).toArray();
}

/** The newest 'done' result with this reuse key (any experiment), or undefined. */
export async function findReusable(db: TuneDb, reuseKey: string): Promise<ResultRow | undefined> {
	const rows = await db.results
		.where('reuseKey')
		.equals(reuseKey)
		.filter((r) => r.status === 'done')
		.toArray();
	let best: ResultRow | undefined;
	for (const r of rows) if (!best || r.createdAt > best.createdAt) best = r;
	return best;
}

/**
 * `${variantId}|${itemId}` of every slot of the batch that already has a result, done or failed
 * (both are finished: resuming skips them; retrying failures is a new batch).
 */
export async function doneKeys(db: TuneDb, batchId: string): Promise<Set<string>> {
	const keys = new Set<string>();
	await db.results
		.where('batchId')
		.equals(batchId)
		.each((r) => {
			keys.add(`${r.variantId}|${r.itemId}`);
		});
	return keys;
}

/**
 * Sets (or, with undefined, clears) a result's automatic score.
 * @throws ResultNotFoundError, StorageFullError.
 */
export async function setResultScore(db: TuneDb, resultId: string, score: OutputScore | undefined): Promise<void> {
	const changed = await guardWrite(() => db.results.update(resultId, { score: score === undefined ? undefined : structuredClone(score) }));
	if (changed === 0) throw new ResultNotFoundError(resultId);
}

/**
 * Sets many automatic scores in one transaction (all or none); results that no longer exist are
 * skipped. Returns how many rows were updated.
 * @throws StorageFullError when storage is full.
 */
export async function setScores(db: TuneDb, updates: readonly { id: string; score: OutputScore | undefined }[]): Promise<number> {
	return guardWrite(() =>
		db.transaction('rw', db.results, async () => {
			let changed = 0;
			for (const u of updates) {
				changed += await db.results.update(u.id, {
					score: u.score === undefined ? undefined : structuredClone(u.score)
				});
			}
			return changed;
		})
	);
}
