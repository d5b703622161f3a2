// Shapes of a test set read from a file (before it is stored as TestSetRow + TestItemRow) and the
// limits every file is held to. Pure types and constants: no svelte, dexie, DOM, worker or web-llm imports.
import type { ScoringSpec } from '../scoring/types.ts';

/** One test case: the template variables and, optionally, the reference output. */
export interface TestSetItem {
	vars: Record<string, string>;
	expected?: string;
}

/** A test set file that was read without errors. */
export interface ParsedTestSet {
	/** Variable columns in order of first appearance (never `expected` / `__expected`). */
	columns: string[];
	items: TestSetItem[];
	/** The file's assertions (JSON object form only). */
	scoring?: ScoringSpec;
	/** The file's own name for the set (JSON object form only). */
	name?: string;
	/** Things worth showing that do not stop the import, each starting "line N: " when on a line. */
	warnings: string[];
}

/** One reason a file was refused; `line` is 1-based in the file, null when not on one line. */
export interface TestSetError {
	line: number | null;
	message: string;
}

/** Largest file accepted, in bytes of UTF-8. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
/** Most items (data rows) in one set. */
export const MAX_ITEMS = 10_000;
/** Most variable columns. */
export const MAX_COLUMNS = 100;
/** Longest single value, in characters. */
export const MAX_VALUE_CHARS = 100_000;
/** Deepest JSON nesting accepted (brackets and braces together). */
export const MAX_JSON_DEPTH = 20;
/** Most errors (and warnings) listed; the rest are counted in one last "…and N more" entry. */
export const MAX_LISTED = 50;
/** Column names that hold the expected output instead of a variable. */
export const EXPECTED_COLUMNS = ['expected', '__expected'] as const;
