// Export every table to one JSON file and import it back, all or nothing.
// Format: src/domain/bundle. Adapter file blobs are NOT exported (they can be hundreds of MB);
// adapters come back as metadata and their files must be added again (hasAdapterFiles tells).
// Merge policy on import: rows whose key already exists are SKIPPED (local data wins), counted as
// identical or conflicting; a recipe version whose (recipeId, version) slot is taken is skipped as a
// conflict; imported runs still 'running' become 'interrupted'. Settings whose key looks secret
// (API keys, tokens) are never exported. No svelte/worker/web-llm imports.
import pkg from '../../package.json' with { type: 'json' };
import {
	BUNDLE_FORMAT,
	BUNDLE_SCHEMA_VERSION,
	BUNDLE_TABLE_KEYS,
	BUNDLE_TABLE_NAMES,
	parseBundle,
	type Bundle,
	type BundleTableName,
	type BundleTables
} from '../domain/bundle/index.ts';
import { stableStringify } from '../domain/recipes/hash.ts';
import type { TuneDb } from './db.ts';
import { guardWrite } from './errors.ts';

export const APP_VERSION: string = pkg.version;

/** Setting keys kept out of exports so a shared file never leaks credentials. */
export const SECRET_SETTING_KEY = /api[-_]?key|token|secret|password/i;

export interface TableImportCounts {
	added: number;
	/** Skipped: a row with this key exists and is identical. */
	identical: number;
	/** Skipped: a row with this key exists and differs (the local one was kept). */
	conflicting: number;
}

export interface ImportSummary {
	tables: Record<BundleTableName, TableImportCounts>;
	/** Imported adapters whose files are not stored here yet (add their files again). */
	adaptersWithoutFiles: number;
}

/** Reads every table in one read transaction (a consistent snapshot) into a Bundle object. */
export async function buildBundle(db: TuneDb, now = new Date()): Promise<Bundle> {
	return db.transaction(
		'r',
		[db.recipes, db.recipeVersions, db.runs, db.adapters, db.derivedModels, db.settings],
		async () => {
			const tables: BundleTables = {
				recipes: await db.recipes.toArray(),
				recipeVersions: await db.recipeVersions.toArray(),
				runs: await db.runs.toArray(),
				adapters: await db.adapters.toArray(),
				derivedModels: await db.derivedModels.toArray(),
				settings: (await db.settings.toArray()).filter((s) => !SECRET_SETTING_KEY.test(s.key))
			};
			return {
				format: BUNDLE_FORMAT,
				schemaVersion: BUNDLE_SCHEMA_VERSION,
				exportedAt: now.toISOString(),
				appVersion: APP_VERSION,
				tables
			};
		}
	);
}

/** The whole database (minus adapter file blobs) as one JSON file. */
export async function exportAll(db: TuneDb): Promise<Blob> {
	const bundle = await buildBundle(db);
	return new Blob([JSON.stringify(bundle)], { type: 'application/json' });
}

/** A file name for an export made at `now`, e.g. "tune-or-prompt-2025-01-31.json". */
export function exportFileName(now = new Date()): string {
	return `tune-or-prompt-${now.toISOString().slice(0, 10)}.json`;
}

/**
 * Validates a whole bundle first, then writes it in ONE read-write transaction: any failure
 * leaves the database exactly as it was. Existing keys are skipped (see the header).
 * @throws BundleError for an invalid file (nothing written), StorageFullError when full.
 */
export async function importBundle(db: TuneDb, file: Blob | string): Promise<ImportSummary> {
	const text = typeof file === 'string' ? file : await file.text();
	const bundle = parseBundle(text);
	for (const run of bundle.tables.runs) if (run.status === 'running') run.status = 'interrupted';

	const tables = [db.recipes, db.recipeVersions, db.runs, db.adapters, db.derivedModels, db.settings];
	const summary = await guardWrite(() =>
		db.transaction('rw', [...tables, db.adapterFiles], async () => {
			const counts = {} as Record<BundleTableName, TableImportCounts>;
			for (const name of BUNDLE_TABLE_NAMES) {
				counts[name] = await importTable(db, name, bundle.tables[name] as unknown as Row[]);
			}
			let adaptersWithoutFiles = 0;
			for (const adapter of bundle.tables.adapters) {
				const stored = await db.adapterFiles.bulkGet(adapter.files.map((f) => f.hash));
				if (stored.some((s) => s === undefined)) adaptersWithoutFiles += 1;
			}
			return { tables: counts, adaptersWithoutFiles };
		})
	);
	return summary;
}

type Row = Record<string, unknown>;

async function importTable(db: TuneDb, name: BundleTableName, rows: Row[]): Promise<TableImportCounts> {
	const table = db.table(name);
	const key = BUNDLE_TABLE_KEYS[name];
	const existing = (await table.bulkGet(rows.map((r) => r[key] as string))) as (Row | undefined)[];
	const counts: TableImportCounts = { added: 0, identical: 0, conflicting: 0 };
	const toAdd: Row[] = [];
	for (const [i, row] of rows.entries()) {
		const local = existing[i];
		if (local !== undefined) {
			if (stableStringify(local) === stableStringify(row)) counts.identical += 1;
			else counts.conflicting += 1;
		} else if (name === 'recipeVersions' && (await slotTaken(db, row))) {
			counts.conflicting += 1;
		} else {
			toAdd.push(row);
		}
	}
	await table.bulkAdd(toAdd);
	counts.added = toAdd.length;
	return counts;
}

/** Whether a different version row already holds this (recipeId, version) slot. */
async function slotTaken(db: TuneDb, row: Row): Promise<boolean> {
	const found = await db.recipeVersions.get({
		recipeId: row.recipeId as string,
		version: row.version as number
	});
	return found !== undefined;
}
