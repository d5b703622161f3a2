// comparisonFamily and swapPair: the primary pair unadjusted, the secondary pairs Holm-adjusted
// together (p values worked by hand), pairs reported in the orientation asked for, and pairs left out
// of the family (absent, repeated, the primary itself).
import { describe, expect, it } from 'vitest';
import { comparisonFamily, findPair, swapPair } from '../../../src/domain/decision/family.ts';
import type { Comparison, PairStats } from '../../../src/domain/stats/compare.ts';

const pair = (a: string, b: string, mcnemarP: number, over: Partial<PairStats> = {}): PairStats => ({
	a,
	b,
	n: 20,
	both: 8,
	onlyA: 6,
	onlyB: 1,
	neither: 5,
	mcnemarP,
	passDiff: { estimate: 0.25, ci95: [0.02, 0.45] },
	scoreDiff: null,
	votes: null,
	verdict: 'none',
	moreItemsNeeded: 14,
	...over
});

// A lopsided pair in the orientation (base, tuned): tuned passes more, gets more votes and the verdict.
const baseVsTuned = pair('base', 'tuned', 0.02, {
	onlyA: 2,
	onlyB: 7,
	passDiff: { estimate: -0.25, ci95: [-0.45, -0.02] },
	scoreDiff: { n: 20, mean: -0.1, ci95: [-0.2, 0.05], method: 't' },
	votes: { aWins: 1, bWins: 4, ties: 2, bothBad: 1, signP: 0.375 },
	verdict: 'b',
	moreItemsNeeded: 0
});

describe('swapPair', () => {
	it('flips the orientation: sides, discordant counts, differences, votes and verdict', () => {
		expect(swapPair(baseVsTuned)).toEqual({
			a: 'tuned',
			b: 'base',
			n: 20,
			both: 8,
			onlyA: 7,
			onlyB: 2,
			neither: 5,
			mcnemarP: 0.02,
			passDiff: { estimate: 0.25, ci95: [0.02, 0.45] },
			scoreDiff: { n: 20, mean: 0.1, ci95: [-0.05, 0.2], method: 't' },
			votes: { aWins: 4, bWins: 1, ties: 2, bothBad: 1, signP: 0.375 },
			verdict: 'a',
			moreItemsNeeded: 0
		});
	});

	it('is its own inverse, keeps "none", null differences and a zero estimate as +0', () => {
		expect(swapPair(swapPair(baseVsTuned))).toEqual(baseVsTuned);
		const empty = pair('x', 'y', 1, { n: 0, both: 0, onlyA: 0, onlyB: 0, neither: 0, passDiff: { estimate: null, ci95: null } });
		expect(swapPair(empty)).toMatchObject({ verdict: 'none', passDiff: { estimate: null, ci95: null }, scoreDiff: null, votes: null });
		const even = swapPair(pair('x', 'y', 1, { onlyA: 3, onlyB: 3, passDiff: { estimate: 0, ci95: [-0.2, 0.2] } }));
		expect(Object.is(even.passDiff.estimate, 0)).toBe(true);
	});
});

describe('findPair', () => {
	it('finds a pair in either orientation and reports it as asked', () => {
		const c: Comparison = { variants: [], pairs: [baseVsTuned] };
		expect(findPair(c, ['base', 'tuned'])).toBe(baseVsTuned);
		expect(findPair(c, ['tuned', 'base'])).toEqual(swapPair(baseVsTuned));
		expect(findPair(c, ['base', 'other'])).toBeNull();
	});
});

describe('comparisonFamily', () => {
	const comparison: Comparison = {
		variants: [],
		pairs: [baseVsTuned, pair('base', 'fewshot', 0.01), pair('fewshot', 'tuned', 0.04), pair('base', 'half', 0.03)]
	};

	it('reports the primary pair unadjusted and Holm-adjusts the secondary ones together', () => {
		const f = comparisonFamily(
			comparison,
			['tuned', 'base'],
			[
				['base', 'fewshot'],
				['fewshot', 'tuned'],
				['base', 'half']
			]
		);
		// primary, asked as (tuned, base): swapped, its p of 0.02 untouched
		expect(f.primary).toEqual({ pair: swapPair(baseVsTuned) });
		// Holm over m = 3: sorted 0.01·3 = 0.03, 0.03·2 = 0.06, max(0.06, 0.04·1) = 0.06
		// → in the asked order 0.03, 0.06, 0.06
		expect(f.secondary.map((s) => s.pair.b)).toEqual(['fewshot', 'tuned', 'half']);
		expect(f.secondary.map((s) => s.adjustedP)).toEqual([expect.closeTo(0.03, 12), expect.closeTo(0.06, 12), expect.closeTo(0.06, 12)]);
		expect(f.secondary.map((s) => s.significant)).toEqual([true, false, false]);
		expect(f.secondary[0].reason).toBe('Holm-adjusted over 3 secondary comparisons: p = 0.010 → 0.030');
		expect(f.secondary[1].reason).toBe('Holm-adjusted over 3 secondary comparisons: p = 0.040 → 0.060');
	});

	it('reports secondary pairs in the asked orientation', () => {
		const f = comparisonFamily(comparison, null, [['tuned', 'base']]);
		expect(f.primary).toBeNull();
		expect(f.secondary).toHaveLength(1);
		expect(f.secondary[0].pair).toEqual(swapPair(baseVsTuned));
		// a single comparison: Holm leaves 0.02 as it is
		expect(f.secondary[0]).toMatchObject({
			adjustedP: 0.02,
			significant: true,
			reason: 'Holm-adjusted over 1 secondary comparison: p = 0.020 → 0.020'
		});
	});

	it('leaves out absent and repeated pairs and the primary pair, so m counts each comparison once', () => {
		const f = comparisonFamily(
			comparison,
			['base', 'tuned'],
			[
				['base', 'tuned'],
				['base', 'fewshot'],
				['fewshot', 'base'],
				['base', 'nowhere']
			]
		);
		expect(f.primary?.pair).toBe(baseVsTuned);
		// only (base, fewshot) is left: m = 1, p = 0.01 unadjusted
		expect(f.secondary).toHaveLength(1);
		expect(f.secondary[0]).toMatchObject({ adjustedP: 0.01, reason: 'Holm-adjusted over 1 secondary comparison: p = 0.010 → 0.010' });
	});

	it('gives a null primary when the declared pair is not in the comparison', () => {
		expect(comparisonFamily(comparison, ['x', 'y'], []).primary).toBeNull();
		expect(comparisonFamily(comparison, ['x', 'y'], []).secondary).toEqual([]);
	});

	it('is not significant when the discordant counts are equal, whatever the p', () => {
		const odd: Comparison = { variants: [], pairs: [pair('a', 'b', 0.001, { onlyA: 3, onlyB: 3 })] };
		expect(comparisonFamily(odd, null, [['a', 'b']]).secondary[0].significant).toBe(false);
	});

	it('writes very small p values as "< 0.001"', () => {
		const tiny: Comparison = { variants: [], pairs: [pair('a', 'b', 0.0002), pair('a', 'c', 0.5)] };
		// Holm over 2: 0.0002·2 = 0.0004, max(0.0004, 0.5·1) = 0.5
		const f = comparisonFamily(tiny, null, [
			['a', 'b'],
			['a', 'c']
		]);
		expect(f.secondary[0].reason).toBe('Holm-adjusted over 2 secondary comparisons: p < 0.001 → < 0.001');
		expect(f.secondary[1].reason).toBe('Holm-adjusted over 2 secondary comparisons: p = 0.500 → 0.500');
	});
});
