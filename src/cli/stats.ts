// Node CLI: `npm run stats -- <results.jsonl | results.csv | -> [--json]`. Reads result and vote lines
// (see src/domain/stats/parse-jsonl.ts) streaming, line by line with a bounded line length, or a file
// whose name ends in .csv whole (bounded size) as CSV (src/domain/stats/parse-csv.ts), and prints the
// paired comparison of every pair of variants: one JSON object with --json, else a short table.
// Bad input prints ONE line on stderr (`file:line: reason`) and exits 1; bad usage exits 2.
// Imports only node: built-ins and src/domain/stats; never executes anything from the input.

import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import {
	compareResults,
	type Comparison,
	MAX_CSV_BYTES,
	MAX_LINE_BYTES,
	parseResultsCsv,
	type ResultRow,
	ResultsReader,
	StatsInputError,
	type VoteLine
} from '../domain/stats/index.ts';

/** A problem with the command line or the input, reported as one line. */
export class CliError extends Error {
	override name = 'CliError';
	constructor(
		message: string,
		readonly exitCode = 1
	) {
		super(message);
	}
}

export interface StatsArgs {
	/** A file path, or '-' for stdin. */
	input: string;
	json: boolean;
}

const USAGE = 'usage: npm run stats -- <results.jsonl | results.csv | -> [--json]';

const HELP = `Compares model variants on the same items: pass rates (Wilson 95 % intervals), the exact McNemar test,
the paired pass-rate difference (Newcombe), the mean score difference (t or BCa bootstrap), blind votes
(sign test), a verdict per pair and how many more items would detect the observed difference.
${USAGE}
  <file>   JSON Lines, one object per line ('-' reads stdin):
             {"item": "q1", "variant": "base", "pass": true, "score": 0.8}    pass/score may be null
             {"item": "q1", "a": "base", "b": "tuned", "winner": "a"}         winner: a, b, tie, both-bad
           or, for a name ending in .csv, CSV with a header row, results or votes (one kind a file):
             item,variant,pass,score     pass true/false or empty, score 0..1 or empty
             item,a,b,winner             a leading ' before = + - @ (spreadsheet guard) is removed
  --json   print the result as one JSON object`;

/** Parses argv (without node and the script). @throws CliError (exit code 2) on bad usage */
export function parseArgs(argv: string[]): StatsArgs {
	let json = false;
	let input: string | undefined;
	for (const a of argv) {
		if (a === '--json') json = true;
		else if (a.startsWith('-') && a !== '-') throw new CliError(`unknown option ${a}; ${USAGE}`, 2);
		else if (input !== undefined) throw new CliError(`give one results file, got ${input} and ${a}; ${USAGE}`, 2);
		else input = a;
	}
	if (input === undefined) throw new CliError(`a results file is required; ${USAGE}`, 2);
	return { input, json };
}

/**
 * Splits a byte stream into lines (\n, with a trailing \r dropped), refusing a line over maxBytes as
 * soon as it grows past it, so a file without line breaks never fills memory.
 */
export async function* boundedLines(stream: Readable, maxBytes: number = MAX_LINE_BYTES): AsyncGenerator<string> {
	let parts: Buffer[] = [];
	let size = 0;
	let lineNo = 0;
	const take = (chunk: Buffer): string => {
		parts.push(chunk);
		const buf = Buffer.concat(parts);
		parts = [];
		size = 0;
		const end = buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.length - 1 : buf.length;
		return buf.toString('utf8', 0, end);
	};
	for await (const raw of stream) {
		const chunk: Buffer = typeof raw === 'string' ? Buffer.from(raw) : raw;
		let start = 0;
		for (;;) {
			const nl = chunk.indexOf(0x0a, start);
			const piece = nl < 0 ? chunk.subarray(start) : chunk.subarray(start, nl);
			if (size + piece.length > maxBytes + 1) {
				throw new StatsInputError('line is longer than 1 MB; each line must hold one result or vote', lineNo + 1);
			}
			if (nl < 0) {
				if (piece.length > 0) {
					parts.push(Buffer.from(piece));
					size += piece.length;
				}
				break;
			}
			lineNo++;
			yield take(Buffer.from(piece));
			start = nl + 1;
		}
	}
	if (size > 0) yield take(Buffer.alloc(0));
}

/** Reads and compares a results file (or stdin for '-'). @throws CliError with `name:line: reason` */
export async function runStats(args: StatsArgs, stdin: Readable = process.stdin): Promise<Comparison> {
	const label = args.input === '-' ? 'stdin' : args.input;
	let input: { rows: ResultRow[]; votes: VoteLine[] };
	if (args.input === '-') {
		input = await readJsonl(stdin, label, false);
	} else {
		const path = resolve(args.input);
		let info;
		try {
			info = await stat(path);
		} catch {
			throw new CliError(`${label}: no such file; give the path of a results .jsonl or .csv file`);
		}
		if (!info.isFile()) throw new CliError(`${label}: not a regular file; give the path of a results .jsonl or .csv file`);
		if (/\.csv$/i.test(path)) input = await readCsv(path, info.size, label);
		else input = await readJsonl(createReadStream(path), label, true);
	}
	if (input.rows.length === 0 && input.votes.length === 0) throw new CliError(`${label}: no result or vote lines; nothing to compare`);
	try {
		return compareResults(input.rows, input.votes);
	} catch (e) {
		throw new CliError(`${label}: ${e instanceof Error ? e.message : String(e)}`);
	}
}

