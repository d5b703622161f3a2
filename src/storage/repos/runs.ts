// Run repository: a run is stored when it starts (status 'running'), its output updated while it
// streams (the caller throttles), and finished once. Start-up recovery marks runs left 'running' by
// a closed tab as 'interrupted'. History queries live in history.ts. No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { RunRow, RunStatus } from '../rows.ts';
import { newId } from './ids.ts';

/** Everything a run snapshots at start; id, times, status and output are filled in here. */
export type NewRun = Omit<RunRow, 'id' | 'createdAt' | 'startedAt' | 'status' | 'output' | 'endedAt'>;

export type FinalRunStatus = Exclude<RunStatus, 'running' | 'interrupted'>;

export class RunNotFoundError extends Error {
	override name = 'RunNotFoundError';
	constructor(readonly runId: string) {
		super(`Run ${runId} no longer exists (deleted, maybe in another tab); its output was not saved.`);
	}
}

/**
 * Stores a new run with status 'running' and empty output.
 * @throws StorageFullError when storage is full.
 */
export async function startRun(db: TuneDb, input: NewRun, now = Date.now()): Promise<RunRow> {
	const row: RunRow = {
		...structuredClone(input),
		id: newId(),
		createdAt: now,
		startedAt: now,
		status: 'running',
		output: ''
	};
	await guardWrite(() => db.runs.add(row));
	return row;
}

/**
 * Replaces the partial output of a running run (call it throttled, e.g. every 250 ms).
 * @throws RunNotFoundError, StorageFullError.
 */
export async function updateRunOutput(db: TuneDb, runId: string, output: string): Promise<void> {
	const changed = await guardWrite(() => db.runs.update(runId, { output }));
	if (changed === 0) throw new RunNotFoundError(runId);
}

/**
 * Records the end of a run: final status, full output, and stats or error.
 * @throws RunNotFoundError, StorageFullError.
 */
export async function finishRun(
	db: TuneDb,
	runId: string,
	end: Pick<RunRow, 'output' | 'stats' | 'error'> & { status: FinalRunStatus },
	now = Date.now()
): Promise<void> {
	const patch: Partial<RunRow> = { status: end.status, output: end.output, endedAt: now };
	if (end.stats) patch.stats = structuredClone(end.stats);
	if (end.error) patch.error = { ...end.error };
	const changed = await guardWrite(() => db.runs.update(runId, patch));
	if (changed === 0) throw new RunNotFoundError(runId);
}

/** One run, or undefined. */
export function getRun(db: TuneDb, runId: string): Promise<RunRow | undefined> {
	return db.runs.get(runId);
}

/**
 * Start-up recovery: runs still 'running' belong to a tab that closed mid-answer; mark them
 * 'interrupted' (partial output kept). Call once at start, before starting new runs.
 * @returns how many runs were marked.
 */
export function markInterruptedRuns(db: TuneDb, now = Date.now()): Promise<number> {
	return guardWrite(() => db.runs.where('status').equals('running').modify({ status: 'interrupted', endedAt: now }));
}

/** Deletes one run (no error when it is already gone). */
export function deleteRun(db: TuneDb, runId: string): Promise<void> {
	return db.runs.delete(runId);
}

/** Deletes many runs in one transaction. */
export function deleteRuns(db: TuneDb, runIds: readonly string[]): Promise<void> {
	return db.runs.bulkDelete([...runIds]);
}

/** Number of stored runs. */
export function countRuns(db: TuneDb): Promise<number> {
	return db.runs.count();
}
