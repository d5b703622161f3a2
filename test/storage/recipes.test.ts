// Covers: recipe repository — create (v1 + hash), editing makes a new version while old versions stay,
// identical content makes no version, rename/archive/duplicate/delete, errors for blank names,
// bad sampling and unknown ids; runs keep their snapshot after the recipe is deleted.
import { describe, expect, test } from 'vitest';
import { InvalidSamplingError, hashRecipeContent } from '../../src/domain/recipes/index.ts';
import {
	RecipeNameError,
	RecipeNotFoundError,
	createRecipe,
	deleteRecipe,
	duplicateRecipe,
	getLatestVersion,
	getRecipe,
	getRecipeVersion,
	listRecipeVersions,
	listRecipes,
	renameRecipe,
	saveRecipeVersion,
	setRecipeArchived
} from '../../src/storage/repos/recipes.ts';
import { getRun, startRun } from '../../src/storage/repos/runs.ts';
import { makeNewRun, makeRecipeContent } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';
import type { TuneDb } from '../../src/storage/db.ts';

describe('recipes repository', () => {
	test('create stores the recipe and version 1 with the content hash', async () => {
		const db = await freshDb('recipes');
		const content = makeRecipeContent();
		const { recipe, version } = await createRecipe(db, '  My recipe ', content, 1000);
		expect(recipe).toMatchObject({ name: 'My recipe', latestVersion: 1, createdAt: 1000 });
		expect(version).toMatchObject({ recipeId: recipe.id, version: 1, content });
		expect(version.hash).toBe(await hashRecipeContent(content));
		expect(await getRecipe(db, recipe.id)).toEqual(recipe);
		expect(await getRecipeVersion(db, version.id)).toEqual(version);
		db.close();
	});

	test('editing makes a new version; the old one is unchanged', async () => {
		const db = await freshDb('recipes');
		const { recipe, version: v1 } = await createRecipe(db, 'R', makeRecipeContent(), 1000);
		const edited = makeRecipeContent({ system: 'Be brief.' });
		const v2 = await saveRecipeVersion(db, recipe.id, edited, 2000);
		expect(v2.version).toBe(2);
		expect(v2.id).not.toBe(v1.id);
		expect((await getRecipeVersion(db, v1.id))?.content.system).toBe(v1.content.system);
		expect(await getLatestVersion(db, recipe.id)).toEqual(v2);
		expect((await listRecipeVersions(db, recipe.id)).map((v) => v.version)).toEqual([2, 1]);
		expect(await getRecipe(db, recipe.id)).toMatchObject({ latestVersion: 2, updatedAt: 2000 });
		db.close();
	});

	test('saving identical content makes no new version', async () => {
		const db = await freshDb('recipes');
		const { recipe, version } = await createRecipe(db, 'R', makeRecipeContent());
		const again = await saveRecipeVersion(db, recipe.id, makeRecipeContent());
		expect(again.id).toBe(version.id);
		expect(await listRecipeVersions(db, recipe.id)).toHaveLength(1);
		db.close();
	});

	test('rename, archive and list (newest update first, archived hidden by default)', async () => {
		const db = await freshDb('recipes');
		const a = (await createRecipe(db, 'A', makeRecipeContent(), 1000)).recipe;
		const b = (await createRecipe(db, 'B', makeRecipeContent(), 2000)).recipe;
		await renameRecipe(db, a.id, 'A2', 3000);
		expect((await listRecipes(db)).map((r) => r.name)).toEqual(['A2', 'B']);
		await setRecipeArchived(db, a.id, true);
		expect((await listRecipes(db)).map((r) => r.id)).toEqual([b.id]);
		expect(await listRecipes(db, { includeArchived: true })).toHaveLength(2);
		db.close();
	});

	test('duplicate copies the latest content into a new recipe at version 1', async () => {
		const db = await freshDb('recipes');
		const { recipe } = await createRecipe(db, 'Orig', makeRecipeContent());
		const latest = await saveRecipeVersion(db, recipe.id, makeRecipeContent({ template: '{{q}}' }));
		const copy = await duplicateRecipe(db, recipe.id);
		expect(copy.recipe.id).not.toBe(recipe.id);
		expect(copy.recipe.name).toBe('Orig (copy)');
		expect(copy.version.version).toBe(1);
		expect(copy.version.content).toEqual(latest.content);
		db.close();
	});

	test('delete removes recipe and versions; runs keep their snapshot', async () => {
		const db = await freshDb('recipes');
		const { recipe, version } = await createRecipe(db, 'Gone', makeRecipeContent());
		const input = makeNewRun({
			recipeId: recipe.id,
			recipeName: recipe.name,
			recipeVersionId: version.id
		});
		const run = await startRun(db, input);
		await deleteRecipe(db, recipe.id);
		expect(await getRecipe(db, recipe.id)).toBeUndefined();
		expect(await listRecipeVersions(db, recipe.id)).toEqual([]);
		const kept = await getRun(db, run.id);
		expect(kept?.recipeName).toBe('Gone');
		expect(kept?.recipe).toEqual(input.recipe);
		db.close();
	});

	const badSampling = makeRecipeContent({ sampling: { temperature: 5 } });
	test.each<[string, (db: TuneDb) => Promise<unknown>, new (...a: never[]) => Error]>([
		['blank name on create', (db) => createRecipe(db, '   ', makeRecipeContent()), RecipeNameError],
		['bad sampling on create', (db) => createRecipe(db, 'x', badSampling), InvalidSamplingError],
		['unknown recipe on save', (db) => saveRecipeVersion(db, 'no', makeRecipeContent()), RecipeNotFoundError],
		['unknown recipe on rename', (db) => renameRecipe(db, 'no', 'x'), RecipeNotFoundError],
		['unknown recipe on duplicate', (db) => duplicateRecipe(db, 'no'), RecipeNotFoundError]
	])('%s rejects', async (_label, act, ErrorClass) => {
		const db = await freshDb('recipes');
		await expect(act(db)).rejects.toBeInstanceOf(ErrorClass);
		expect(await db.recipes.count()).toBe(0);
		db.close();
	});
});
