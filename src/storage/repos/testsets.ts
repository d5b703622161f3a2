// Test set repository: named sets of items (template variables + optional expected output) with
// their scoring spec. Each item carries the SHA-256 of its {vars, expected} (part of the reuse key).
// Deleting a test set that an experiment still uses is REFUSED (TestSetInUseError names them):
// results point at its items, so remove or re-point those experiments first. Functions take the db
// first. No svelte/worker/web-llm imports.
import { hashTestItem } from '../../domain/experiment/variant-hash.ts';
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { TestItemRow, TestSetRow } from '../rows.ts';
import { newId } from './ids.ts';

/** What a new test set is made of (ids, times and item hashes are filled in here). */
export type NewTestSet = Pick<TestSetRow, 'name' | 'columns' | 'scoring' | 'source' | 'description'>;

/** The fields updateTestSet may change. */
export type TestSetPatch = Partial<Pick<TestSetRow, 'name' | 'description' | 'columns' | 'scoring' | 'source'>>;

/** One item as given: template variables by column, and optionally the expected output. */
export interface NewTestItem {
	vars: Record<string, string>;
	expected?: string;
}

export class TestSetNotFoundError extends Error {
	override name = 'TestSetNotFoundError';
	constructor(readonly testSetId: string) {
		super(`Test set ${testSetId} no longer exists: it may have been deleted in another tab. Reload the list.`);
	}
}

export class TestSetNameError extends Error {
	override name = 'TestSetNameError';
	constructor() {
		super('A test set needs a name: type at least one visible character.');
	}
}

export class TestSetInUseError extends Error {
	override name = 'TestSetInUseError';
	constructor(
		readonly testSetId: string,
		readonly experimentNames: string[]
	) {
		super(
			`This test set is used by ${experimentNames.length === 1 ? 'the experiment' : 'the experiments'} ` +
				`${experimentNames.map((n) => `"${n}"`).join(', ')}. Delete ${experimentNames.length === 1 ? 'it' : 'them'} ` +
				'or choose another test set there first, then delete this one.'
		);
	}
}

function cleanName(name: string): string {
	const trimmed = name.trim();
	if (!trimmed) throw new TestSetNameError();
	return trimmed;
}

/** Item rows for a set, in order, with fresh ids and their content hashes. */
async function makeItems(testSetId: string, items: readonly NewTestItem[]): Promise<TestItemRow[]> {
	const rows: TestItemRow[] = [];
	for (const [index, item] of items.entries()) {
		const hash = await hashTestItem(item);
		const id = newId();
		const row: TestItemRow = { id, testSetId, index, vars: { ...item.vars }, hash };
		if (item.expected !== undefined) row.expected = item.expected;
		rows.push(row);
	}
	return rows;
}

/**
 * Creates a test set and its items (index = position in `items`) in one transaction.
 * @throws TestSetNameError for a blank name, StorageFullError when storage is full.
 */
export async function createTestSet(db: TuneDb, input: NewTestSet, items: readonly NewTestItem[], now = Date.now()): Promise<TestSetRow> {
	const set: TestSetRow = {
		id: newId(),
		name: cleanName(input.name),
		columns: [...input.columns],
		scoring: structuredClone(input.scoring),
		source: input.source,
		createdAt: now,
		updatedAt: now
	};
	if (input.description !== undefined) set.description = input.description;
	const rows = await makeItems(set.id, items);
	await guardWrite(() =>
		db.transaction('rw', db.testSets, db.testItems, async () => {
			await db.testSets.add(set);
			await db.testItems.bulkAdd(rows);
		})
	);
	return set;
}

/** Test sets, most recently updated first. */
export function listTestSets(db: TuneDb): Promise<TestSetRow[]> {
	return db.testSets.orderBy('updatedAt').reverse().toArray();
}

/** One test set, or undefined. */
export function getTestSet(db: TuneDb, testSetId: string): Promise<TestSetRow | undefined> {
	return db.testSets.get(testSetId);
}

/** The items of a test set ordered by index (empty for an unknown set). */
export function getTestItems(db: TuneDb, testSetId: string): Promise<TestItemRow[]> {
	return db.testItems.where('[testSetId+index]').between([testSetId, 0], [testSetId, Infinity]).toArray();
}

/**
 * Changes a test set's name, description, columns, scoring or source (updatedAt = now).
 * @throws TestSetNameError for a blank name, TestSetNotFoundError, StorageFullError.
 */
export async function updateTestSet(db: TuneDb, testSetId: string, patch: TestSetPatch, now = Date.now()): Promise<void> {
	const changes: Partial<TestSetRow> = { ...structuredClone(patch), updatedAt: now };
	if (patch.name !== undefined) changes.name = cleanName(patch.name);
	const changed = await guardWrite(() => db.testSets.update(testSetId, changes));
	if (changed === 0) throw new TestSetNotFoundError(testSetId);
}

/**
 * Replaces all items of a test set in one transaction and returns the new rows in order. An item
 * whose {vars, expected} equals an old one keeps that old item's id (each old id used once), so
 * results that point at unchanged items stay attached.
 * @throws TestSetNotFoundError, StorageFullError.
 */
export async function replaceTestItems(
	db: TuneDb,
	testSetId: string,
	items: readonly NewTestItem[],
	now = Date.now()
): Promise<TestItemRow[]> {
	const fresh = await makeItems(testSetId, items);
	return guardWrite(() =>
		db.transaction('rw', db.testSets, db.testItems, async () => {
			if (!(await db.testSets.get(testSetId))) throw new TestSetNotFoundError(testSetId);
			const old = await db.testItems.where('testSetId').equals(testSetId).toArray();
			const free = new Map<string, string[]>();
			for (const o of old.sort((x, y) => x.index - y.index)) free.set(o.hash, [...(free.get(o.hash) ?? []), o.id]);
			const rows = fresh.map((row) => ({ ...row, id: free.get(row.hash)?.shift() ?? row.id }));
			await db.testItems.where('testSetId').equals(testSetId).delete();
			await db.testItems.bulkAdd(rows);
			await db.testSets.update(testSetId, { updatedAt: now });
			return rows;
		})
	);
}

/**
 * Deletes a test set and its items in one transaction; nothing happens for an unknown id.
 * @throws TestSetInUseError when an experiment uses the set (nothing is deleted).
 */
export async function deleteTestSet(db: TuneDb, testSetId: string): Promise<void> {
	await db.transaction('rw', db.testSets, db.testItems, db.experiments, async () => {
		const users = await db.experiments.where('testSetId').equals(testSetId).toArray();
		if (users.length > 0)
			throw new TestSetInUseError(
				testSetId,
				users.map((e) => e.name)
			);
		await db.testItems.where('testSetId').equals(testSetId).delete();
		await db.testSets.delete(testSetId);
	});
}
