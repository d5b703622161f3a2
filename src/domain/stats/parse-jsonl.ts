// Reads comparison results from JSON Lines, one line at a time so a caller can stream a file:
//   {"item": "<id>", "variant": "<name>", "pass": true|false|null, "score": <0..1>|null}
//   {"item": "<id>", "a": "<variant>", "b": "<variant>", "winner": "a"|"b"|"tie"|"both-bad"}
// Blank lines are ignored; `pass` and `score` may be left out (= null). Every problem is an error
// naming its 1-based line. The work is bounded: lines over 1 MB and inputs over 1,000,000 lines are
// refused. Values are only read as data, never executed.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import type { ResultRow, VoteChoice, VoteLine } from './compare.ts';

/** Longest line accepted, in bytes of UTF-8 (the CLI) or UTF-16 code units (text already in memory). */
export const MAX_LINE_BYTES = 1_000_000;
/** Most lines accepted, blank lines included. */
export const MAX_LINES = 1_000_000;
/** Longest item id or variant name. */
const MAX_NAME = 1000;

/** A problem with the input; `line` is 1-based (null when the problem is not on one line). */
export class StatsInputError extends Error {
	override name = 'StatsInputError';
	constructor(
		readonly reason: string,
		readonly line: number | null
	) {
		super(line === null ? reason : `line ${line}: ${reason}`);
	}
}

const RESULT_KEYS = new Set(['item', 'variant', 'pass', 'score']);
const VOTE_KEYS = new Set(['item', 'a', 'b', 'winner']);
const WINNERS: readonly VoteChoice[] = ['a', 'b', 'tie', 'both-bad'];

function describe(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
	if (typeof v === 'object') return 'an object';
	return `${typeof v} ${String(v)}`;
}

function name(obj: Record<string, unknown>, key: string, line: number): string {
	const v = obj[key];
	if (typeof v !== 'string' || v.length === 0)
		throw new StatsInputError(`"${key}" must be a non-empty text, got ${v === undefined ? 'nothing' : describe(v)}`, line);
	if (v.length > MAX_NAME) throw new StatsInputError(`"${key}" is longer than ${MAX_NAME} characters`, line);
	return v;
}

/** Collects result rows and votes line by line, checking each as it comes. */
export class ResultsReader {
	readonly rows: ResultRow[] = [];
	readonly votes: VoteLine[] = [];
	private lines = 0;
	private readonly seenRows = new Map<string, number>();
	private readonly seenVotes = new Map<string, number>();

	/**
	 * Checks and stores one line (without its line break); `lineNo` is its 1-based number.
	 * @throws StatsInputError naming the line when it is too long, not JSON, or not a result/vote line
	 */
	addLine(text: string, lineNo: number): void {
		if (++this.lines > MAX_LINES) {
			throw new StatsInputError(`more than ${MAX_LINES.toLocaleString('en-US')} lines; split the results into smaller files`, lineNo);
		}
		if (text.length > MAX_LINE_BYTES) {
			throw new StatsInputError(`line is longer than 1 MB; each line must hold one result or vote`, lineNo);
		}
		if (text.trim() === '') return;
		let value: unknown;
		try {
			value = JSON.parse(text);
		} catch (e) {
			throw new StatsInputError(`not valid JSON (${e instanceof Error ? e.message : String(e)})`, lineNo);
		}
		if (typeof value !== 'object' || value === null || Array.isArray(value)) {
			throw new StatsInputError(
				`expected a JSON object like {"item": …, "variant": …, "pass": …, "score": …}, got ${describe(value)}`,
				lineNo
			);
		}
		const obj = value as Record<string, unknown>;
		const isResult = 'variant' in obj;
		const isVote = 'winner' in obj || 'a' in obj || 'b' in obj;
		if (isResult && isVote)
			throw new StatsInputError('a line is either a result (with "variant") or a vote (with "a", "b", "winner"), not both', lineNo);
		if (!isResult && !isVote) throw new StatsInputError('a line needs "variant" (a result) or "a", "b" and "winner" (a vote)', lineNo);
		const allowed = isResult ? RESULT_KEYS : VOTE_KEYS;
		for (const k of Object.keys(obj)) {
			if (!allowed.has(k))
				throw new StatsInputError(
					`unknown field ${JSON.stringify(k)} in a ${isResult ? 'result' : 'vote'} line; allowed: ${[...allowed].join(', ')}`,
					lineNo
				);
		}
		const item = name(obj, 'item', lineNo);
		if (isResult) this.addResult(obj, item, lineNo);
		else this.addVote(obj, item, lineNo);
	}

	private addResult(obj: Record<string, unknown>, item: string, lineNo: number): void {
		const variant = name(obj, 'variant', lineNo);
		const pass = obj.pass ?? null;
		if (pass !== null && typeof pass !== 'boolean')
			throw new StatsInputError(`"pass" must be true, false or null, got ${describe(pass)}`, lineNo);
		const score = obj.score ?? null;
		if (score !== null) {
			if (typeof score !== 'number')
				throw new StatsInputError(`"score" must be a number from 0 to 1 or null, got ${describe(score)}`, lineNo);
			if (!(score >= 0 && score <= 1)) throw new StatsInputError(`"score" ${score} is outside 0..1`, lineNo);
		}
		const key = JSON.stringify([item, variant]);
		const first = this.seenRows.get(key);
		if (first !== undefined) {
			throw new StatsInputError(
				`duplicate row for item ${JSON.stringify(item)}, variant ${JSON.stringify(variant)} (first on line ${first}); keep one row per item and variant`,
				lineNo
			);
		}
		this.seenRows.set(key, lineNo);
		this.rows.push({ item, variant, pass, score });
	}

	private addVote(obj: Record<string, unknown>, item: string, lineNo: number): void {
		const a = name(obj, 'a', lineNo);
		const b = name(obj, 'b', lineNo);
		if (a === b) throw new StatsInputError(`a vote needs two different variants, got ${JSON.stringify(a)} twice`, lineNo);
		const winner = obj.winner;
		if (typeof winner !== 'string' || !WINNERS.includes(winner as VoteChoice)) {
			throw new StatsInputError(
				`"winner" must be "a", "b", "tie" or "both-bad", got ${winner === undefined ? 'nothing' : describe(winner)}`,
				lineNo
			);
		}
		const key = JSON.stringify([item, ...[a, b].sort()]);
		const first = this.seenVotes.get(key);
		if (first !== undefined) {
			throw new StatsInputError(
				`duplicate vote for item ${JSON.stringify(item)} between ${JSON.stringify(a)} and ${JSON.stringify(b)} (first on line ${first}); keep one vote per item and pair`,
				lineNo
			);
		}
		this.seenVotes.set(key, lineNo);
		this.votes.push({ item, a, b, winner: winner as VoteChoice });
	}
}

/**
 * Parses a whole JSONL text already in memory (lines split at \n, a trailing \r removed).
 * @throws StatsInputError naming the first bad line
 */
export function parseResultsJsonl(text: string): { rows: ResultRow[]; votes: VoteLine[] } {
	const reader = new ResultsReader();
	let start = 0;
	let lineNo = 0;
	while (start <= text.length) {
		let end = text.indexOf('\n', start);
		if (end < 0) end = text.length;
		lineNo++;
		const line = text.slice(start, end);
		const last = end === text.length;
		if (!(last && line === '')) reader.addLine(line.endsWith('\r') ? line.slice(0, -1) : line, lineNo);
		start = end + 1;
		if (last) break;
	}
	return { rows: reader.rows, votes: reader.votes };
}
