// Reads a test set file — CSV (RFC 4180, header row), JSON Lines (one object a line) or JSON (an
// array of objects, `{ name?, items, assert?, passThreshold? }`, or promptfoo's test cases
// `[{ vars: {...}, assert?: [...] }]`) — into columns and items. The expected output is the column
// `expected` or promptfoo's `__expected`. Every value becomes a string. A bad file is refused whole
// with every error found and its 1-based line; hostile input (huge files, too many items or columns,
// huge values, deep nesting) is refused before it can cost much. Values are only read as data.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports (papaparse is pure JS).
import Papa from 'papaparse';
import { validateScoringSpec } from '../scoring/index.ts';
import type { ScoringSpec } from '../scoring/types.ts';
import { scanJson, type JsonScan } from './depth.ts';
import {
	EXPECTED_COLUMNS,
	MAX_COLUMNS,
	MAX_FILE_BYTES,
	MAX_ITEMS,
	MAX_JSON_DEPTH,
	MAX_LISTED,
	MAX_VALUE_CHARS,
	type ParsedTestSet,
	type TestSetError,
	type TestSetItem
} from './types.ts';

export type TestSetFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

const VARIABLE_NAME = /^[A-Za-z_][\w.-]*$/;
const PROMPTFOO_ITEM_KEYS = new Set(['vars', 'assert', 'description', 'options', 'metadata', 'threshold', 'expected', '__expected']);
const RESERVED_COLUMN = 'a column is named "__proto__", which cannot be stored as a variable: rename the column';
const UNREADABLE_EXTENSIONS: Record<string, string> = {
	yaml: "YAML files are not read: save the test cases as JSON (promptfoo's `tests:` list as a JSON array), JSON Lines or CSV",
	yml: "YAML files are not read: save the test cases as JSON (promptfoo's `tests:` list as a JSON array), JSON Lines or CSV",
	xlsx: 'spreadsheet files are not read: save the sheet as CSV (File → Save as / Download → .csv)',
	xls: 'spreadsheet files are not read: save the sheet as CSV (File → Save as / Download → .csv)',
	ods: 'spreadsheet files are not read: save the sheet as CSV (File → Save as / Download → .csv)'
};
const OBJECT_FORM_KEYS = new Set(['name', 'description', 'items', 'assert', 'passThreshold']);

/**
 * Collects errors and warnings for one file. Only the first MAX_LISTED of each are kept; the rest are
 * counted, so a file with a million empty cells costs a counter, not a million strings.
 */
class Report {
	errors: TestSetError[] = [];
	warnings: string[] = [];
	moreErrors = 0;
	moreWarnings = 0;
	error(line: number | null, message: string): void {
		if (this.errors.length < MAX_LISTED) this.errors.push({ line, message });
		else this.moreErrors++;
	}
	warn(line: number | null, message: string): void {
		if (this.warnings.length < MAX_LISTED) this.warnings.push(line === null ? message : `line ${line}: ${message}`);
		else this.moreWarnings++;
	}
	/** Whether another warning would still be listed (callers may skip building its text). */
	get listingWarnings(): boolean {
		return this.warnings.length < MAX_LISTED;
	}
}

/** "line 7: not valid JSON (…)" — an error as one sentence. */
export function formatTestSetError(e: TestSetError): string {
	return e.line === null ? e.message : `line ${e.line}: ${e.message}`;
}

function capped<T>(list: T[], extra: number, more: (n: number) => T): T[] {
	return extra === 0 ? list : [...list, more(extra)];
}

/** UTF-8 byte length, stopping early once past `limit`. */
function utf8BytesOver(text: string, limit: number): boolean {
	if (text.length > limit) return true;
	if (text.length * 3 <= limit) return false;
	let bytes = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x80) bytes += 1;
		else if (c < 0x800) bytes += 2;
		else if (c >= 0xd800 && c <= 0xdbff) {
			bytes += 4;
			i++;
		} else bytes += 3;
		if (bytes > limit) return true;
	}
	return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
	if (v === undefined) return 'nothing';
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	if (typeof v === 'object') return 'an object';
	if (typeof v === 'string') return 'text';
	return `a ${typeof v}`;
}

