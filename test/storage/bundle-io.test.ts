// Covers: exportAll → importBundle round trip into an empty db (every table equal, adapter blobs
// excluded and reported), merge policy (existing keys skipped: identical vs conflicting, recipe
// version slot conflicts), secret-looking settings left out of exports, imported 'running' runs become 'interrupted', all-or-nothing import
// (a bundle whose 5th run is invalid writes nothing; a write failure mid-transaction rolls back).
import { describe, expect, test } from 'vitest';
import { BUNDLE_FORMAT, BundleError, type Bundle } from '../../src/domain/bundle/index.ts';
import type { TuneDb } from '../../src/storage/db.ts';
import { APP_VERSION, buildBundle, exportAll, importBundle } from '../../src/storage/bundle-io.ts';
import { putAdapter } from '../../src/storage/repos/adapters.ts';
import { createRecipe, saveRecipeVersion } from '../../src/storage/repos/recipes.ts';
import { setSetting } from '../../src/storage/repos/settings.ts';
import {
	makeAdapter,
	makeDerivedModel,
	makeRecipeContent,
	makeRun,
	makeRuns
} from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

async function seed(db: TuneDb): Promise<void> {
	const { recipe } = await createRecipe(db, 'Summariser', makeRecipeContent(), 1000);
	await saveRecipeVersion(db, recipe.id, makeRecipeContent({ system: 'v2' }), 2000);
	await db.runs.bulkAdd(makeRuns(12));
	const adapter = makeAdapter({ id: 'ad1' });
	await putAdapter(db, adapter, new Map([[adapter.files[0].hash, new Blob(['LORA'])]]));
	await db.derivedModels.add(makeDerivedModel({ id: 'dm1', adapterId: 'ad1' }));
	await setSetting(db, 'endpointBaseUrl', 'http://localhost:9/v1');
}

async function tablesOf(db: TuneDb) {
	return (await buildBundle(db)).tables;
}

describe('export and import', () => {
	test('round trip into an empty database restores every table except adapter blobs', async () => {
		const source = await freshDb('export');
		await seed(source);
		const file = await exportAll(source);
		expect(file.type).toBe('application/json');
		const parsed = JSON.parse(await file.text()) as Bundle;
		expect(parsed).toMatchObject({ format: BUNDLE_FORMAT, schemaVersion: 1, appVersion: APP_VERSION });
		expect(JSON.stringify(parsed)).not.toContain('LORA');

		const target = await freshDb('import');
		const summary = await importBundle(target, file);
		expect(await tablesOf(target)).toEqual(await tablesOf(source));
		expect(summary.tables.runs).toEqual({ added: 12, identical: 0, conflicting: 0 });
		expect(summary.tables.recipeVersions.added).toBe(2);
		expect(summary.adaptersWithoutFiles).toBe(1);
		expect(await target.adapterFiles.count()).toBe(0);
		source.close();
		target.close();
	});

	test('settings that look secret are not exported', async () => {
		const db = await freshDb('export');
		await setSetting(db, 'endpointApiKey', 'sk-123');
		await setSetting(db, 'hfToken', 'hf_abc');
		await setSetting(db, 'selectedModelId', 'm');
		const text = await (await exportAll(db)).text();
		expect(JSON.parse(text).tables.settings).toEqual([{ key: 'selectedModelId', value: 'm' }]);
		expect(text).not.toMatch(/sk-123|hf_abc/);
		db.close();
	});

	test('importing into the same db skips every row as identical', async () => {
		const db = await freshDb('import');
		await seed(db);
		const text = JSON.stringify(await buildBundle(db));
		const summary = await importBundle(db, text);
		for (const counts of Object.values(summary.tables)) {
			expect(counts.added).toBe(0);
			expect(counts.conflicting).toBe(0);
		}
		expect(summary.tables.runs.identical).toBe(12);
		expect(summary.adaptersWithoutFiles).toBe(0);
		db.close();
	});

	test('existing keys win: differing rows are counted as conflicts and left unchanged', async () => {
		const db = await freshDb('import');
		await db.runs.add(makeRun({ id: 'same', output: 'local' }));
		const bundle = await buildBundle(await freshDb('other'));
		bundle.tables.runs = [makeRun({ id: 'same', output: 'imported' }), makeRun({ id: 'new' })];
		const summary = await importBundle(db, JSON.stringify(bundle));
		expect(summary.tables.runs).toEqual({ added: 1, identical: 0, conflicting: 1 });
		expect((await db.runs.get('same'))?.output).toBe('local');
		expect(await db.runs.get('new')).toBeDefined();
		db.close();
	});

	test('a recipe version whose (recipe, number) slot is taken is a conflict, not a crash', async () => {
		const db = await freshDb('import');
		const { recipe, version } = await createRecipe(db, 'R', makeRecipeContent());
		const bundle = await buildBundle(db);
		bundle.tables.recipeVersions = [{ ...version, id: 'other-id', hash: 'x' }];
		bundle.tables.recipes = [];
		const summary = await importBundle(db, JSON.stringify(bundle));
		expect(summary.tables.recipeVersions).toEqual({ added: 0, identical: 0, conflicting: 1 });
		expect(await db.recipeVersions.where('recipeId').equals(recipe.id).count()).toBe(1);
		db.close();
	});

	test("imported runs still 'running' become 'interrupted'", async () => {
		const db = await freshDb('import');
		const bundle = await buildBundle(db);
		bundle.tables.runs = [makeRun({ id: 'live', status: 'running' })];
		await importBundle(db, JSON.stringify(bundle));
		expect((await db.runs.get('live'))?.status).toBe('interrupted');
		db.close();
	});

	test('a bundle whose 5th run is invalid imports nothing', async () => {
		const db = await freshDb('import');
		const source = await freshDb('export');
		await seed(source);
		const bundle = JSON.parse(await (await exportAll(source)).text());
		bundle.tables.runs[4].status = 'exploded';
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow(BundleError);
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow(/tables\.runs\[4\]\.status/);
		for (const table of db.tables) expect(await table.count()).toBe(0);
		source.close();
		db.close();
	});

	test('a failure while writing rolls the whole import back', async () => {
		const db = await freshDb('import');
		const bundle = await buildBundle(db);
		bundle.tables.runs = makeRuns(5);
		bundle.tables.settings = [{ key: 'k', value: 1 }];
		// Make the last table's write fail inside the transaction (after runs were added).
		db.settings.hook('creating', () => {
			throw new Error('disk on fire');
		});
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow();
		expect(await db.runs.count()).toBe(0);
		expect(await db.settings.count()).toBe(0);
		db.close();
	});
});
