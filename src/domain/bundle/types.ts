// The export file format: one JSON object holding every table except adapter file blobs.
// Pure types: no svelte, dexie, DOM, worker or web-llm imports.
import type {
	AdapterRow,
	DerivedModelRow,
	RecipeRow,
	RecipeVersionRow,
	RunRow,
	SettingRow
} from './rows.ts';

export const BUNDLE_FORMAT = 'tune-or-prompt-export';
/** Version of the bundle layout (not of the IndexedDB schema). Bump on incompatible changes. */
export const BUNDLE_SCHEMA_VERSION = 1;

export interface BundleTables {
	recipes: RecipeRow[];
	recipeVersions: RecipeVersionRow[];
	runs: RunRow[];
	/** Metadata only: the adapter files (binary weights) are not in the bundle; re-add them. */
	adapters: AdapterRow[];
	derivedModels: DerivedModelRow[];
	settings: SettingRow[];
}

export type BundleTableName = keyof BundleTables;

export const BUNDLE_TABLE_NAMES: readonly BundleTableName[] = [
	'recipes',
	'recipeVersions',
	'runs',
	'adapters',
	'derivedModels',
	'settings'
];

export interface Bundle {
	format: typeof BUNDLE_FORMAT;
	schemaVersion: number;
	/** ISO 8601 time of export. */
	exportedAt: string;
	appVersion: string;
	tables: BundleTables;
}
