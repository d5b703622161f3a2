// The stats CLI, spawned for real (node scripts/cli.mjs stats, what npm run stats runs) on JSONL files in a temp folder:
// the full --json output on a small file checked against a hand calculation, the table, stdin, and
// bad input / bad usage giving ONE line on stderr with the right exit code and no stack trace.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'stats-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(name: string, text: string): string {
	const path = join(root, name);
	writeFileSync(path, text);
	return path;
}

function cli(args: string[], input?: string) {
	const r = spawnSync(process.execPath, ['scripts/cli.mjs', 'stats', ...args], { encoding: 'utf8', input });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const lines = [
	{ item: 'q1', variant: 'base', pass: true, score: 1 },
	{ item: 'q1', variant: 'tuned', pass: true, score: 0.9 },
	{ item: 'q2', variant: 'base', pass: true, score: 0.8 },
	{ item: 'q2', variant: 'tuned', pass: false, score: 0.4 },
	{ item: 'q3', variant: 'base', pass: false, score: 0.2 },
	{ item: 'q3', variant: 'tuned', pass: false, score: 0.1 },
	{ item: 'q4', variant: 'base', pass: false, score: 0 },
	{ item: 'q4', variant: 'tuned', pass: true, score: 0.7 },
	{ item: 'q5', variant: 'base', pass: true, score: 0.6 },
	{ item: 'q5', variant: 'tuned', pass: false, score: 0.3 },
	{ item: 'q6', variant: 'base', pass: null, score: 0.5 },
	{ item: 'q6', variant: 'tuned', pass: true, score: null },
	{ item: 'q7', variant: 'tuned', pass: true, score: 1 },
	{ item: 'q1', a: 'base', b: 'tuned', winner: 'a' },
	{ item: 'q2', a: 'tuned', b: 'base', winner: 'b' },
	{ item: 'q3', a: 'base', b: 'tuned', winner: 'tie' },
	{ item: 'q4', a: 'base', b: 'tuned', winner: 'b' },
	{ item: 'q5', a: 'tuned', b: 'base', winner: 'both-bad' }
];
const good = file('results.jsonl', lines.map((l) => JSON.stringify(l)).join('\n') + '\n\n');

// Each case starts a whole node process (about 1 s, several on a loaded 2-core machine).
describe('stats --json', { timeout: 60_000 }, () => {
	it('prints one JSON object that matches the hand calculation', () => {
		const r = cli([good, '--json']);
		expect(r.stderr).toBe('');
		expect(r.code).toBe(0);
		expect(r.stdout.trim().split('\n')).toHaveLength(1);
		const out = JSON.parse(r.stdout);
		// z = 1.959964, z² = 3.841459.
		// base: pass values on q1–q5 → n 5, passes 3 (q1, q2, q5). Wilson 3/5: centre 6 + z² = 9.841459,
		//   half z·√(z² + 4·5·0.6·0.4) = z·√8.641459 = 5.761582, denominator 2(5 + z²) = 17.682918
		//   → 4.079877/17.682918 = 0.230724 and 15.603041/17.682918 = 0.882377.
		//   scores q1–q6: (1 + 0.8 + 0.2 + 0 + 0.6 + 0.5)/6 = 3.1/6 = 0.516667
		// tuned: pass values on q1–q7 → n 7, passes 4 (q1, q4, q6, q7). Wilson 4/7: centre 8 + z² = 11.841459,
		//   half z·√(z² + 48/7) = z·√10.698602 = 6.410791, denominator 2(7 + z²) = 21.682918
		//   → 0.250459 and 0.841780. scores (0.9 + 0.4 + 0.1 + 0.7 + 0.3 + 1)/6 = 3.4/6 = 0.566667
		expect(out.variants).toEqual([
			{
				variant: 'base',
				n: 5,
				passes: 3,
				passRate: 0.6,
				ci95: [expect.closeTo(0.230724, 5), expect.closeTo(0.882377, 5)],
				meanScore: expect.closeTo(0.516667, 5),
				scoreN: 6
			},
			{
				variant: 'tuned',
				n: 7,
				passes: 4,
				passRate: 4 / 7,
				ci95: [expect.closeTo(0.250459, 5), expect.closeTo(0.84178, 5)],
				meanScore: expect.closeTo(0.566667, 5),
				scoreN: 6
			}
		]);
		// Pair base (a) vs tuned (b), items with pass for both: q1–q5 → both 1 (q1), onlyA 2 (q2, q5),
		//   onlyB 1 (q4), neither 1 (q3). McNemar: 2·P(X ≤ 1 | 3) = 2·(1 + 3)/8 = 1.
		// passDiff: θ̂ = (2 − 1)/5 = 0.2; p₁ = 0.6 with [0.230724, 0.882377], p₂ = 0.4 with
		//   [1 − 0.882377, 1 − 0.230724] = [0.117623, 0.769276]; D = 1·1 − 2·1 = −1 < 0 so
		//   φ̂ = −1/√(3·2·2·3) = −1/6. p₁ − l₁ = u₂ − p₂ = 0.369276 → δ = 0.369276·√(2 + 2/6) = 0.564078
		//   → L = 0.2 − 0.564078 = −0.364078; u₁ − p₁ = p₂ − l₂ = 0.282377 → ε = 0.282377·1.527525 = 0.431338
		//   → U = 0.631338.
		// scoreDiff over q1–q5 (q6 has no tuned score): 0.1, 0.4, 0.1, −0.7, 0.3 → mean 0.04,
		//   Σ(d − m)² = 0.0036 + 0.1296 + 0.0036 + 0.5476 + 0.0676 = 0.752, s = √0.188 = 0.433590,
		//   t₄ = 2.776445, half = 2.776445·0.433590/√5 = 0.538373 → [−0.498373, 0.578373], method t (n < 30).
		// votes: q1 a; q2 recorded tuned-vs-base with winner b = base → a; q3 tie; q4 b; q5 both-bad
		//   → aWins 2, bWins 1, ties 1, bothBad 1; sign test 2·P(X ≤ 1 | 3) = 1.
		// verdict none (p = 1); more items: ψ = 3/5, δ = 1/5: (1.959964·√0.6 + 0.841621·√0.56)²/0.04
		//   = (1.518182 + 0.629812)²/0.04 = 4.613878/0.04 = 115.347 → 116 − 5 = 111.
		expect(out.pairs).toEqual([
			{
				a: 'base',
				b: 'tuned',
				n: 5,
				both: 1,
				onlyA: 2,
				onlyB: 1,
				neither: 1,
				mcnemarP: 1,
				passDiff: { estimate: expect.closeTo(0.2, 12), ci95: [expect.closeTo(-0.364078, 5), expect.closeTo(0.631338, 5)] },
				scoreDiff: { n: 5, mean: expect.closeTo(0.04, 12), ci95: [expect.closeTo(-0.498373, 5), expect.closeTo(0.578373, 5)], method: 't' },
				votes: { aWins: 2, bWins: 1, ties: 1, bothBad: 1, signP: 1 },
				verdict: 'none',
				moreItemsNeeded: 111
			}
		]);
	});

	it('reads stdin when the file is -', () => {
		const text = lines.map((l) => JSON.stringify(l)).join('\n');
		const r = cli(['-', '--json'], text);
		expect(r.code).toBe(0);
		expect(JSON.parse(r.stdout).pairs[0].moreItemsNeeded).toBe(111);
	});
});

describe('stats table', { timeout: 60_000 }, () => {
	it('prints a short table with each variant and the pair', () => {
		const r = cli([good]);
		expect(r.code).toBe(0);
		expect(r.stderr).toBe('');
		expect(r.stdout).toMatch(/^variant\s+n\s+passes/);
		expect(r.stdout).toMatch(/base\s+5\s+3\s+60\.0%\s+23\.1%–88\.2%/);
		expect(r.stdout).toContain('base vs tuned');
		expect(r.stdout).toContain('about 111 more items');
	});

	it('--help describes the input lines and exits 0', () => {
		const r = cli(['--help']);
		expect(r.code).toBe(0);
		expect(r.stdout).toContain('--json');
		expect(r.stdout).toContain('"winner"');
	});
});

describe('stats errors', { timeout: 60_000 }, () => {
	const oneLine = (r: { stderr: string }) => {
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).not.toMatch(/\n\s+at /);
	};

	it('names the file and line of a duplicate row, exit 1', () => {
		const bad = file(
			'dup.jsonl',
			[
				'{"item":"q1","variant":"base","pass":true}',
				'',
				'{"item":"q3","variant":"base","pass":false}',
				'{"item":"q3","variant":"base","pass":true}'
			].join('\n')
		);
		const r = cli([bad, '--json']);
		expect(r.code).toBe(1);
		expect(r.stdout).toBe('');
		oneLine(r);
		expect(r.stderr).toMatch(
			new RegExp(`^stats: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: duplicate row for item "q3", variant "base"`)
		);
	});

	it('refuses malformed JSON and an out-of-range score with the line number', () => {
		let r = cli([file('broken.jsonl', '{"item":"q1","variant":"a"}\n{oops}\n')]);
		expect(r.code).toBe(1);
		oneLine(r);
		expect(r.stderr).toMatch(/broken\.jsonl:2: not valid JSON/);
		r = cli(['-'], '{"item":"q1","variant":"a","score":7}');
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/^stats: stdin:1: "score" 7 is outside 0\.\.1/);
	});

	it('refuses a line over 1 MB while streaming, without reading it whole', () => {
		const r = cli([file('long.jsonl', `{"item":"q1","variant":"a"}\n${'x'.repeat(3_000_000)}`)]);
		expect(r.code).toBe(1);
		oneLine(r);
		expect(r.stderr).toMatch(/long\.jsonl:2: line is longer than 1 MB/);
	});

	it('refuses a missing file, a folder and an empty file, exit 1', () => {
		for (const [arg, msg] of [
			[join(root, 'nope.jsonl'), /no such file/],
			[root, /not a regular file/],
			[file('empty.jsonl', '\n\n'), /no result or vote lines/]
		] as const) {
			const r = cli([arg]);
			expect(r.code).toBe(1);
			oneLine(r);
			expect(r.stderr).toMatch(msg);
		}
	});

	it('exits 2 on bad usage', () => {
		for (const args of [[], ['--bogus', good], [good, good]]) {
			const r = cli(args);
			expect(r.code).toBe(2);
			oneLine(r);
			expect(r.stderr).toMatch(/usage: npm run stats/);
		}
	});
});
