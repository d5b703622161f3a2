// validateBundle: full structural check of an untrusted export file before anything is written.
// Stops at the first problem and names its path, e.g. "tables.runs[3].status: expected one of …".
// Tables, keys and row checks come from the registry in tables.ts. A file from an older bundle
// version reads with the tables it predates as empty; one from a newer version is refused.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import { BundleError } from './errors.ts';
import { arrayOf, isJsonObject, isNonNegativeInteger, isNumber, isPlainObject, isString, shape } from './check.ts';
import { EXPORTED_TABLES, uniqueIndexFields } from './tables.ts';
import { BUNDLE_FORMAT, BUNDLE_SCHEMA_VERSION, BUNDLE_TABLE_NAMES, type Bundle, type BundleTableName } from './types.ts';

/** The primary-key field of each exported table (from the registry). */
export const BUNDLE_TABLE_KEYS = Object.fromEntries(EXPORTED_TABLES.map((t) => [t.name, t.primaryKey])) as Record<BundleTableName, string>;

/** The message for a file written by a newer app than this one. */
export function newerBundleMessage(version: number): string {
	return (
		`This file was exported by a newer version of Tune or Prompt (bundle version ${version}); ` +
		`this app reads up to version ${BUNDLE_SCHEMA_VERSION}. Update the app and try again.`
	);
}

/**
 * Checks an untrusted value (parsed JSON) and returns it typed as a Bundle. Tables that the file's
 * bundle version predates and that it leaves out are added to it as empty arrays.
 * @throws BundleError naming the first problem and its path.
 */
export function validateBundle(input: unknown): Bundle {
	if (!isPlainObject(input)) throw new BundleError('', 'expected a JSON object at the top level');
	if (input.format !== BUNDLE_FORMAT) {
		throw new BundleError('format', `expected "${BUNDLE_FORMAT}": this file is not a Tune or Prompt export`);
	}
	isNonNegativeInteger(input.schemaVersion, 'schemaVersion');
	const version = input.schemaVersion as number;
	if (version > BUNDLE_SCHEMA_VERSION) throw new BundleError('schemaVersion', newerBundleMessage(version));
	if (version < 1) throw new BundleError('schemaVersion', `expected 1 or more, got ${version}`);
	shape({
		format: isString,
		schemaVersion: isNumber,
		exportedAt: isString,
		appVersion: isString,
		tables: isJsonObject
	})(input, '');
	const tables = input.tables as Record<string, unknown>;
	for (const name of Object.keys(tables)) {
		if (!(BUNDLE_TABLE_NAMES as readonly string[]).includes(name)) {
			throw new BundleError(`tables.${name}`, 'unknown table');
		}
	}
	for (const table of EXPORTED_TABLES) {
		const path = `tables.${table.name}`;
		if (!(table.name in tables)) {
			if (version >= table.sinceBundle) throw new BundleError(path, 'missing table');
			tables[table.name] = [];
		}
		arrayOf(table.check)(tables[table.name], path);
		const rows = tables[table.name] as Record<string, unknown>[];
		noDuplicates(rows, path, [table.primaryKey]);
		for (const fields of uniqueIndexFields(table)) noDuplicates(rows, path, fields);
	}
	return input as unknown as Bundle;
}

/** Refuses two rows with equal values in `fields` (a primary key or a unique index). */
function noDuplicates(rows: Record<string, unknown>[], path: string, fields: string[]): void {
	const firstIndex = new Map<string, number>();
	rows.forEach((row, i) => {
		const value = JSON.stringify(fields.map((f) => row[f]));
		const seen = firstIndex.get(value);
		if (seen !== undefined) {
			if (fields.length === 1) {
				const [key] = fields;
				throw new BundleError(`${path}[${i}].${key}`, `duplicate ${key} "${String(row[key])}" (also at ${path}[${seen}])`);
			}
			throw new BundleError(
				`${path}[${i}]`,
				`duplicate ${fields.join(' + ')} (also at ${path}[${seen}]): each combination may appear once`
			);
		}
		firstIndex.set(value, i);
	});
}

/**
 * Parses export-file text and validates it.
 * @throws BundleError when the text is not JSON or not a valid bundle.
 */
export function parseBundle(text: string): Bundle {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw new BundleError('', `not valid JSON (${(e as Error).message}): choose the .json file the app exported`);
	}
	return validateBundle(value);
}
