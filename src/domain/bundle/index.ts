// Public surface of the export bundle: row and file types, the table registry, validation, errors.
export * from './rows.ts';
export * from './types.ts';
export * from './errors.ts';
export { TABLES, EXPORTED_TABLES, dexieStores, uniqueIndexFields } from './tables.ts';
export type { ExportedTable, ExportedTableName, LocalTable, TableName, TableSpec } from './tables.ts';
export { validateBundle, parseBundle, newerBundleMessage, BUNDLE_TABLE_KEYS } from './validate.ts';
