// Covers: stateQuery over real IndexedDB — first result, updates after writes, re-subscribing when
// a rune in `deps` changes, errors surfaced, and no updates after destroy().
import { Dexie } from 'dexie';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, test } from 'vitest';
import { openDb } from '../../../src/storage/db.ts';
import { stateQuery } from '../../../src/storage/live-query.svelte.ts';
import { makeRun } from '../../factories/rows.ts';

const names: string[] = [];
afterEach(async () => {
	for (const name of names.splice(0)) await Dexie.delete(name);
});
async function fresh() {
	const name = `live-${crypto.randomUUID()}`;
	names.push(name);
	return openDb(name);
}

async function until(check: () => boolean): Promise<void> {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
	expect(check()).toBe(true);
}

describe('stateQuery', () => {
	test('delivers the first result and follows later writes', async () => {
		const db = await fresh();
		const q = stateQuery(() => db.runs.count());
		expect(q.loading).toBe(true);
		await until(() => q.current === 0);
		await db.runs.add(makeRun({ id: 'a' }));
		await until(() => q.current === 1);
		expect(q.loading).toBe(false);
		q.destroy();
		await db.runs.add(makeRun({ id: 'b' }));
		await new Promise((r) => setTimeout(r, 100));
		expect(q.current).toBe(1);
		db.close();
	});

	test('re-runs when a rune read in deps changes', async () => {
		const db = await fresh();
		await db.runs.bulkAdd([makeRun({ id: 'a', modelId: 'm1' }), makeRun({ id: 'b', modelId: 'm2' })]);
		const filter = $state({ modelId: 'm1' });
		const q = stateQuery(
			() => db.runs.where('modelId').equals(filter.modelId).primaryKeys(),
			() => filter.modelId
		);
		flushSync();
		await until(() => q.current?.[0] === 'a');
		filter.modelId = 'm2';
		flushSync();
		await until(() => q.current?.[0] === 'b');
		q.destroy();
		db.close();
	});

	test('a failing query surfaces its error', async () => {
		const db = await fresh();
		const q = stateQuery(() => db.runs.where('notAnIndex').equals(1).toArray());
		await until(() => q.error !== undefined);
		expect(q.current).toBeUndefined();
		q.destroy();
		db.close();
	});
});
