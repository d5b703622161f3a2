// Manual score repository: a person's pass/fail (or null: undecided) and comment on one result,
// keyed by the result id (one per result; setting it again replaces it). Deleting an experiment
// deletes these with its results (experiments.ts). Functions take the db first.
// No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { ManualScoreRow } from '../rows.ts';

/**
 * Sets a result's manual score, replacing any earlier one.
 * @throws StorageFullError when storage is full.
 */
export async function setManualScore(
	db: TuneDb,
	resultId: string,
	score: { pass: boolean | null; comment: string },
	now = Date.now()
): Promise<ManualScoreRow> {
	const row: ManualScoreRow = { resultId, pass: score.pass, comment: score.comment, updatedAt: now };
	await guardWrite(() => db.manualScores.put(row));
	return row;
}

/** The manual scores of these results, by result id (results without one are absent). */
export async function manualScoresOf(db: TuneDb, resultIds: readonly string[]): Promise<Map<string, ManualScoreRow>> {
	const rows = await db.manualScores.bulkGet([...resultIds]);
	const out = new Map<string, ManualScoreRow>();
	for (const row of rows) if (row) out.set(row.resultId, row);
	return out;
}

/** Removes a result's manual score (nothing happens when it has none). */
export async function clearManualScore(db: TuneDb, resultId: string): Promise<void> {
	await db.manualScores.delete(resultId);
}
