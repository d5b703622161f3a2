// Covers: the recipe editor's draft survives a reload — an unsaved draft with the values typed last,
// and a saved recipe with unsaved edits (still marked unsaved, still tied to its version); a draft
// whose recipe was deleted meanwhile comes back as an unsaved draft. Real IndexedDB in Chromium.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { deleteRecipe } from '../../../src/storage/repos/recipes.ts';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';
import { DRAFT_SAVE_DELAY_MS, RecipesState } from '../../../src/state/recipes.svelte.ts';

let db: TuneDb;
let dbName: string;
const opened: RecipesState[] = [];
beforeEach(async () => {
	dbName = `editor-draft-${crypto.randomUUID()}`;
	db = await openDb(dbName);
});
afterEach(async () => {
	for (const r of opened.splice(0)) r.destroy();
	db.close();
	await indexedDB.deleteDatabase(dbName);
});

/** A fresh editor and recipe list on the same database, as after a page reload. */
function page(): { editor: RecipeEditor; recipes: RecipesState } {
	const editor = new RecipeEditor();
	const recipes = new RecipesState(db, editor);
	opened.push(recipes);
	recipes.start();
	return { editor, recipes };
}
const settle = () => new Promise((r) => setTimeout(r, DRAFT_SAVE_DELAY_MS + 200));

describe('the editor draft across a reload', () => {
	test('an unsaved draft comes back with its template, system prompt and the values typed last', async () => {
		const first = page();
		await settle();
		first.editor.template = 'Translate {{word}} to {{language}}';
		first.editor.system = 'You translate.';
		first.editor.values = { word: 'sunflower', language: 'Portuguese' };
		await settle();
		first.recipes.destroy();

		const again = page();
		await expect.poll(() => again.editor.template).toBe('Translate {{word}} to {{language}}');
		expect(again.editor.system).toBe('You translate.');
		expect(again.editor.values).toEqual({ word: 'sunflower', language: 'Portuguese' });
		expect(again.editor.recipeId).toBeNull();
		expect(again.editor.dirty).toBe(true);
	});

	test('a saved recipe with edits reopens as that recipe and version, still with unsaved changes', async () => {
		const first = page();
		await settle();
		first.editor.name = 'Greeter';
		first.editor.template = 'Hello {{name}}';
		await first.recipes.save();
		const savedId = first.editor.recipeId;
		const versionId = first.recipes.versionId;
		expect(savedId).not.toBeNull();
		first.editor.template = 'Hello there, {{name}}';
		await settle();
		first.recipes.destroy();

		const again = page();
		await expect.poll(() => again.editor.template).toBe('Hello there, {{name}}');
		expect(again.editor.recipeId).toBe(savedId);
		expect(again.recipes.versionId).toBe(versionId);
		expect(again.editor.dirty).toBe(true);
	});

	test('a draft whose recipe was deleted meanwhile comes back unsaved', async () => {
		const first = page();
		await settle();
		first.editor.name = 'Gone';
		first.editor.template = 'Bye {{name}}';
		await first.recipes.save();
		const id = first.editor.recipeId!;
		await settle();
		first.recipes.destroy();
		await deleteRecipe(db, id);

		const again = page();
		await expect.poll(() => again.editor.template).toBe('Bye {{name}}');
		expect(again.editor.recipeId).toBeNull();
		expect(again.recipes.versionId).toBeNull();
	});
});
