// Covers: schema upgrades to v3. A v1 database is seeded with a raw Dexie that declares only
// version 1 (runs without recipeId/recipeName), closed, then opened with TuneDb: runs get recipeId
// and recipeName back-filled (empty for a deleted recipe), v2 indexes answer queries, derivedModels
// exists, other rows are untouched, and the v3 comparison tables exist and work (unique indexes
// included). A v2 database (seeded with SCHEMA_V1 + SCHEMA_V2) opens as v3 with every row intact.
// Also: versionchange closes the db and calls onReloadNeeded.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, test } from 'vitest';
import { RELOAD_MESSAGE } from '../../src/storage/errors.ts';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3, TuneDb } from '../../src/storage/db.ts';
import { latestBatch } from '../../src/storage/repos/batches.ts';
import { listRuns } from '../../src/storage/repos/history.ts';
import { putResult } from '../../src/storage/repos/results.ts';
import { createTestSet, getTestItems } from '../../src/storage/repos/testsets.ts';
import { setVote, votesOf } from '../../src/storage/repos/votes.ts';
import { makeAdapter, makeBatch, makeDerivedModel, makeRecipe, makeRecipeVersion, makeResult, makeRun } from '../factories/rows.ts';
import { uniqueDbName } from './fresh-db.ts';

/** A run as version 1 stored it: no recipeId, no recipeName. */
function v1Run(overrides: Parameters<typeof makeRun>[0]) {
	const { recipeId: _r, recipeName: _n, ...rest } = makeRun(overrides);
	return rest;
}

const NEW_TABLES = ['variants', 'testSets', 'testItems', 'experiments', 'batches', 'results', 'manualScores', 'votes'];

/** Writes and reads every new table through the repos (unique indexes included). */
async function expectComparisonTablesWork(db: TuneDb): Promise<void> {
	for (const t of NEW_TABLES) expect(await db.table(t).count(), t).toBe(0);
	const set = await createTestSet(db, { name: 'S', columns: ['q'], scoring: { assertions: [] }, source: 'created in the app' }, [
		{ vars: { q: '1' } },
		{ vars: { q: '2' } }
	]);
	expect((await getTestItems(db, set.id)).map((i) => i.index)).toEqual([0, 1]);
	await db.batches.add(makeBatch({ id: 'b', experimentId: 'e', createdAt: 5 }));
	expect((await latestBatch(db, 'e'))?.id).toBe('b');
	expect((await putResult(db, makeResult({ id: 'r1', batchId: 'b', variantId: 'v', itemId: 'i' }))).inserted).toBe(true);
	expect((await putResult(db, makeResult({ id: 'r2', batchId: 'b', variantId: 'v', itemId: 'i' }))).inserted).toBe(false);
	await setVote(db, { experimentId: 'e', itemId: 'i', a: 'x', b: 'y', winner: 'a' });
	await setVote(db, { experimentId: 'e', itemId: 'i', a: 'x', b: 'y', winner: 'b' });
	expect((await votesOf(db, 'e')).map((v) => v.winner)).toEqual(['b']);
}

