// THE list of stored tables: name, primary key, indexes (Dexie syntax), whether the export bundle
// carries it, the bundle version that introduced it and the row check used on import. db.ts builds
// its current stores() from it, validate.ts and bundle-io.ts walk it, so the schema, the bundle and
// its validation cannot drift apart (test/storage/registry.test.ts checks the Dexie side).
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import type { Check } from './check.ts';
import {
	checkAdapter,
	checkBatch,
	checkDerivedModel,
	checkExperiment,
	checkManualScore,
	checkRecipe,
	checkRecipeVersion,
	checkResult,
	checkRun,
	checkSetting,
	checkTestItem,
	checkTestSet,
	checkVariant,
	checkVote
} from './row-checks.ts';

interface TableBase {
	name: string;
	/** Dexie primary key: a field name (inbound key, never auto-incremented). */
	primaryKey: string;
	/** Dexie index specs: "field", "&field" (unique), "[a+b]" (compound), "&[a+b]". */
	indexes: readonly string[];
}

/** A table the export bundle carries; `sinceBundle` is the bundle version that added it. */
export interface ExportedTable extends TableBase {
	exported: true;
	sinceBundle: number;
	check: Check;
}

/** A table kept out of the bundle (adapter file blobs can be hundreds of MB). */
export interface LocalTable extends TableBase {
	exported: false;
}

export type TableSpec = ExportedTable | LocalTable;

/** Every table of the current database schema, in bundle order. */
export const TABLES = [
	{ name: 'recipes', primaryKey: 'id', indexes: ['updatedAt'], exported: true, sinceBundle: 1, check: checkRecipe },
	{
		name: 'recipeVersions',
		primaryKey: 'id',
		indexes: ['recipeId', '&[recipeId+version]'],
		exported: true,
		sinceBundle: 1,
		check: checkRecipeVersion
	},
	{
		name: 'runs',
		primaryKey: 'id',
		indexes: [
			'createdAt',
			'status',
			'modelId',
			'recipeVersionId',
			'recipeId',
			'[recipeId+createdAt]',
			'[status+createdAt]',
			'[modelId+createdAt]'
		],
		exported: true,
		sinceBundle: 1,
		check: checkRun
	},
	{ name: 'adapters', primaryKey: 'id', indexes: ['createdAt'], exported: true, sinceBundle: 1, check: checkAdapter },
	{ name: 'adapterFiles', primaryKey: 'hash', indexes: [], exported: false },
	{
		name: 'derivedModels',
		primaryKey: 'id',
		indexes: ['baseModelId', 'adapterId', 'createdAt'],
		exported: true,
		sinceBundle: 1,
		check: checkDerivedModel
	},
	{ name: 'settings', primaryKey: 'key', indexes: [], exported: true, sinceBundle: 1, check: checkSetting },
	{ name: 'variants', primaryKey: 'id', indexes: [], exported: true, sinceBundle: 2, check: checkVariant },
	{ name: 'testSets', primaryKey: 'id', indexes: ['updatedAt'], exported: true, sinceBundle: 2, check: checkTestSet },
	{
		name: 'testItems',
		primaryKey: 'id',
		indexes: ['testSetId', '&[testSetId+index]'],
		exported: true,
		sinceBundle: 2,
		check: checkTestItem
	},
	{
		name: 'experiments',
		primaryKey: 'id',
		indexes: ['updatedAt', 'testSetId'],
		exported: true,
		sinceBundle: 2,
		check: checkExperiment
	},
	{
		name: 'batches',
		primaryKey: 'id',
		indexes: ['experimentId', 'status', '[experimentId+createdAt]'],
		exported: true,
		sinceBundle: 2,
		check: checkBatch
	},
	{
		name: 'results',
		primaryKey: 'id',
		indexes: ['&[batchId+variantId+itemId]', 'batchId', 'experimentId', 'reuseKey', '[experimentId+itemId]'],
		exported: true,
		sinceBundle: 2,
		check: checkResult
	},
	{ name: 'manualScores', primaryKey: 'resultId', indexes: [], exported: true, sinceBundle: 2, check: checkManualScore },
	{
		name: 'votes',
		primaryKey: 'id',
		indexes: ['experimentId', '&[experimentId+itemId+a+b]'],
		exported: true,
		sinceBundle: 2,
		check: checkVote
	}
] as const satisfies readonly TableSpec[];

export type TableName = (typeof TABLES)[number]['name'];

/** Names of the tables the export bundle carries, in bundle order. */
export type ExportedTableName = Extract<(typeof TABLES)[number], { exported: true }>['name'];

/** The tables the export bundle carries, in bundle order. */
export const EXPORTED_TABLES: readonly (ExportedTable & { name: ExportedTableName })[] = TABLES.filter(
	(t): t is Extract<(typeof TABLES)[number], { exported: true }> => t.exported
);

/** Dexie's stores() argument for the current schema: "primaryKey, index, index…" per table. */
export function dexieStores(): Record<TableName, string> {
	return Object.fromEntries(TABLES.map((t) => [t.name, [t.primaryKey, ...t.indexes].join(', ')])) as Record<TableName, string>;
}

/** The field lists of a table's unique indexes, e.g. [["batchId", "variantId", "itemId"]]. */
export function uniqueIndexFields(table: TableBase): string[][] {
	return table.indexes
		.filter((i) => i.startsWith('&'))
		.map((i) =>
			i
				.slice(1)
				.replace(/^\[|\]$/g, '')
				.split('+')
		);
}
