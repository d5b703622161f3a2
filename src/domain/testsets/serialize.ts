// Writes a test set back out so a set made in the app can be exported: JSON Lines (one flat object
// per item, `expected` last) and CSV (RFC 4180 via papaparse, header row, CRLF). Both read back with
// parseTestSetFile to the same items. Values are written as they are (no spreadsheet-formula escaping).
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports (papaparse is pure JS).
import Papa from 'papaparse';
import type { TestSetItem } from './types.ts';

/** One JSON object per line: the item's variables, then `expected` when it has one; ends with "\n". */
export function testSetToJsonl(items: readonly TestSetItem[]): string {
	return items
		.map((it) => JSON.stringify(it.expected === undefined ? { ...it.vars } : { ...it.vars, expected: it.expected }) + '\n')
		.join('');
}

/**
 * CSV with a header of `columns` (plus `expected` when any item has one), every value quoted where
 * RFC 4180 needs it; a missing value is written empty.
 */
export function testSetToCsv(columns: readonly string[], items: readonly TestSetItem[]): string {
	const withExpected = items.some((it) => it.expected !== undefined);
	const fields = withExpected ? [...columns, 'expected'] : [...columns];
	const data = items.map((it) => {
		const row = columns.map((c) => it.vars[c] ?? '');
		if (withExpected) row.push(it.expected ?? '');
		return row;
	});
	return Papa.unparse({ fields, data }, { newline: '\r\n' }) + '\r\n';
}