describe('migration v1 → v3', () => {
	test('back-fills recipeId and recipeName on runs and adds the new indexes and table', async () => {
		const name = uniqueDbName('migrate');
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		const recipe = makeRecipe({ id: 'rec-1', name: 'Translator' });
		const version = makeRecipeVersion({ id: 'ver-1', recipeId: 'rec-1' });
		await v1.table('recipes').add(recipe);
		await v1.table('recipeVersions').add(version);
		await v1
			.table('runs')
			.bulkAdd([
				v1Run({ id: 'a', recipeVersionId: 'ver-1', createdAt: 1 }),
				v1Run({ id: 'b', recipeVersionId: 'ver-deleted', createdAt: 2 }),
				v1Run({ id: 'c', recipeVersionId: 'ver-1', createdAt: 3, status: 'failed' })
			]);
		await v1.table('settings').put({ key: 'endpointBaseUrl', value: 'http://x' });
		v1.close();

		const db = new TuneDb(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(await db.runs.get('a')).toMatchObject({ recipeId: 'rec-1', recipeName: 'Translator' });
		expect(await db.runs.get('b')).toMatchObject({ recipeId: '', recipeName: '' });
		const byRecipe = await listRuns(db, { recipeId: 'rec-1' });
		expect(byRecipe.runs.map((r) => r.id)).toEqual(['c', 'a']);
		const failedOfRecipe = await db.runs
			.where('[recipeId+createdAt]')
			.between(['rec-1', 0], ['rec-1', Infinity])
			.filter((r) => r.status === 'failed')
			.primaryKeys();
		expect(failedOfRecipe).toEqual(['c']);
		await db.derivedModels.add(makeDerivedModel({ id: 'd1', adapterId: 'ad' }));
		expect(await db.derivedModels.where('adapterId').equals('ad').count()).toBe(1);
		expect(await db.recipes.get('rec-1')).toEqual(recipe);
		expect(await db.settings.get('endpointBaseUrl')).toEqual({
			key: 'endpointBaseUrl',
			value: 'http://x'
		});
		await expectComparisonTablesWork(db);
		db.close();
	});
});

describe('migration v2 → v3', () => {
	test('every v2 row is kept and the comparison tables are added empty and usable', async () => {
		const name = uniqueDbName('migrate-v2');
		const v2 = new Dexie(name);
		v2.version(1).stores(SCHEMA_V1);
		v2.version(2).stores(SCHEMA_V2);
		await v2.open();
		const recipe = makeRecipe({ id: 'rec-1' });
		const version = makeRecipeVersion({ id: 'ver-1', recipeId: 'rec-1' });
		const runs = [makeRun({ id: 'a', createdAt: 1 }), makeRun({ id: 'b', createdAt: 2, modelId: 'other' })];
		const adapter = makeAdapter({ id: 'ad' });
		const derived = makeDerivedModel({ id: 'd1', adapterId: 'ad' });
		await v2.table('recipes').add(recipe);
		await v2.table('recipeVersions').add(version);
		await v2.table('runs').bulkAdd(runs);
		await v2.table('adapters').add(adapter);
		await v2.table('adapterFiles').add({ hash: 'h', blob: new Uint8Array([1, 2, 3]), sizeBytes: 3 });
		await v2.table('derivedModels').add(derived);
		await v2.table('settings').put({ key: 'theme', value: 'dark' });
		v2.close();

		const db = new TuneDb(name);
		await db.open();
		expect(db.verno).toBe(3);
		expect(db.tables.map((t) => t.name).sort()).toEqual(Object.keys(SCHEMA_V3).sort());
		expect(await db.recipes.toArray()).toEqual([recipe]);
		expect(await db.recipeVersions.toArray()).toEqual([version]);
		expect(await db.runs.toArray()).toEqual(runs);
		expect(await db.adapters.toArray()).toEqual([adapter]);
		expect((await db.adapterFiles.get('h'))?.sizeBytes).toBe(3);
		expect(await db.derivedModels.toArray()).toEqual([derived]);
		expect(await db.settings.get('theme')).toEqual({ key: 'theme', value: 'dark' });
		const byModel = await db.runs.where('[modelId+createdAt]').between(['other', 0], ['other', Infinity]).primaryKeys();
		expect(byModel).toEqual(['b']);
		await expectComparisonTablesWork(db);
		db.close();
	});
});

describe('versionchange', () => {
	test('a newer connection makes the old one close and ask for a reload', async () => {
		const name = uniqueDbName('versionchange');
		const messages: string[] = [];
		const old = new TuneDb(name, { onReloadNeeded: (m) => messages.push(m) });
		await old.open();
		const newer = new Dexie(name);
		newer.version(4).stores({ ...SCHEMA_V3, extra: 'id' });
		await newer.open();
		expect(messages).toEqual([RELOAD_MESSAGE]);
		expect(old.isOpen()).toBe(false);
		await expect(old.runs.count()).rejects.toThrow();
		newer.close();
	});
});