/** Reads JSONL line by line. @throws CliError with `name:line: reason` */
async function readJsonl(stream: Readable, label: string, close: boolean): Promise<{ rows: ResultRow[]; votes: VoteLine[] }> {
	const reader = new ResultsReader();
	let lineNo = 0;
	try {
		for await (const line of boundedLines(stream)) reader.addLine(line, ++lineNo);
	} catch (e) {
		if (e instanceof StatsInputError) throw new CliError(`${label}:${e.line ?? lineNo}: ${e.reason}`);
		throw new CliError(`${label}: could not be read (${e instanceof Error ? e.message : String(e)})`);
	} finally {
		if (close) stream.destroy();
	}
	return { rows: reader.rows, votes: reader.votes };
}

/** Reads a CSV file whole (CSV rows may span lines), refusing one over MAX_CSV_BYTES before reading it. */
async function readCsv(path: string, size: number, label: string): Promise<{ rows: ResultRow[]; votes: VoteLine[] }> {
	if (size > MAX_CSV_BYTES) {
		throw new CliError(`${label}: larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split the results into smaller files or use JSON Lines`);
	}
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (e) {
		throw new CliError(`${label}: could not be read (${e instanceof Error ? e.message : String(e)})`);
	}
	try {
		return parseResultsCsv(text);
	} catch (e) {
		if (e instanceof StatsInputError) throw new CliError(e.line === null ? `${label}: ${e.reason}` : `${label}:${e.line}: ${e.reason}`);
		throw e;
	}
}

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);
const num = (x: number | null, d = 3) => (x === null ? '–' : x.toFixed(d));
const pval = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

/** The comparison as a short human-readable table. */
export function formatTable(c: Comparison): string {
	const rows = [['variant', 'n', 'passes', 'pass rate', '95% CI', 'mean score', 'scored']];
	for (const v of c.variants) {
		rows.push([
			v.variant,
			String(v.n),
			String(v.passes),
			pct(v.passRate),
			v.ci95 ? `${pct(v.ci95[0])}–${pct(v.ci95[1])}` : '–',
			num(v.meanScore),
			String(v.scoreN)
		]);
	}
	const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
	const lines = rows.map((r) =>
		r
			.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
			.join('  ')
			.trimEnd()
	);
	for (const p of c.pairs) {
		lines.push('');
		lines.push(
			`${p.a} vs ${p.b}: ${p.n} items with pass for both (both ${p.both}, only ${p.a} ${p.onlyA}, only ${p.b} ${p.onlyB}, neither ${p.neither})`
		);
		if (p.passDiff.estimate !== null && p.passDiff.ci95) {
			lines.push(
				`  pass rate difference ${(100 * p.passDiff.estimate).toFixed(1)} points (95% CI ${(100 * p.passDiff.ci95[0]).toFixed(1)} to ${(100 * p.passDiff.ci95[1]).toFixed(1)}), exact McNemar p = ${pval(p.mcnemarP)}`
			);
		}
		if (p.scoreDiff) {
			const ci = p.scoreDiff.ci95
				? ` (95% CI ${num(p.scoreDiff.ci95[0])} to ${num(p.scoreDiff.ci95[1])}, ${p.scoreDiff.method === 'bca' ? 'BCa bootstrap' : 't interval'})`
				: '';
			lines.push(`  mean score difference ${num(p.scoreDiff.mean)} over ${p.scoreDiff.n} items${ci}`);
		}
		if (p.votes) {
			lines.push(
				`  votes: ${p.a} ${p.votes.aWins}, ${p.b} ${p.votes.bWins}, tie ${p.votes.ties}, both bad ${p.votes.bothBad}; sign test p = ${pval(p.votes.signP)}`
			);
		}
		const verdict = p.verdict === 'none' ? 'no significant difference' : `${p.verdict === 'a' ? p.a : p.b} is better`;
		const more = p.moreItemsNeeded ? `; about ${p.moreItemsNeeded} more items would detect the observed difference (80% power)` : '';
		lines.push(`  verdict: ${verdict}${more}`);
	}
	return `${lines.join('\n')}\n`;
}

function oneLine(e: unknown): string {
	const msg = e instanceof Error ? e.message : String(e);
	return msg.replace(/\s+/g, ' ').trim();
}

/** The command: `argv` without node and the script. Sets process.exitCode; prints one line on failure. */
export async function main(argv: string[]): Promise<void> {
	if (argv.includes('--help') || argv.includes('-h')) {
		process.stdout.write(`${HELP}\n`);
		return;
	}
	try {
		const args = parseArgs(argv);
		const result = await runStats(args);
		process.stdout.write(args.json ? `${JSON.stringify(result)}\n` : formatTable(result));
	} catch (e) {
		process.stderr.write(`stats: ${oneLine(e)}\n`);
		process.exitCode = e instanceof CliError ? e.exitCode : 1;
	}
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
	await main(process.argv.slice(2));
}
