// compareResults with `pairs`: only the pairs asked for come out, in that order and orientation, each
// equal to the same pair of the full computation (swapped where asked the other way round); pairs
// naming an unknown variant, or one variant twice, are skipped; without `pairs` nothing changes.
import { describe, expect, it } from 'vitest';
import { swapPair } from '../../../src/domain/decision/family.ts';
import { compareResults, type ResultRow, type VoteLine } from '../../../src/domain/stats/compare.ts';

const row = (item: string, variant: string, pass: boolean | null, score: number | null = null): ResultRow => ({
	item,
	variant,
	pass,
	score
});

// 12 items under three variants: base passes 4, fewshot 7, tuned 10, with scores (n < 30: t intervals,
// which are exactly symmetric, so a swapped pair mirrors the straight one up to rounding).
const passes: Record<string, boolean[]> = {
	base: [true, false, false, true, false, false, true, false, false, true, false, false],
	fewshot: [true, true, false, true, false, true, true, false, true, true, false, false],
	tuned: [true, true, true, true, false, true, true, true, true, true, true, false]
};
const rows: ResultRow[] = Object.entries(passes).flatMap(([variant, ps]) =>
	ps.map((p, i) => row(`q${i}`, variant, p, p ? 0.8 + (i % 3) * 0.05 : 0.2 + (i % 4) * 0.1))
);
// votes recorded in both orientations, so the asked orientation must flip some of them
const votes: VoteLine[] = [
	{ item: 'q0', a: 'base', b: 'tuned', winner: 'b' },
	{ item: 'q1', a: 'tuned', b: 'base', winner: 'a' },
	{ item: 'q2', a: 'tuned', b: 'base', winner: 'tie' },
	{ item: 'q3', a: 'base', b: 'tuned', winner: 'a' }
];

/** Every number replaced by a closeness matcher, for comparing a swapped pair with a recomputed one. */
function approx(x: unknown): unknown {
	if (typeof x === 'number') return expect.closeTo(x, 12);
	if (Array.isArray(x)) return x.map(approx);
	if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, approx(v)]));
	return x;
}

describe('compareResults: pairs option', () => {
	const full = compareResults(rows, votes);
	const fullPair = (a: string, b: string) => full.pairs.find((p) => p.a === a && p.b === b)!;

	it('computes every unordered pair without the option, as before', () => {
		expect(full.pairs.map((p) => [p.a, p.b])).toEqual([
			['base', 'fewshot'],
			['base', 'tuned'],
			['fewshot', 'tuned']
		]);
	});

	it('computes only the pairs asked for, in that order and orientation', () => {
		const some = compareResults(rows, votes, {
			pairs: [
				['tuned', 'base'],
				['fewshot', 'tuned']
			]
		});
		expect(some.pairs.map((p) => [p.a, p.b])).toEqual([
			['tuned', 'base'],
			['fewshot', 'tuned']
		]);
		// asked straight: the very same figures
		expect(some.pairs[1]).toEqual(fullPair('fewshot', 'tuned'));
		// asked the other way round: the full pair swapped
		expect(some.pairs[0]).toEqual(approx(swapPair(fullPair('base', 'tuned'))));
		// tuned wins q0, q1 (flipped) and base wins q3 (flipped), one tie
		expect(some.pairs[0].votes).toMatchObject({ aWins: 2, bWins: 1, ties: 1, bothBad: 0 });
		// tuned alone passes q1, q2, q5, q7, q8, q10 and base alone none: McNemar 2·(1/2)⁶ = 0.03125 → tuned, now "a"
		expect(some.pairs[0]).toMatchObject({ onlyA: 6, onlyB: 0, mcnemarP: 0.03125, verdict: 'a' });
		// the variants are the same as without the option
		expect(some.variants).toEqual(full.variants);
	});

	it('skips pairs naming an unknown variant or one variant twice', () => {
		const some = compareResults(rows, votes, {
			pairs: [
				['base', 'nowhere'],
				['base', 'base'],
				['fewshot', 'base']
			]
		});
		expect(some.pairs).toHaveLength(1);
		expect(some.pairs[0]).toEqual(approx(swapPair(fullPair('base', 'fewshot'))));
	});

	it('gives no pairs for an empty list', () => {
		expect(compareResults(rows, votes, { pairs: [] }).pairs).toEqual([]);
	});
});
