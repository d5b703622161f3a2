// Export every table to one JSON file and import it back, all or nothing.
// Format: src/domain/bundle; the tables exported and their keys come from its registry (tables.ts).
// Adapter file blobs are NOT exported (they can be hundreds of MB); adapters come back as metadata
// and their files must be added again (hasAdapterFiles tells).
// Merge policy on import: rows whose key already exists are SKIPPED (local data wins), counted as
// identical or conflicting; a row whose unique slot (a recipe version's (recipeId, version), a test
// item's (testSetId, index), a result's (batch, variant, item), a vote's (experiment, item, a, b)) is
// taken by a different local row is skipped as a conflict; imported runs still 'running' become
// 'interrupted' and batches still 'running' become 'paused'. Settings whose key looks secret
// (API keys, tokens) are never exported. No svelte/worker/web-llm imports.
import pkg from '../../package.json' with { type: 'json' };
import {
	BUNDLE_FORMAT,
	BUNDLE_SCHEMA_VERSION,
	BUNDLE_TABLE_KEYS,
	BUNDLE_TABLE_NAMES,
	EXPORTED_TABLES,
	parseBundle,
	uniqueIndexFields,
	type Bundle,
	type BundleTableName,
	type BundleTables
} from '../domain/bundle/index.ts';
import { stableStringify } from '../domain/recipes/hash.ts';
import type { Table } from 'dexie';
import type { TuneDb } from './db.ts';
import type { SettingRow } from './rows.ts';
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

/** Reads every exported table in one read transaction (a consistent snapshot) into a Bundle object. */
export async function buildBundle(db: TuneDb, now = new Date()): Promise<Bundle> {
	return db.transaction('r', [...BUNDLE_TABLE_NAMES], async () => {
		const tables = {} as Record<BundleTableName, unknown[]>;
		for (const name of BUNDLE_TABLE_NAMES) tables[name] = await db.table(name).toArray();
		tables.settings = (tables.settings as SettingRow[]).filter((s) => !SECRET_SETTING_KEY.test(s.key));
		return {
			format: BUNDLE_FORMAT,
			schemaVersion: BUNDLE_SCHEMA_VERSION,
			exportedAt: now.toISOString(),
			appVersion: APP_VERSION,
			tables: tables as unknown as BundleTables
		};
	});
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
	for (const batch of bundle.tables.batches) if (batch.status === 'running') batch.status = 'paused';

	const summary = await guardWrite(() =>
		db.transaction('rw', [...BUNDLE_TABLE_NAMES, 'adapterFiles'], async () => {
			const counts = {} as Record<BundleTableName, TableImportCounts>;
			for (const spec of EXPORTED_TABLES) {
				counts[spec.name] = await importTable(db, spec, bundle.tables[spec.name] as unknown as Row[]);
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

async function importTable(db: TuneDb, spec: (typeof EXPORTED_TABLES)[number], rows: Row[]): Promise<TableImportCounts> {
	const table = db.table(spec.name);
	const key = BUNDLE_TABLE_KEYS[spec.name];
	const uniques = uniqueIndexFields(spec);
	const existing = (await table.bulkGet(rows.map((r) => r[key] as string))) as (Row | undefined)[];
	const counts: TableImportCounts = { added: 0, identical: 0, conflicting: 0 };
	const toAdd: Row[] = [];
	for (const [i, row] of rows.entries()) {
		const local = existing[i];
		if (local !== undefined) {
			if (stableStringify(local) === stableStringify(row)) counts.identical += 1;
			else counts.conflicting += 1;
		} else if (await slotTaken(table, uniques, row)) {
			counts.conflicting += 1;
		} else {
			toAdd.push(row);
		}
	}
	await table.bulkAdd(toAdd);
	counts.added = toAdd.length;
	return counts;
}

/** Whether a different local row already holds one of this row's unique-index slots. */
async function slotTaken(table: Table, uniques: string[][], row: Row): Promise<boolean> {
	for (const fields of uniques) {
		const criteria = Object.fromEntries(fields.map((f) => [f, row[f]]));
		if ((await table.get(criteria)) !== undefined) return true;
	}
	return false;
}
