// Reads comparison results from CSV (RFC 4180 via papaparse, header row): results `item,variant,pass,score`
// or votes `item,a,b,winner`, with parse-jsonl.ts's checks, error style and bounds. Also owns the
// formula guard the app's CSV exports write (a leading apostrophe) and that reading strips back.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports (papaparse is pure JS).
import Papa from 'papaparse';
import type { ResultRow, VoteChoice, VoteLine } from './compare.ts';
import { MAX_LINE_BYTES, MAX_LINES, StatsInputError } from './parse-jsonl.ts';

/** The header of a results CSV (the order the app writes; any order is read). */
export const RESULTS_CSV_COLUMNS = ['item', 'variant', 'pass', 'score'] as const;
/** The header of a votes CSV. */
export const VOTES_CSV_COLUMNS = ['item', 'a', 'b', 'winner'] as const;
/** Largest CSV text read (the whole text is held in memory, unlike streamed JSONL). */
export const MAX_CSV_BYTES = 128 * 1024 * 1024;
/** Longest item id or variant name (as for JSONL). */
const MAX_NAME = 1000;
const WINNERS: readonly VoteChoice[] = ['a', 'b', 'tie', 'both-bad'];
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

// A spreadsheet runs a cell starting with = + - @ (or tab / CR) as a formula; a leading apostrophe
// makes it plain text. A cell that already starts with an apostrophe is guarded too, so stripping
// exactly one apostrophe in front of any of these characters gives back the original text.
const GUARDED_START = /^[=+\-@\t\r']/;

/** A text cell made safe to open in a spreadsheet (numbers are never passed here). */
export function guardFormula(cell: string): string {
	return GUARDED_START.test(cell) ? `'${cell}` : cell;
}

/** The inverse of guardFormula: drops the apostrophe it added (any other text is left as it is). */
export function unguardFormula(cell: string): string {
	return cell.length > 1 && cell[0] === "'" && GUARDED_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

function describe(v: string): string {
	return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
}

function name(cell: string | undefined, key: string, line: number): string {
	const v = cell ?? '';
	if (v.length === 0) throw new StatsInputError(`"${key}" must be a non-empty text, got an empty cell`, line);
	if (v.length > MAX_NAME) throw new StatsInputError(`"${key}" is longer than ${MAX_NAME} characters`, line);
	return v;
}

function passOf(cell: string | undefined, line: number): boolean | null {
	const v = (cell ?? '').trim().toLowerCase();
	if (v === '') return null;
	if (v === 'true') return true;
	if (v === 'false') return false;
	throw new StatsInputError(`"pass" must be true, false or empty, got ${describe(cell ?? '')}`, line);
}

function scoreOf(cell: string | undefined, line: number): number | null {
	const v = (cell ?? '').trim();
	if (v === '') return null;
	if (!NUMBER.test(v)) throw new StatsInputError(`"score" must be a number from 0 to 1 or empty, got ${describe(cell ?? '')}`, line);
	const score = Number(v);
	if (!(score >= 0 && score <= 1)) throw new StatsInputError(`"score" ${v} is outside 0..1`, line);
	return score;
}

/** Which kind of file a header names, and where each column is; @throws StatsInputError */
function readHeader(cells: string[], line: number): { kind: 'results' | 'votes'; at: Map<string, number> } {
	const names = cells.map((c) => c.trim().toLowerCase());
	const kind = names.includes('variant') ? 'results' : 'votes';
	const allowed: readonly string[] = kind === 'results' ? RESULTS_CSV_COLUMNS : VOTES_CSV_COLUMNS;
	const hint = `a results file has the header ${RESULTS_CSV_COLUMNS.join(',')}; a votes file ${VOTES_CSV_COLUMNS.join(',')}`;
	const at = new Map<string, number>();
	names.forEach((n, i) => {
		if (!allowed.includes(n)) throw new StatsInputError(`unknown column ${JSON.stringify(cells[i])} in the header; ${hint}`, line);
		if (at.has(n)) throw new StatsInputError(`the header names column "${n}" twice; ${hint}`, line);
		at.set(n, i);
	});
	// pass and score may be left out (= empty), as in JSONL; the rest are needed
	const required = kind === 'results' ? ['item', 'variant'] : VOTES_CSV_COLUMNS;
	for (const r of required) if (!at.has(r)) throw new StatsInputError(`the header has no "${r}" column; ${hint}`, line);
	return { kind, at };
}

/** Collects rows of one CSV file, checking each as it comes. */
class CsvReader {
	readonly rows: ResultRow[] = [];
	readonly votes: VoteLine[] = [];
	private header: { kind: 'results' | 'votes'; at: Map<string, number> } | null = null;
	private readonly seen = new Map<string, number>();

	add(raw: string[], line: number): void {
		if (this.header === null) {
			this.header = readHeader(raw, line);
			return;
		}
		const { kind, at } = this.header;
		if (raw.length !== at.size) {
			throw new StatsInputError(
				`has ${raw.length} value${raw.length === 1 ? '' : 's'} but the header has ${at.size} columns; quote values that contain a comma`,
				line
			);
		}
		const cells = raw.map(unguardFormula);
		const cell = (key: string) => {
			const i = at.get(key);
			return i === undefined ? undefined : cells[i];
		};
		const item = name(cell('item'), 'item', line);
		if (kind === 'results') this.addResult(item, cell, line);
		else this.addVote(item, cell, line);
	}

	private addResult(item: string, cell: (key: string) => string | undefined, line: number): void {
		const variant = name(cell('variant'), 'variant', line);
		const pass = passOf(cell('pass'), line);
		const score = scoreOf(cell('score'), line);
		const key = JSON.stringify([item, variant]);
		const first = this.seen.get(key);
		if (first !== undefined) {
			throw new StatsInputError(
				`duplicate row for item ${JSON.stringify(item)}, variant ${JSON.stringify(variant)} (first on line ${first}); keep one row per item and variant`,
				line
			);
		}
		this.seen.set(key, line);
		this.rows.push({ item, variant, pass, score });
	}

	private addVote(item: string, cell: (key: string) => string | undefined, line: number): void {
		const a = name(cell('a'), 'a', line);
		const b = name(cell('b'), 'b', line);
		if (a === b) throw new StatsInputError(`a vote needs two different variants, got ${JSON.stringify(a)} twice`, line);
		const winner = (cell('winner') ?? '').trim();
		if (!WINNERS.includes(winner as VoteChoice)) {
			throw new StatsInputError(`"winner" must be a, b, tie or both-bad, got ${describe(cell('winner') ?? '')}`, line);
		}
		const key = JSON.stringify([item, ...[a, b].sort()]);
		const first = this.seen.get(key);
		if (first !== undefined) {
			throw new StatsInputError(
				`duplicate vote for item ${JSON.stringify(item)} between ${JSON.stringify(a)} and ${JSON.stringify(b)} (first on line ${first}); keep one vote per item and pair`,
				line
			);
		}
		this.seen.set(key, line);
		this.votes.push({ item, a, b, winner: winner as VoteChoice });
	}
}

/**
 * Parses a whole results or votes CSV. Blank lines are skipped; a row's line is the 1-based line it
 * starts on (a quoted value may span lines). Cells lose the formula-guard apostrophe.
 * @throws StatsInputError naming the first bad line (line null for a problem with the whole text)
 */
export function parseResultsCsv(text: string): { rows: ResultRow[]; votes: VoteLine[] } {
	if (text.length > MAX_CSV_BYTES) {
		throw new StatsInputError(`the CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split the results into smaller files`, null);
	}
	if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
	const reader = new CsvReader();
	let failure: unknown = null;
	let start = 0;
	let line = 1;
	Papa.parse<string[]>(text, {
		header: false,
		delimiter: ',',
		step: (result, parser) => {
			const end = result.meta.cursor;
			const rowLine = line;
			for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) line++;
			const length = end - start;
			start = end;
			try {
				if (rowLine > MAX_LINES) {
					throw new StatsInputError(`more than ${MAX_LINES.toLocaleString('en-US')} lines; split the results into smaller files`, rowLine);
				}
				if (length > MAX_LINE_BYTES) {
					throw new StatsInputError('row is longer than 1 MB; each row must hold one result or vote', rowLine);
				}
				const [e] = result.errors;
				if (e) {
					throw new StatsInputError(
						e.code === 'MissingQuotes'
							? 'a quoted value is never closed: end it with " (write "" for a quote inside a quoted value)'
							: e.code === 'InvalidQuotes'
								? 'a value has a stray quote: put the whole value in quotes and write "" for a quote inside it'
								: e.message,
						rowLine
					);
				}
				const row = result.data;
				if (row.every((c) => c.trim() === '')) return;
				reader.add(row, rowLine);
			} catch (err) {
				// papaparse would keep calling step; stop at the first problem and rethrow it below
				failure = err;
				parser.abort();
			}
		}
	});
	if (failure !== null) throw failure;
	return { rows: reader.rows, votes: reader.votes };
}
