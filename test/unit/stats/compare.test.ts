// compareResults: the per-variant and per-pair figures, which items enter each pair, vote orientation,
// the verdict rules and moreItemsNeeded, on small inputs computed by hand.
import { describe, expect, it } from 'vitest';
import { compareResults, type ResultRow, type VoteLine } from '../../../src/domain/stats/compare.ts';

const row = (item: string, variant: string, pass: boolean | null, score: number | null = null): ResultRow => ({
	item,
	variant,
	pass,
	score
});
const vote = (item: string, a: string, b: string, winner: VoteLine['winner']): VoteLine => ({ item, a, b, winner });

describe('compareResults: variants', () => {
	it('orders variants by first appearance and gives pass rates with Wilson intervals', () => {
		const c = compareResults([
			row('q1', 'tuned', true, 0.5),
			row('q1', 'base', false, 0.25),
			row('q2', 'base', true),
			row('q2', 'tuned', null, 1)
		]);
		expect(c.variants.map((v) => v.variant)).toEqual(['tuned', 'base']);
		// tuned: one pass value (true) → 1/1; Wilson 1/1 = [1/(1 + z²), 1] = [1/4.841459, 1] = [0.206549, 1]
		expect(c.variants[0]).toEqual({
			variant: 'tuned',
			n: 1,
			passes: 1,
			passRate: 1,
			ci95: [expect.closeTo(0.206549, 5), 1],
			meanScore: 0.75,
			scoreN: 2
		});
		// base: 1 of 2; one score 0.25
		expect(c.variants[1]).toMatchObject({ n: 2, passes: 1, passRate: 0.5, meanScore: 0.25, scoreN: 1 });
	});

	it('gives null pass rate and mean when a variant has no values', () => {
		const c = compareResults([row('q1', 'a', null, null)]);
		expect(c.variants[0]).toEqual({ variant: 'a', n: 0, passes: 0, passRate: null, ci95: null, meanScore: null, scoreN: 0 });
		expect(c.pairs).toEqual([]);
	});

	it('adds variants named only in votes after those with rows', () => {
		const c = compareResults([row('q1', 'x', true)], [vote('q1', 'y', 'x', 'a')]);
		expect(c.variants.map((v) => v.variant)).toEqual(['x', 'y']);
		expect(c.pairs[0]).toMatchObject({ a: 'x', b: 'y', n: 0, votes: { aWins: 0, bWins: 1, ties: 0, bothBad: 0, signP: 1 } });
	});
});

describe('compareResults: pairs', () => {
	it('makes every unordered pair once, a before b in first-seen order', () => {
		const c = compareResults([row('q1', 'p', true), row('q1', 'q', true), row('q1', 'r', false)]);
		expect(c.pairs.map((p) => [p.a, p.b])).toEqual([
			['p', 'q'],
			['p', 'r'],
			['q', 'r']
		]);
	});

	it('counts only items with a pass value under both, and scores only where both have one', () => {
		const rows = [
			row('q1', 'a', true, 0.9),
			row('q1', 'b', false, 0.4),
			row('q2', 'a', null, 0.6),
			row('q2', 'b', true, 0.2),
			row('q3', 'a', false),
			row('q4', 'b', true, 1)
		];
		const [p] = compareResults(rows).pairs;
		// q1 is the only item with pass for both (A passes, B fails); q1 and q2 have both scores: 0.5, 0.4
		expect(p).toMatchObject({ n: 1, both: 0, onlyA: 1, onlyB: 0, neither: 0, mcnemarP: 1 });
		expect(p.passDiff.estimate).toBe(1);
		expect(p.scoreDiff).toMatchObject({ n: 2, method: 't' });
		expect(p.scoreDiff!.mean).toBeCloseTo(0.45, 14);
	});

	it('flips votes recorded as b-vs-a and gives null votes when the pair has none', () => {
		const rows = [row('q1', 'a', true), row('q1', 'b', true), row('q1', 'c', true)];
		const votes = [vote('q1', 'a', 'b', 'a'), vote('q2', 'b', 'a', 'a'), vote('q3', 'b', 'a', 'both-bad'), vote('q4', 'a', 'b', 'tie')];
		const c = compareResults(rows, votes);
		expect(c.pairs[0].votes).toEqual({ aWins: 1, bWins: 1, ties: 1, bothBad: 1, signP: 1 });
		expect(c.pairs[1].votes).toBeNull();
	});

	it('has an empty pass table, p = 1 and null difference when no item has pass values for both', () => {
		const [p] = compareResults([row('q1', 'a', true), row('q2', 'b', false)]).pairs;
		expect(p).toMatchObject({
			n: 0,
			mcnemarP: 1,
			passDiff: { estimate: null, ci95: null },
			scoreDiff: null,
			votes: null,
			verdict: 'none',
			moreItemsNeeded: null
		});
	});

	it('refuses a repeated (item, variant) row and a repeated vote', () => {
		expect(() => compareResults([row('q1', 'a', true), row('q1', 'a', false)])).toThrow(/duplicate row for item "q1", variant "a"/);
		expect(() =>
			compareResults([row('q1', 'a', true), row('q1', 'b', true)], [vote('q1', 'a', 'b', 'a'), vote('q1', 'b', 'a', 'a')])
		).toThrow(/two votes for item "q1"/);
	});
});