function jsonMessage(e: unknown): string {
	const m = e instanceof Error ? e.message : String(e);
	return m.length > 120 ? `${m.slice(0, 117)}…` : m;
}

/** Picks the format from the file name's extension, else from the content. */
export function detectFormat(name: string, text: string): TestSetFormat {
	const ext = /\.([A-Za-z]+)$/.exec(name)?.[1]?.toLowerCase();
	if (ext === 'csv') return 'csv';
	if (ext === 'tsv' || ext === 'tab') return 'tsv';
	if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
	if (ext === 'json') return 'json';
	const start = text.trimStart();
	if (start.startsWith('[')) return 'json';
	if (start.startsWith('{')) {
		// one object over the whole text (e.g. the `{ items: [...] }` form) is JSON; several lines of objects are JSON Lines
		const lines = start.split('\n').filter((l) => l.trim() !== '');
		if (lines.length > 1 && lines.every((l) => l.trim().startsWith('{') && l.trim().endsWith('}'))) return 'jsonl';
		return 'json';
	}
	return 'csv';
}

/**
 * Turns raw records (each with its line) into columns and items. `records` values are already
 * split from the promptfoo `vars` wrapper where there was one.
 */
function buildItems(
	records: { line: number | null; values: Record<string, unknown> }[],
	report: Report
): { columns: string[]; items: TestSetItem[] } {
	const columns: string[] = [];
	const seen = new Set<string>();
	let tooManyColumns = false;
	for (const r of records) {
		for (const key of Object.keys(r.values)) {
			if ((EXPECTED_COLUMNS as readonly string[]).includes(key) || seen.has(key)) continue;
			if (columns.length >= MAX_COLUMNS) {
				if (!tooManyColumns)
					report.error(
						r.line,
						`more than ${MAX_COLUMNS} columns (column "${key.slice(0, 40)}" is number ${MAX_COLUMNS + 1}): keep only the variables the template uses`
					);
				tooManyColumns = true;
				continue;
			}
			seen.add(key);
			columns.push(key);
		}
	}
	if (tooManyColumns) return { columns, items: [] };
	for (const c of columns) {
		if (c === '__proto__') report.error(null, RESERVED_COLUMN);
		else if (c.trim() === '') report.error(null, 'a column has an empty name: give every column a name');
		else if (!VARIABLE_NAME.test(c))
			report.warn(null, `column "${c}" cannot be used as a {{variable}} (names use letters, digits, _ . - and start with a letter or _)`);
	}
	const items: TestSetItem[] = [];
	for (const r of records) {
		const vars: Record<string, string> = {};
		let ok = true;
		const text = (key: string, v: unknown): string | null => {
			if (typeof v === 'string') {
				if (v.length > MAX_VALUE_CHARS) {
					report.error(r.line, `column "${key}" holds ${v.length} characters, more than the ${MAX_VALUE_CHARS} allowed: shorten it`);
					return null;
				}
				return v;
			}
			if (typeof v === 'number' || typeof v === 'boolean') return String(v);
			if (v === null || v === undefined) return '';
			report.error(
				r.line,
				`column "${key}" holds ${describe(v)}; values must be text, numbers or true/false (write nested data as a JSON string)`
			);
			return null;
		};
		for (const c of columns) {
			if (!Object.hasOwn(r.values, c)) {
				if (report.listingWarnings) report.warn(r.line, `column "${c}" is missing (treated as empty)`);
				else report.moreWarnings++;
				vars[c] = '';
				continue;
			}
			const s = text(c, r.values[c]);
			if (s === null) ok = false;
			else {
				if (s.trim() === '') {
					if (report.listingWarnings) report.warn(r.line, `column "${c}" is empty`);
					else report.moreWarnings++;
				}
				vars[c] = s;
			}
		}
		const given = EXPECTED_COLUMNS.filter((k) => Object.hasOwn(r.values, k));
		let expected: string | undefined;
		if (given.length > 1) {
			report.error(r.line, 'both "expected" and "__expected" are given: keep one');
			ok = false;
		} else if (given.length === 1) {
			const s = text(given[0], r.values[given[0]]);
			if (s === null) ok = false;
			else if (s !== '') expected = s;
		}
		if (ok) items.push(expected === undefined ? { vars } : { vars, expected });
	}
	return { columns, items };
}

