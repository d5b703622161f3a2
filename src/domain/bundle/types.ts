// The export file format: one JSON object holding every exported table of tables.ts (all but the
// adapter file blobs). Pure types plus constants: no svelte, dexie, DOM, worker or web-llm imports.
import type {
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
import { EXPORTED_TABLES, type ExportedTableName } from './tables.ts';

export const BUNDLE_FORMAT = 'tune-or-prompt-export';
/**
 * Version of the bundle layout (not of the IndexedDB schema). Bump on incompatible changes.
 * 1: recipes, versions, runs, adapters, derived models, settings. 2: adds the comparison tables
 * (variants, test sets and items, experiments, batches, results, manual scores, votes); a
 * version-1 file reads as having those tables empty.
 */
export const BUNDLE_SCHEMA_VERSION = 2;

export interface BundleTables {
	recipes: RecipeRow[];
	recipeVersions: RecipeVersionRow[];
	runs: RunRow[];
	/** Metadata only: the adapter files (binary weights) are not in the bundle; re-add them. */
	adapters: AdapterRow[];
	derivedModels: DerivedModelRow[];
	settings: SettingRow[];
	variants: VariantRow[];
	testSets: TestSetRow[];
	testItems: TestItemRow[];
	experiments: ExperimentRow[];
	batches: BatchRow[];
	results: ResultRow[];
	manualScores: ManualScoreRow[];
	votes: VoteRow[];
}

export type BundleTableName = keyof BundleTables;

// Compile-time guard: the typed tables and the registry's exported tables are the same set.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const registryMatchesTypes: Same<BundleTableName, ExportedTableName> = true;
void registryMatchesTypes;

/** The bundle's tables in order (from the registry in tables.ts). */
export const BUNDLE_TABLE_NAMES: readonly BundleTableName[] = EXPORTED_TABLES.map((t) => t.name);

export interface Bundle {
	format: typeof BUNDLE_FORMAT;
	schemaVersion: number;
	/** ISO 8601 time of export. */
	exportedAt: string;
	appVersion: string;
	tables: BundleTables;
}
