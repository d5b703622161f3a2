// Covers, in real Chromium IndexedDB: interrupted-run recovery across a close and reopen, the
// v1 → v3 and v2 → v3 migrations, history paging over 1,200 runs against a naive reference,
// export/import round trip with Blob files, adapter blobs stored and read back, and the v3 unique
// index on results refusing a concurrent duplicate.
import { Dexie } from 'dexie';
import { afterEach, describe, expect, test } from 'vitest';
import { SCHEMA_V1, SCHEMA_V2, TuneDb, openDb } from '../../../src/storage/db.ts';
import { exportAll, importBundle } from '../../../src/storage/bundle-io.ts';
import { getAdapterFile, putAdapter } from '../../../src/storage/repos/adapters.ts';
import { listRuns } from '../../../src/storage/repos/history.ts';
import { putResult } from '../../../src/storage/repos/results.ts';
import { getRun, markInterruptedRuns, startRun, updateRunOutput } from '../../../src/storage/repos/runs.ts';
import { makeAdapter, makeNewRun, makeResult, makeRun, makeRuns, makeVote } from '../../factories/rows.ts';

const names: string[] = [];
function uniqueName(label: string): string {
	const name = `browser-${label}-${crypto.randomUUID()}`;
	names.push(name);
	return name;
}
afterEach(async () => {
	for (const name of names.splice(0)) await Dexie.delete(name);
});

describe('real IndexedDB', () => {
	test('a run left running by a closed tab is marked interrupted on the next start', async () => {
		const name = uniqueName('recover');
		const first = await openDb(name);
		const run = await startRun(first, makeNewRun());
		await updateRunOutput(first, run.id, 'half an ans');
		first.close();

		const second = await openDb(name);
		expect(await markInterruptedRuns(second)).toBe(1);
		expect(await getRun(second, run.id)).toMatchObject({
			status: 'interrupted',
			output: 'half an ans'
		});
		second.close();
	});

	test('v1 data is upgraded to v3 on open', async () => {
		const name = uniqueName('migrate');
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		await v1.table('recipes').add({ id: 'r', name: 'Old name', createdAt: 0, updatedAt: 0, latestVersion: 1 });
		await v1.table('recipeVersions').add({ id: 'v', recipeId: 'r', version: 1 });
		const { recipeId: _i, recipeName: _n, ...oldRun } = makeRun({ id: 'run', recipeVersionId: 'v' });
		await v1.table('runs').add(oldRun);
		v1.close();

		const db = new TuneDb(name);
		expect(await db.runs.get('run')).toMatchObject({ recipeId: 'r', recipeName: 'Old name' });
		expect(db.verno).toBe(3);
		expect(await db.results.count()).toBe(0);
		db.close();
	});

	test('v2 data is kept when upgrading to v3, and the new tables accept rows', async () => {
		const name = uniqueName('migrate-v2');
		const v2 = new Dexie(name);
		v2.version(1).stores(SCHEMA_V1);
		v2.version(2).stores(SCHEMA_V2);
		await v2.open();
		const runs = makeRuns(3);
		await v2.table('runs').bulkAdd(runs);
		v2.close();

		const db = await openDb(name);
		expect(db.verno).toBe(3);
		expect(await db.runs.orderBy('id').toArray()).toEqual(runs);
		await db.votes.add(makeVote({ id: 'v1' }));
		expect(await db.votes.where('experimentId').equals('experiment-x').count()).toBe(1);
		db.close();
	});

	test('concurrent writes of one result slot leave one row', async () => {
		const db = await openDb(uniqueName('results'));
		const outcomes = await Promise.all(
			['a', 'b', 'c'].map((id) => putResult(db, makeResult({ id, batchId: 'b', variantId: 'v', itemId: 'i' })))
		);
		expect(await db.results.count()).toBe(1);
		expect(outcomes.filter((o) => o.inserted)).toHaveLength(1);
		db.close();
	});

	test('history pages over 1,200 runs match a naive newest-first reference', async () => {
		const db = await openDb(uniqueName('history'));
		const rows = makeRuns(1200);
		await db.runs.bulkAdd(rows);
		const expected = rows
			.filter((r) => r.modelId === 'model-b')
			.sort((a, b) => b.createdAt - a.createdAt)
			.map((r) => r.id);
		const seen: string[] = [];
		let page = await listRuns(db, { modelId: 'model-b' });
		seen.push(...page.runs.map((r) => r.id));
		while (page.next) {
			page = await listRuns(db, { modelId: 'model-b' }, { after: page.next });
			seen.push(...page.runs.map((r) => r.id));
		}
		expect(seen).toEqual(expected);
		db.close();
	});

	test('export then import through a Blob restores runs; adapter blobs stay local', async () => {
		const source = await openDb(uniqueName('export'));
		await source.runs.bulkAdd(makeRuns(30));
		const adapter = makeAdapter({ id: 'ad' });
		const bytes = new Uint8Array([1, 2, 3, 4]);
		await putAdapter(source, adapter, new Map([[adapter.files[0].hash, new Blob([bytes])]]));
		const stored = await getAdapterFile(source, adapter.files[0].hash);
		expect(new Uint8Array(await stored!.blob.arrayBuffer())).toEqual(bytes);

		const target = await openDb(uniqueName('import'));
		const summary = await importBundle(target, await exportAll(source));
		expect(summary.tables.runs.added).toBe(30);
		expect(summary.adaptersWithoutFiles).toBe(1);
		expect(await target.runs.orderBy('id').toArray()).toEqual(await source.runs.orderBy('id').toArray());
		source.close();
		target.close();
	});
});