function parseCsv(text: string, delimiter: string | undefined, report: Report): { line: number; values: Record<string, unknown> }[] {
	const records: { line: number; values: Record<string, unknown> }[] = [];
	let header: string[] | null = null;
	let headerLine = 1;
	let cursor = 0;
	let line = 1;
	let tooMany = false;
	/** Advances the line count to the start of the row beginning at or after `from` (skipping blank lines). */
	const lineAt = (from: number): number => {
		let i = from;
		while (i < text.length && (text[i] === '\n' || text[i] === '\r' || text[i] === ' ' || text[i] === '\t')) i++;
		for (let j = cursor; j < i; j++) if (text.charCodeAt(j) === 10) line++;
		cursor = i;
		return line;
	};
	Papa.parse<string[]>(text, {
		header: false,
		delimiter,
		skipEmptyLines: 'greedy',
		step: (result, parser) => {
			const rowLine = lineAt(cursor);
			const end = result.meta.cursor;
			for (const e of result.errors) {
				if (e.code === 'UndetectableDelimiter') continue;
				const msg =
					e.code === 'MissingQuotes'
						? 'a quoted value is never closed: end it with " (write "" for a quote inside a quoted value)'
						: e.code === 'InvalidQuotes'
							? 'a value has a stray quote: put the whole value in quotes and write "" for a quote inside it'
							: `${e.message}`;
				report.error(rowLine, msg);
			}
			// count the row's own line breaks (quoted newlines) so the next row's line is right
			for (let j = cursor; j < end && j < text.length; j++) if (text.charCodeAt(j) === 10) line++;
			cursor = end;
			const row = result.data;
			if (header === null) {
				header = row.map((h) => h.trim());
				headerLine = rowLine;
				const counts = new Map<string, number>();
				for (const h of header) counts.set(h, (counts.get(h) ?? 0) + 1);
				for (const [h, n] of counts)
					if (n > 1) report.error(rowLine, `the header names column "${h}" ${n} times: column names must be unique`);
				if (header.length > MAX_COLUMNS) {
					report.error(
						rowLine,
						`the header has ${header.length} columns, more than the ${MAX_COLUMNS} allowed: keep only the variables the template uses`
					);
					parser.abort();
				}
				header.forEach((h, i) => {
					if (h === '__proto__') report.error(rowLine, RESERVED_COLUMN);
					if (h === '') report.error(rowLine, `column ${i + 1} of the header has no name: give every column a name`);
				});
				return;
			}
			if (records.length >= MAX_ITEMS) {
				tooMany = true;
				parser.abort();
				return;
			}
			if (row.length !== header.length) {
				report.error(
					rowLine,
					`has ${row.length} value${row.length === 1 ? '' : 's'} but the header (line ${headerLine}) has ${header.length} columns: quote values that contain the delimiter`
				);
				return;
			}
			const values: Record<string, unknown> = {};
			header.forEach((h, i) => (values[h] = row[i]));
			records.push({ line: rowLine, values });
		}
	});
	if (tooMany) report.error(null, `more than ${MAX_ITEMS} rows: split the file into smaller test sets`);
	if (header === null) report.error(null, 'the file has no header row: the first line must name the columns');
	return records;
}

function parseJsonl(text: string, report: Report): { line: number; values: Record<string, unknown> }[] {
	const records: { line: number; values: Record<string, unknown> }[] = [];
	const lines = text.split('\n');
	let count = 0;
	for (const l of lines) if (l.trim() !== '') count++;
	if (count > MAX_ITEMS) {
		report.error(null, `${count} items, more than the ${MAX_ITEMS} allowed: split the file into smaller test sets`);
		return records;
	}
	lines.forEach((raw, i) => {
		const lineNo = i + 1;
		const l = raw.trim();
		if (l === '') return;
		const scan = scanJson(l, MAX_JSON_DEPTH, lineNo);
		if (scan.tooDeepAt !== null) {
			report.error(lineNo, `nested deeper than ${MAX_JSON_DEPTH} levels; test set values are flat text`);
			return;
		}
		let v: unknown;
		try {
			v = JSON.parse(l);
		} catch (e) {
			report.error(lineNo, `not valid JSON (${jsonMessage(e)})`);
			return;
		}
		const values = recordValues(v, lineNo, report);
		if (values) records.push({ line: lineNo, values });
	});
	return records;
}

