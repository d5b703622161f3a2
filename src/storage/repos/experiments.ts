// Experiment repository: a named comparison of variants on one test set. Deleting an experiment
// deletes, in one transaction, its batches, results, the manual scores of those results and its
// votes (variants and the test set stay: others may share them). Functions take the db first.
// No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { ExperimentRow } from '../rows.ts';
import { newId } from './ids.ts';

/** What a new experiment is made of (id and times are filled in here). */
export type NewExperiment = Pick<ExperimentRow, 'name' | 'testSetId' | 'variants' | 'primary'>;

/** The fields updateExperiment may change. */
export type ExperimentPatch = Partial<NewExperiment>;

export class ExperimentNotFoundError extends Error {
	override name = 'ExperimentNotFoundError';
	constructor(readonly experimentId: string) {
		super(`Experiment ${experimentId} no longer exists: it may have been deleted in another tab. Reload the list.`);
	}
}

/** A blank name, or a primary pair that is not two of the experiment's variants. */
export class ExperimentInputError extends Error {
	override name = 'ExperimentInputError';
}

function cleanName(name: string): string {
	const trimmed = name.trim();
	if (!trimmed) throw new ExperimentInputError('An experiment needs a name: type at least one visible character.');
	return trimmed;
}

function checkPrimary(row: Pick<ExperimentRow, 'variants' | 'primary'>): void {
	if (!row.primary) return;
	const ids = new Set(row.variants.map((v) => v.variantId));
	const [a, b] = row.primary;
	if (a === b || !ids.has(a) || !ids.has(b)) {
		throw new ExperimentInputError('The primary pair must be two different variants of this experiment: pick both from its variant list.');
	}
}

/**
 * Creates an experiment.
 * @throws ExperimentInputError for a blank name or a bad primary pair, StorageFullError.
 */
export async function createExperiment(db: TuneDb, input: NewExperiment, now = Date.now()): Promise<ExperimentRow> {
	const row: ExperimentRow = {
		id: newId(),
		name: cleanName(input.name),
		testSetId: input.testSetId,
		variants: structuredClone(input.variants),
		createdAt: now,
		updatedAt: now
	};
	if (input.primary) row.primary = [input.primary[0], input.primary[1]];
	checkPrimary(row);
	await guardWrite(() => db.experiments.add(row));
	return row;
}

/** One experiment, or undefined. */
export function getExperiment(db: TuneDb, experimentId: string): Promise<ExperimentRow | undefined> {
	return db.experiments.get(experimentId);
}

/** Experiments, most recently updated first. */
export function listExperiments(db: TuneDb): Promise<ExperimentRow[]> {
	return db.experiments.orderBy('updatedAt').reverse().toArray();
}

/**
 * Changes name, variants, test set or primary pair (updatedAt = now). `primary: undefined` in the
 * patch leaves it; a variants change that drops a primary variant is refused.
 * @throws ExperimentNotFoundError, ExperimentInputError, StorageFullError.
 */
export async function updateExperiment(db: TuneDb, experimentId: string, patch: ExperimentPatch, now = Date.now()): Promise<ExperimentRow> {
	return guardWrite(() =>
		db.transaction('rw', db.experiments, async () => {
			const row = await db.experiments.get(experimentId);
			if (!row) throw new ExperimentNotFoundError(experimentId);
			const next: ExperimentRow = { ...row, updatedAt: now };
			if (patch.name !== undefined) next.name = cleanName(patch.name);
			if (patch.testSetId !== undefined) next.testSetId = patch.testSetId;
			if (patch.variants !== undefined) next.variants = structuredClone(patch.variants);
			if (patch.primary !== undefined) next.primary = [patch.primary[0], patch.primary[1]];
			checkPrimary(next);
			await db.experiments.put(next);
			return next;
		})
	);
}

/** Deletes an experiment with its batches, results, their manual scores and its votes, atomically. */
export async function deleteExperiment(db: TuneDb, experimentId: string): Promise<void> {
	await db.transaction('rw', [db.experiments, db.batches, db.results, db.manualScores, db.votes], async () => {
		const resultIds = await db.results.where('experimentId').equals(experimentId).primaryKeys();
		await db.manualScores.bulkDelete(resultIds);
		await db.results.bulkDelete(resultIds);
		await db.batches.where('experimentId').equals(experimentId).delete();
		await db.votes.where('experimentId').equals(experimentId).delete();
		await db.experiments.delete(experimentId);
	});
}