describe('compareResults: verdict and more items', () => {
	const table = (onlyA: number, onlyB: number, both: number, neither: number): ResultRow[] => {
		const rows: ResultRow[] = [];
		let i = 0;
		const add = (pa: boolean, pb: boolean, k: number) => {
			for (let j = 0; j < k; j++, i++) rows.push(row(`i${i}`, 'base', pa), row(`i${i}`, 'tuned', pb));
		};
		add(true, false, onlyA);
		add(false, true, onlyB);
		add(true, true, both);
		add(false, false, neither);
		return rows;
	};

	it('names b when B wins significantly: 0 against 8 discordant gives p = 2/2⁸ = 0.0078, no more items needed', () => {
		const [p] = compareResults(table(0, 8, 5, 5)).pairs;
		expect(p.mcnemarP).toBe(2 / 256);
		expect(p.passDiff.estimate).toBeCloseTo(-8 / 18, 14);
		expect(p.verdict).toBe('b');
		expect(p.moreItemsNeeded).toBe(0);
	});

	it('names no winner at 6 against 2 of 40 and asks for 115 more items (ψ = 0.2, δ = 0.1 → 155 in all)', () => {
		// p = 2·(1 + 8 + 28)/256 = 0.2890625
		const [p] = compareResults(table(6, 2, 20, 12)).pairs;
		expect(p.mcnemarP).toBe(74 / 256);
		expect(p.verdict).toBe('none');
		expect(p.moreItemsNeeded).toBe(115);
	});

	it('gives null more items when the discordant pairs balance', () => {
		const [p] = compareResults(table(3, 3, 4, 0)).pairs;
		expect(p.verdict).toBe('none');
		expect(p.moreItemsNeeded).toBeNull();
	});

	it('uses the score interval when no item has pass values for both', () => {
		const sa = [0.9, 0.8, 0.9, 0.85, 0.95];
		const sb = [0.1, 0.2, 0.15, 0.1, 0.2];
		const rows = sa.flatMap((s, i) => [row(`q${i}`, 'a', null, s), row(`q${i}`, 'b', null, sb[i])]);
		// differences 0.8, 0.6, 0.75, 0.75, 0.75: mean 0.73, s = √(0.023/4) = 0.075829, t₄·s/√5 = 0.094155 → [0.6358, 0.8242]
		const [p] = compareResults(rows).pairs;
		expect(p.scoreDiff!.ci95![0]).toBeCloseTo(0.6358, 3);
		expect(p.scoreDiff!.ci95![1]).toBeCloseTo(0.8242, 3);
		expect(p.verdict).toBe('a');
		expect(p.moreItemsNeeded).toBe(0);
		// The same data with the low-scoring variant seen first: it becomes pair's a, and b is named.
		const [q] = compareResults([...rows].reverse()).pairs;
		expect([q.a, q.b]).toEqual(['b', 'a']);
		expect(q.verdict).toBe('b');
	});

	it('uses the sign test on votes only when there are neither pass values nor scores', () => {
		const six = Array.from({ length: 6 }, (_, i) => vote(`q${i}`, 'a', 'b', 'a'));
		// 6 of 6: p = 2/2⁶ = 0.03125 < 0.05 → a; 5 of 5: 2/2⁵ = 0.0625 → none
		const [p6] = compareResults([], six).pairs;
		expect(p6.votes!.signP).toBe(0.03125);
		expect(p6.verdict).toBe('a');
		const [p5] = compareResults([], six.slice(1)).pairs;
		expect(p5.verdict).toBe('none');
		expect(p5.moreItemsNeeded).toBeNull();
		// With pass values present, the votes do not decide.
		const [pp] = compareResults([row('q0', 'a', true), row('q0', 'b', true)], six).pairs;
		expect(pp.verdict).toBe('none');
	});

	it('returns the keys of the contract in order', () => {
		const [p] = compareResults([row('q1', 'a', true), row('q1', 'b', false)]).pairs;
		expect(Object.keys(p)).toEqual([
			'a',
			'b',
			'n',
			'both',
			'onlyA',
			'onlyB',
			'neither',
			'mcnemarP',
			'passDiff',
			'scoreDiff',
			'votes',
			'verdict',
			'moreItemsNeeded'
		]);
	});
});