/** An item's columns: the object itself, or its promptfoo `vars` (with `expected` beside them). */
function recordValues(v: unknown, line: number | null, report: Report, promptfoo?: boolean): Record<string, unknown> | null {
	if (!isPlainObject(v)) {
		report.error(line, `an item must be an object of column values, got ${describe(v)}`);
		return null;
	}
	if (promptfoo ?? isPlainObject(v.vars)) {
		if (!isPlainObject(v.vars)) {
			report.error(line, `this promptfoo test case has no "vars" object (got ${describe(v.vars)}): give its variables as "vars": {...}`);
			return null;
		}
		if (v.assert !== undefined)
			report.warn(line, 'per-item "assert" lists are not supported and were ignored: put assertions in the file\'s "assert" list');
		for (const k of Object.keys(v)) if (!PROMPTFOO_ITEM_KEYS.has(k)) report.warn(line, `"${k}" is not a test case field and was ignored`);
		const values: Record<string, unknown> = { ...v.vars };
		for (const k of EXPECTED_COLUMNS) if (Object.hasOwn(v, k) && !Object.hasOwn(values, k)) values[k] = v[k];
		return values;
	}
	return v;
}

/** The line of the first item that is not valid JSON on its own (items cut at the scan's item starts), or null. */
function firstBadItemLine(text: string, scan: JsonScan): number | null {
	const starts = scan.itemStarts;
	for (let i = 0; i < starts.length; i++) {
		const end = i + 1 < starts.length ? starts[i + 1] : (scan.itemsEnd ?? text.length);
		const chunk = text.slice(starts[i], end).replace(/[\s,]+$/, '');
		try {
			JSON.parse(chunk);
		} catch {
			return scan.itemLines[i];
		}
	}
	return null;
}

function parseJson(
	text: string,
	report: Report
): { records: { line: number | null; values: Record<string, unknown> }[]; name?: string; scoring?: ScoringSpec } {
	const scan = scanJson(text, MAX_JSON_DEPTH);
	if (scan.tooDeepAt !== null) {
		report.error(scan.tooDeepAt, `nested deeper than ${MAX_JSON_DEPTH} levels; test set values are flat text`);
		return { records: [] };
	}
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		const m = jsonMessage(e);
		// Some engines name a position ("at position 123" or "line 4 column 2"); without one, find the first item that does not parse alone
		const pos = /at position (\d+)/.exec(m);
		const lineM = /\(line (\d+) column \d+\)/.exec(m);
		const line = lineM ? Number(lineM[1]) : pos ? text.slice(0, Number(pos[1])).split('\n').length : firstBadItemLine(text, scan);
		const hint =
			text.trimStart().startsWith('{') && text.trim().split('\n').length > 1
				? ' — if this is one object per line, name the file .jsonl'
				: '';
		report.error(line, `not valid JSON (${m})${hint}`);
		return { records: [] };
	}
	let list: unknown;
	let name: string | undefined;
	let scoring: ScoringSpec | undefined;
	if (Array.isArray(doc)) list = doc;
	else if (isPlainObject(doc)) {
		if (!Array.isArray(doc.items)) {
			report.error(
				null,
				`a JSON test set is a list of items or an object with an "items" list; "items" is ${doc.items === undefined ? 'missing' : describe(doc.items)}`
			);
			return { records: [] };
		}
		list = doc.items;
		for (const k of Object.keys(doc))
			if (!OBJECT_FORM_KEYS.has(k))
				report.warn(null, `"${k}" is not a test set field and was ignored (the fields are ${[...OBJECT_FORM_KEYS].join(', ')})`);
		if (doc.name !== undefined) {
			if (typeof doc.name === 'string' && doc.name.trim() !== '') name = doc.name.trim().slice(0, 200);
			else report.warn(null, '"name" is not a non-empty text and was ignored');
		}
		if (doc.assert !== undefined || doc.passThreshold !== undefined) {
			if (doc.assert !== undefined && !Array.isArray(doc.assert))
				report.error(null, `"assert" must be a list of assertions, got ${describe(doc.assert)}`);
			else {
				const spec: Record<string, unknown> = { assertions: doc.assert ?? [] };
				if (doc.passThreshold !== undefined) spec.passThreshold = doc.passThreshold;
				const checked = validateScoringSpec(spec);
				for (const e of checked.errors) report.error(null, `${e.path.replace(/^assertions/, 'assert')}: ${e.message}`);
				scoring = checked.spec;
			}
		}
	} else {
		report.error(null, `a JSON test set is a list of items or an object with an "items" list, got ${describe(doc)}`);
		return { records: [] };
	}
	const items = list as unknown[];
	if (items.length > MAX_ITEMS) {
		report.error(null, `${items.length} items, more than the ${MAX_ITEMS} allowed: split the file into smaller test sets`);
		return { records: [] };
	}
	// promptfoo form when any item has a vars object; then every item must
	const promptfoo = items.some((it) => isPlainObject(it) && isPlainObject(it.vars));
	const records: { line: number | null; values: Record<string, unknown> }[] = [];
	items.forEach((it, i) => {
		const line = scan.itemLines.length === items.length ? scan.itemLines[i] : null;
		const values = recordValues(it, line, report, promptfoo);
		if (values) records.push({ line, values });
	});
	return { records, name, scoring };
}

