// Covers: schema v1 → v2 upgrade. A v1 database is seeded with a raw Dexie that declares only
// version 1 (runs without recipeId/recipeName), closed, then opened with TuneDb: runs get recipeId
// and recipeName back-filled (empty for a deleted recipe), new indexes answer queries, derivedModels
// exists, other rows are untouched. Also: versionchange closes the db and calls onReloadNeeded.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, test } from 'vitest';
import { RELOAD_MESSAGE } from '../../src/storage/errors.ts';
import { SCHEMA_V1, TuneDb } from '../../src/storage/db.ts';
import { listRuns } from '../../src/storage/repos/history.ts';
import { makeRecipe, makeRecipeVersion, makeRun, makeDerivedModel } from '../factories/rows.ts';
import { uniqueDbName } from './fresh-db.ts';

/** A run as version 1 stored it: no recipeId, no recipeName. */
function v1Run(overrides: Parameters<typeof makeRun>[0]) {
	const { recipeId: _r, recipeName: _n, ...rest } = makeRun(overrides);
	return rest;
}

describe('migration v1 → v2', () => {
	test('back-fills recipeId and recipeName on runs and adds the new indexes and table', async () => {
		const name = uniqueDbName('migrate');
		const v1 = new Dexie(name);
		v1.version(1).stores(SCHEMA_V1);
		await v1.open();
		const recipe = makeRecipe({ id: 'rec-1', name: 'Translator' });
		const version = makeRecipeVersion({ id: 'ver-1', recipeId: 'rec-1' });
		await v1.table('recipes').add(recipe);
		await v1.table('recipeVersions').add(version);
		await v1.table('runs').bulkAdd([
			v1Run({ id: 'a', recipeVersionId: 'ver-1', createdAt: 1 }),
			v1Run({ id: 'b', recipeVersionId: 'ver-deleted', createdAt: 2 }),
			v1Run({ id: 'c', recipeVersionId: 'ver-1', createdAt: 3, status: 'failed' })
		]);
		await v1.table('settings').put({ key: 'endpointBaseUrl', value: 'http://x' });
		v1.close();

		const db = new TuneDb(name);
		await db.open();
		expect(db.verno).toBe(2);
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
		db.close();
	});

	test('a newer connection makes the old one close and ask for a reload', async () => {
		const name = uniqueDbName('versionchange');
		const messages: string[] = [];
		const old = new TuneDb(name, { onReloadNeeded: (m) => messages.push(m) });
		await old.open();
		const newer = new Dexie(name);
		newer.version(3).stores({ ...SCHEMA_V1, extra: 'id' });
		await newer.open();
		expect(messages).toEqual([RELOAD_MESSAGE]);
		expect(old.isOpen()).toBe(false);
		await expect(old.runs.count()).rejects.toThrow();
		newer.close();
	});
});
