// Public surface of the export bundle: row and file types, validation, errors.
export * from './rows.ts';
export * from './types.ts';
export * from './errors.ts';
export { validateBundle, parseBundle, BUNDLE_TABLE_KEYS } from './validate.ts';