/**
 * Reads a test set file. The format comes from the extension (.csv, .tsv, .jsonl/.ndjson, .json),
 * else from the content; YAML (.yaml/.yml) and spreadsheet (.xlsx/.xls/.ods) files are refused with
 * what to save them as instead. Returns the set, or every error found (at most 50 listed, then
 * "…and N more"), each with its 1-based line where it has one. Never throws; never executes content.
 */
export function parseTestSetFile(name: string, text: string): ParsedTestSet | { errors: TestSetError[] } {
	const report = new Report();
	if (typeof text !== 'string') return { errors: [{ line: null, message: 'the file could not be read as text' }] };
	if (utf8BytesOver(text, MAX_FILE_BYTES))
		return { errors: [{ line: null, message: `the file is over ${MAX_FILE_BYTES / 1024 / 1024} MB: split it into smaller test sets` }] };
	const ext = /\.([A-Za-z]+)$/.exec(name)?.[1]?.toLowerCase();
	if (ext && Object.hasOwn(UNREADABLE_EXTENSIONS, ext)) return { errors: [{ line: null, message: UNREADABLE_EXTENSIONS[ext] }] };
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	if (text.trim() === '')
		return {
			errors: [{ line: null, message: 'the file is empty: give a header row and at least one data row (CSV) or at least one item (JSON)' }]
		};
	const format = detectFormat(name, text);
	let records: { line: number | null; values: Record<string, unknown> }[];
	let setName: string | undefined;
	let scoring: ScoringSpec | undefined;
	if (format === 'csv' || format === 'tsv') records = parseCsv(text, format === 'tsv' ? '\t' : undefined, report);
	else if (format === 'jsonl') records = parseJsonl(text, report);
	else ({ records, name: setName, scoring } = parseJson(text, report));
	let columns: string[] = [];
	let items: TestSetItem[] = [];
	if (report.errors.length === 0) {
		if (records.length === 0)
			report.error(
				null,
				format === 'csv' || format === 'tsv'
					? 'the header has no data rows under it: add at least one row'
					: 'the file has no items: add at least one'
			);
		else {
			({ columns, items } = buildItems(records, report));
			if (report.errors.length === 0 && columns.length === 0)
				report.error(null, 'the items have no columns besides the expected output: add the variables the template uses');
		}
	}
	if (report.errors.length > 0)
		return { errors: capped(report.errors, report.moreErrors, (n) => ({ line: null, message: `…and ${n} more` })) };
	const out: ParsedTestSet = { columns, items, warnings: capped(report.warnings, report.moreWarnings, (n) => `…and ${n} more`) };
	if (scoring) out.scoring = scoring;
	if (setName) out.name = setName;
	return out;
}
