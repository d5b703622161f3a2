// Recipe repository: named recipes with immutable, numbered versions. Editing saves a NEW version;
// runs keep pointing at (and snapshotting) the version they used, so deleting a recipe (and its
// versions) leaves history readable. Functions take the db first. No svelte/worker/web-llm imports.
import { hashRecipeContent, validateSampling, type RecipeContent } from '../../domain/recipes/index.ts';
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { RecipeRow, RecipeVersionRow } from '../rows.ts';
import { newId } from './ids.ts';

export class RecipeNotFoundError extends Error {
	override name = 'RecipeNotFoundError';
	constructor(readonly recipeId: string) {
		super(`Recipe ${recipeId} no longer exists: it may have been deleted in another tab. Reload the list.`);
	}
}

export class RecipeNameError extends Error {
	override name = 'RecipeNameError';
	constructor() {
		super('A recipe needs a name: type at least one visible character.');
	}
}

function cleanName(name: string): string {
	const trimmed = name.trim();
	if (!trimmed) throw new RecipeNameError();
	return trimmed;
}

async function makeVersion(recipeId: string, version: number, content: RecipeContent, now: number) {
	validateSampling(content.sampling);
	const row: RecipeVersionRow = {
		id: newId(),
		recipeId,
		version,
		content: structuredClone(content),
		hash: await hashRecipeContent(content),
		createdAt: now
	};
	return row;
}

/**
 * Creates a recipe with its first version.
 * @throws RecipeNameError for a blank name, InvalidSamplingError for bad sampling settings.
 */
export async function createRecipe(
	db: TuneDb,
	name: string,
	content: RecipeContent,
	now = Date.now()
): Promise<{ recipe: RecipeRow; version: RecipeVersionRow }> {
	const recipe: RecipeRow = {
		id: newId(),
		name: cleanName(name),
		createdAt: now,
		updatedAt: now,
		latestVersion: 1
	};
	const version = await makeVersion(recipe.id, 1, content, now);
	await guardWrite(() =>
		db.transaction('rw', db.recipes, db.recipeVersions, async () => {
			await db.recipes.add(recipe);
			await db.recipeVersions.add(version);
		})
	);
	return { recipe, version };
}

/**
 * Saves edited content as a new version. Content identical (same hash) to the latest version
 * makes no new version and returns the latest one.
 * @throws RecipeNotFoundError, InvalidSamplingError.
 */
export async function saveRecipeVersion(db: TuneDb, recipeId: string, content: RecipeContent, now = Date.now()): Promise<RecipeVersionRow> {
	const hash = await hashRecipeContent(content);
	validateSampling(content.sampling);
	return guardWrite(() =>
		db.transaction('rw', db.recipes, db.recipeVersions, async () => {
			const recipe = await db.recipes.get(recipeId);
			if (!recipe) throw new RecipeNotFoundError(recipeId);
			const latest = await db.recipeVersions.get({ recipeId, version: recipe.latestVersion });
			if (latest && latest.hash === hash) return latest;
			const row: RecipeVersionRow = {
				id: newId(),
				recipeId,
				version: recipe.latestVersion + 1,
				content: structuredClone(content),
				hash,
				createdAt: now
			};
			await db.recipeVersions.add(row);
			await db.recipes.update(recipeId, { latestVersion: row.version, updatedAt: now });
			return row;
		})
	);
}

/** One recipe, or undefined. */
export function getRecipe(db: TuneDb, recipeId: string): Promise<RecipeRow | undefined> {
	return db.recipes.get(recipeId);
}

/** One version by its id, or undefined. */
export function getRecipeVersion(db: TuneDb, versionId: string): Promise<RecipeVersionRow | undefined> {
	return db.recipeVersions.get(versionId);
}

/** The newest version of a recipe, or undefined when the recipe does not exist. */
export async function getLatestVersion(db: TuneDb, recipeId: string): Promise<RecipeVersionRow | undefined> {
	const recipe = await db.recipes.get(recipeId);
	if (!recipe) return undefined;
	return db.recipeVersions.get({ recipeId, version: recipe.latestVersion });
}

/** All versions of a recipe, newest first. */
export async function listRecipeVersions(db: TuneDb, recipeId: string): Promise<RecipeVersionRow[]> {
	const rows = await db.recipeVersions.where('[recipeId+version]').between([recipeId, 0], [recipeId, Infinity]).toArray();
	return rows.reverse();
}

/** Recipes, most recently updated first; archived ones only when asked. */
export async function listRecipes(db: TuneDb, opts: { includeArchived?: boolean } = {}): Promise<RecipeRow[]> {
	const rows = await db.recipes.orderBy('updatedAt').reverse().toArray();
	return opts.includeArchived ? rows : rows.filter((r) => !r.archived);
}

/**
 * Renames a recipe (no new version: the name is not part of the content).
 * @throws RecipeNameError, RecipeNotFoundError.
 */
export async function renameRecipe(db: TuneDb, recipeId: string, name: string, now = Date.now()): Promise<void> {
	const clean = cleanName(name);
	const changed = await guardWrite(() => db.recipes.update(recipeId, { name: clean, updatedAt: now }));
	if (changed === 0) throw new RecipeNotFoundError(recipeId);
}

/** Hides or shows a recipe in the default list. @throws RecipeNotFoundError. */
export async function setRecipeArchived(db: TuneDb, recipeId: string, archived: boolean): Promise<void> {
	const changed = await guardWrite(() => db.recipes.update(recipeId, { archived }));
	if (changed === 0) throw new RecipeNotFoundError(recipeId);
}

/**
 * Copies a recipe's latest content into a new recipe (version 1), named "<name> (copy)" by default.
 * @throws RecipeNotFoundError.
 */
export async function duplicateRecipe(
	db: TuneDb,
	recipeId: string,
	name?: string,
	now = Date.now()
): Promise<{ recipe: RecipeRow; version: RecipeVersionRow }> {
	const recipe = await db.recipes.get(recipeId);
	const latest = await getLatestVersion(db, recipeId);
	if (!recipe || !latest) throw new RecipeNotFoundError(recipeId);
	return createRecipe(db, name ?? `${recipe.name} (copy)`, latest.content, now);
}

/** Deletes a recipe and its versions; runs keep their own snapshot of name and content. */
export async function deleteRecipe(db: TuneDb, recipeId: string): Promise<void> {
	await db.transaction('rw', db.recipes, db.recipeVersions, async () => {
		await db.recipeVersions.where('recipeId').equals(recipeId).delete();
		await db.recipes.delete(recipeId);
	});
}
