// The one Dexie database: typed tables and every schema version, ascending and append-only.
// Repositories (repos/*.ts) take a TuneDb first; `db` is the app's only module singleton.
// Must not import svelte, components, workers or web-llm.
import { Dexie, type EntityTable, type Transaction } from 'dexie';
import { RELOAD_MESSAGE } from './errors.ts';
import type {
	AdapterFileRow,
	AdapterRow,
	BatchRow,
	DerivedModelRow,
	ExperimentRow,
	ManualScoreRow,
	RecipeRow,
	RecipeVersionRow,
	ResultRow,
	RunRow,
	SettingRow,
	TestItemRow,
	TestSetRow,
	VariantRow,
	VoteRow
} from './rows.ts';

export const DEFAULT_DB_NAME = 'tune-or-prompt';

/** Schema of version 1, kept verbatim so migration tests can seed a v1 database. */
export const SCHEMA_V1 = {
	recipes: 'id, updatedAt',
	recipeVersions: 'id, recipeId, &[recipeId+version]',
	runs: 'id, createdAt, status, modelId, recipeVersionId',
	adapters: 'id, createdAt',
	adapterFiles: 'hash',
	settings: 'key'
} as const;

/** Version 2 changes only (Dexie inherits the rest). */
export const SCHEMA_V2 = {
	runs: 'id, createdAt, status, modelId, recipeVersionId, recipeId, [recipeId+createdAt], [status+createdAt], [modelId+createdAt]',
	derivedModels: 'id, baseModelId, adapterId, createdAt'
} as const;

/**
 * Version 3: every table, written out (versions are append-only) and checked against the one
 * registry (src/domain/bundle/tables.ts) by test/storage/registry.test.ts, so the schema and the
 * export bundle cannot drift apart. Adds the comparison tables; earlier tables are unchanged.
 */
export const SCHEMA_V3 = {
	recipes: 'id, updatedAt',
	recipeVersions: 'id, recipeId, &[recipeId+version]',
	runs: 'id, createdAt, status, modelId, recipeVersionId, recipeId, [recipeId+createdAt], [status+createdAt], [modelId+createdAt]',
	adapters: 'id, createdAt',
	adapterFiles: 'hash',
	derivedModels: 'id, baseModelId, adapterId, createdAt',
	settings: 'key',
	variants: 'id',
	testSets: 'id, updatedAt',
	testItems: 'id, testSetId, &[testSetId+index]',
	experiments: 'id, updatedAt, testSetId',
	batches: 'id, experimentId, status, [experimentId+createdAt]',
	results: 'id, &[batchId+variantId+itemId], batchId, experimentId, reuseKey, [experimentId+itemId]',
	manualScores: 'resultId',
	votes: 'id, experimentId, &[experimentId+itemId+a+b]'
} as const;

export interface TuneDbOptions {
	/** Called after another tab asked for a newer schema and this connection was closed. */
	onReloadNeeded?: (message: string) => void;
}

export class TuneDb extends Dexie {
	recipes!: EntityTable<RecipeRow, 'id'>;
	recipeVersions!: EntityTable<RecipeVersionRow, 'id'>;
	runs!: EntityTable<RunRow, 'id'>;
	adapters!: EntityTable<AdapterRow, 'id'>;
	adapterFiles!: EntityTable<AdapterFileRow, 'hash'>;
	derivedModels!: EntityTable<DerivedModelRow, 'id'>;
	settings!: EntityTable<SettingRow, 'key'>;
	variants!: EntityTable<VariantRow, 'id'>;
	testSets!: EntityTable<TestSetRow, 'id'>;
	testItems!: EntityTable<TestItemRow, 'id'>;
	experiments!: EntityTable<ExperimentRow, 'id'>;
	batches!: EntityTable<BatchRow, 'id'>;
	results!: EntityTable<ResultRow, 'id'>;
	manualScores!: EntityTable<ManualScoreRow, 'resultId'>;
	votes!: EntityTable<VoteRow, 'id'>;

	/** Set (or pass in options) to show a "reload" message when another tab upgrades the db. */
	onReloadNeeded: ((message: string) => void) | undefined;

	constructor(name = DEFAULT_DB_NAME, options: TuneDbOptions = {}) {
		super(name);
		this.onReloadNeeded = options.onReloadNeeded;

		// v1: initial schema — recipes with immutable versions, runs, adapters + blobs, settings.
		this.version(1).stores(SCHEMA_V1);
		// v2: history filters by recipe (runs carry recipeId/recipeName, back-filled from the
		// recipe tables) with per-filter [x+createdAt] indexes; derivedModels for LoRA merges.
		this.version(2).stores(SCHEMA_V2).upgrade(backfillRunRecipe);
		// v3: the comparison tables (new and empty, so no upgrade function).
		this.version(3).stores(SCHEMA_V3);

		this.on('versionchange', () => {
			this.close({ disableAutoOpen: true });
			this.onReloadNeeded?.(RELOAD_MESSAGE);
			return false;
		});
	}
}

/** v1 → v2: copy recipeId and the recipe's name onto every run (a deleted recipe gives ''). */
async function backfillRunRecipe(tx: Transaction): Promise<void> {
	const versions = new Map<string, string>();
	await tx.table('recipeVersions').each((v: { id: string; recipeId: string }) => {
		versions.set(v.id, v.recipeId);
	});
	const names = new Map<string, string>();
	await tx.table('recipes').each((r: { id: string; name: string }) => names.set(r.id, r.name));
	await tx
		.table('runs')
		.toCollection()
		.modify((run: { recipeVersionId: string; recipeId?: string; recipeName?: string }) => {
			const recipeId = versions.get(run.recipeVersionId) ?? '';
			run.recipeId = recipeId;
			run.recipeName = names.get(recipeId) ?? '';
		});
}

/**
 * Opens (creating or upgrading as needed) a database; tests pass a unique name.
 * @throws StorageFullError-compatible Dexie errors when IndexedDB is unavailable.
 */
export async function openDb(name = DEFAULT_DB_NAME, options: TuneDbOptions = {}): Promise<TuneDb> {
	const instance = new TuneDb(name, options);
	await instance.open();
	return instance;
}

/** The app's database (opened lazily on first use). */
export const db = new TuneDb();
