// The stats CLI on CSV, spawned for real (node scripts/cli.mjs stats, what npm run stats runs): a results CSV and a
// votes CSV written by the app's exporters (labels with a comma, quotes and a formula guard) print
// exactly the JSON that the equivalent JSONL prints; a bad CSV row gives ONE stderr line naming its
// line, exit 1; --help mentions CSV.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsCsv, votesCsv } from '../../../src/domain/experiment/exports.ts';
import type { ResultRow, VoteLine } from '../../../src/domain/stats/index.ts';

const root = mkdtempSync(join(tmpdir(), 'stats-csv-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
	const path = join(root, name);
	writeFileSync(path, text);
	return path;
}

function cli(args: string[]) {
	const r = spawnSync(process.execPath, ['scripts/cli.mjs', 'stats', ...args], { encoding: 'utf8' });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const A = 'base, v1';
const B = '=tuned "x"';
const rows: ResultRow[] = [
	{ item: 'q1', variant: A, pass: true, score: 1 },
	{ item: 'q1', variant: B, pass: true, score: 0.9 },
	{ item: 'q2', variant: A, pass: true, score: 0.8 },
	{ item: 'q2', variant: B, pass: false, score: 0.4 },
	{ item: 'q3', variant: A, pass: false, score: 0.2 },
	{ item: 'q3', variant: B, pass: false, score: 0.1 },
	{ item: 'q4', variant: A, pass: false, score: 0 },
	{ item: 'q4', variant: B, pass: true, score: 0.7 },
	{ item: 'q5', variant: A, pass: null, score: 0.5 },
	{ item: 'q5', variant: B, pass: true, score: null }
];
const votes: VoteLine[] = [
	{ item: 'q1', a: A, b: B, winner: 'a' },
	{ item: 'q2', a: B, b: A, winner: 'b' },
	{ item: 'q3', a: A, b: B, winner: 'tie' },
	{ item: 'q4', a: A, b: B, winner: 'b' }
];
const jsonl = (lines: object[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';

// Each case starts whole node processes (about 1 s each, more on a loaded 2-core machine).
describe('stats on CSV', { timeout: 90_000 }, () => {
	it('prints the same --json for a results CSV as for the same rows in JSONL', () => {
		const fromCsv = cli([file('results.csv', resultsCsv({ rows, votes })), '--json']);
		const fromJsonl = cli([file('results.jsonl', jsonl(rows)), '--json']);
		expect(fromCsv.stderr).toBe('');
		expect(fromCsv.code).toBe(0);
		expect(fromJsonl.code).toBe(0);
		expect(fromCsv.stdout).toBe(fromJsonl.stdout);
		const out = JSON.parse(fromCsv.stdout);
		// the guard apostrophe is gone: the variant reads back as written
		expect(out.variants.map((v: { variant: string }) => v.variant)).toEqual([A, B]);
		// A: passes on q1, q2 of q1–q4; B: q1, q4, q5 of q1–q5
		expect(out.variants.map((v: { n: number; passes: number }) => [v.n, v.passes])).toEqual([
			[4, 2],
			[5, 3]
		]);
	});

	it('prints the same --json for a votes CSV as for the same votes in JSONL', () => {
		const fromCsv = cli([file('votes.csv', votesCsv(votes)), '--json']);
		const fromJsonl = cli([file('votes.jsonl', jsonl(votes)), '--json']);
		expect(fromCsv.code).toBe(0);
		expect(fromCsv.stdout).toBe(fromJsonl.stdout);
		// q1 A, q2 (B vs A, winner b) A, q4 B, q3 tie
		expect(JSON.parse(fromCsv.stdout).pairs[0].votes).toMatchObject({ aWins: 2, bWins: 1, ties: 1, bothBad: 0 });
	});

	it('refuses a bad CSV row with one stderr line naming the file and line, exit 1', () => {
		const bad = file('bad.csv', 'item,variant,pass,score\r\nq1,a,true,0.5\r\n"q\r\n2",a,true,0.5\r\nq3,a,yes,\r\n');
		const r = cli([bad, '--json']);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).not.toMatch(/\n\s+at /);
		expect(r.stderr).toBe(`stats: ${bad}:5: "pass" must be true, false or empty, got the text "yes"\n`);
	});

	it('--help mentions CSV input', () => {
		const r = cli(['--help']);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('.csv');
		expect(r.stdout).toContain('item,variant,pass,score');
	});
});
