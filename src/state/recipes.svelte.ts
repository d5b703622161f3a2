// Saved recipes: a live list with each recipe's versions, and the actions on them. Saving a saved
// recipe makes a NEW version (the repository skips identical content). Loads versions into the
// RecipeEditor it is given. Imports storage and dexie's liveQuery; no DOM or worker code.
import { liveQuery, type Subscription } from 'dexie';
import type { TuneDb } from '../storage/db.ts';
import {
	createRecipe,
	deleteRecipe,
	duplicateRecipe,
	getLatestVersion,
	listRecipes,
	renameRecipe,
	saveRecipeVersion
} from '../storage/repos/recipes.ts';
import { getSetting, setSetting } from '../storage/repos/settings.ts';
import type { EditorDraft, RecipeEditor } from './recipe-editor.svelte.ts';

/** Settings key of the editor's draft, reopened after a reload. */
export const EDITOR_DRAFT_KEY = 'editorDraft';
/** The draft is written at most this often while typing. */
export const DRAFT_SAVE_DELAY_MS = 300;

export interface RecipeListItem {
	id: string;
	name: string;
	versions: number[];
}

export class RecipesState {
	list = $state.raw<RecipeListItem[]>([]);
	/** Id of the RecipeVersionRow the editor holds (null for an unsaved draft). */
	versionId = $state<string | null>(null);
	error = $state<string | null>(null);

	#db: TuneDb;
	#editor: RecipeEditor;
	#sub: Subscription | null = null;
	#stopDraft: (() => void) | null = null;

	constructor(db: TuneDb, editor: RecipeEditor) {
		this.#db = db;
		this.#editor = editor;
	}

	start(): void {
		void this.#keepDraft();
		this.#sub = liveQuery(async () => {
			const rows = await listRecipes(this.#db);
			return rows.map((r) => ({
				id: r.id,
				name: r.name,
				versions: Array.from({ length: r.latestVersion }, (_, i) => i + 1)
			}));
		}).subscribe({
			next: (list) => (this.list = list),
			error: (e: unknown) => (this.error = String(e))
		});
	}

	/** Opens a recipe's given version (default: latest) in the editor. */
	async open(recipeId: string, version?: number): Promise<void> {
		await this.#try(async () => {
			const row =
				version === undefined ? await getLatestVersion(this.#db, recipeId) : await this.#db.recipeVersions.get({ recipeId, version });
			const recipe = await this.#db.recipes.get(recipeId);
			if (!row || !recipe) throw new Error('That recipe no longer exists (deleted in another tab?).');
			this.#editor.load({ id: recipeId, name: recipe.name, version: row.version, content: row.content });
			this.versionId = row.id;
		});
	}

	/** Saves the draft: a new recipe (v1) or a new version of the open one. */
	async save(): Promise<void> {
		await this.#try(async () => {
			const e = this.#editor;
			const content = $state.snapshot(e.content);
			if (e.recipeId === null) {
				const { recipe, version } = await createRecipe(this.#db, e.name, content);
				e.markSaved(recipe.id, version.version);
				this.versionId = version.id;
			} else {
				const row = await saveRecipeVersion(this.#db, e.recipeId, content);
				const recipe = await this.#db.recipes.get(e.recipeId);
				if (recipe && recipe.name !== e.name.trim()) await renameRecipe(this.#db, e.recipeId, e.name);
				e.markSaved(e.recipeId, row.version);
				this.versionId = row.id;
			}
		});
	}

	newDraft(): void {
		this.#editor.load(null);
		this.versionId = null;
	}

	async duplicate(): Promise<void> {
		await this.#try(async () => {
			const e = this.#editor;
			if (e.recipeId === null) {
				e.name = `${e.name} (copy)`;
				return;
			}
			const { recipe } = await duplicateRecipe(this.#db, e.recipeId);
			await this.open(recipe.id);
		});
	}

	async rename(name: string): Promise<void> {
		await this.#try(async () => {
			if (this.#editor.recipeId !== null) await renameRecipe(this.#db, this.#editor.recipeId, name);
		});
	}

	async remove(recipeId: string): Promise<void> {
		await this.#try(async () => {
			await deleteRecipe(this.#db, recipeId);
			if (this.#editor.recipeId === recipeId) this.newDraft();
		});
	}

	destroy(): void {
		this.#sub?.unsubscribe();
		this.#stopDraft?.();
	}

	/** Reopens the draft that was open before a reload, then keeps writing it as it changes. */
	async #keepDraft(): Promise<void> {
		const draft = await getSetting<EditorDraft | null>(this.#db, EDITOR_DRAFT_KEY, null).catch(() => null);
		if (draft && typeof draft === 'object' && typeof draft.template === 'string') {
			const row =
				draft.recipeId && draft.version !== null
					? await this.#db.recipeVersions.get({ recipeId: draft.recipeId, version: draft.version })
					: undefined;
			// A recipe deleted since (maybe in another tab) leaves its draft as an unsaved one.
			this.#editor.restoreDraft(row ? draft : { ...draft, recipeId: null, version: null });
			this.versionId = row?.id ?? null;
		}
		let timer: ReturnType<typeof setTimeout> | undefined;
		this.#stopDraft = $effect.root(() => {
			$effect(() => {
				const next = this.#editor.toDraft();
				clearTimeout(timer);
				timer = setTimeout(
					() =>
						void setSetting(this.#db, EDITOR_DRAFT_KEY, next).catch(
							(e: unknown) => (this.error = `Could not keep the draft: ${String(e)}`)
						),
					DRAFT_SAVE_DELAY_MS
				);
				return () => clearTimeout(timer);
			});
		});
	}

	async #try(action: () => Promise<void>): Promise<void> {
		try {
			this.error = null;
			await action();
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
		}
	}
}
