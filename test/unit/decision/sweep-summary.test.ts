// The sweeps' summaries from hand-made stats: the few-shot answer (smallest count within the noise of
// the adapter and no more than 5 points behind), the best strength, the sentences, points still
// without results, and a reversed pair being turned round to point − reference.
import { describe, expect, it } from 'vitest';
import { formatP, sweepSummary, type SweepPointInput } from '../../../src/domain/decision/sweep-summary.ts';
import type { PairStats, VariantStats } from '../../../src/domain/stats/compare.ts';

const stats = (variant: string, passes: number, n: number): VariantStats => ({
	variant,
	n,
	passes,
	passRate: passes / n,
	ci95: [0.1, 0.9],
	meanScore: null,
	scoreN: 0
});

/** A pair a vs b with pass-rate difference a − b = `estimate`. */
const pair = (a: string, b: string, estimate: number, extra: Partial<PairStats> = {}): PairStats => ({
	a,
	b,
	n: 20,
	both: 10,
	onlyA: 2,
	onlyB: 4,
	neither: 4,
	mcnemarP: 0.5,
	passDiff: { estimate, ci95: [estimate - 0.2, estimate + 0.2] },
	scoreDiff: null,
	votes: null,
	verdict: 'none',
	moreItemsNeeded: 40,
	...extra
});

/** A point vs the reference "ref"; `passes` null = no results yet. */
const point = (
	x: number,
	passes: number | null,
	adjustedP: number | null,
	tokens: number | null = null,
	n = 20,
	refPasses = 16
): SweepPointInput => ({
	variantId: `p${x}`,
	label: `point ${x}`,
	x,
	stats: passes === null ? null : stats(`p${x}`, passes, n),
	vsReference: passes === null ? null : pair(`p${x}`, 'ref', (passes - refPasses) / n),
	adjustedP,
	promptTokensPerCall: tokens,
	timeToFirstTokenMs: tokens === null ? null : tokens * 2
});

describe('few-shot summary', () => {
	const adapter = { variantId: 'ref', label: 'Adapter + plain prompt', stats: stats('ref', 16, 20) };

	it('answers the smallest count within the noise and 5 points of the adapter', () => {
		// 0: 40 %, p .002; 1: 60 %, p .03 (both significantly behind); 2: 70 %, not significant but
		// 10 points behind; 4: 75 %, p .41, exactly 5 points behind → the answer; 8: 80 %.
		const s = sweepSummary(
			'few-shot',
			[point(8, 16, 1, 400), point(2, 14, 0.2, 150), point(0, 8, 0.002, 90), point(4, 15, 0.41, 212), point(1, 12, 0.03, 120)],
			adapter
		);
		expect(s.kind).toBe('few-shot');
		expect(s.points.map((p) => p.x)).toEqual([0, 1, 2, 4, 8]);
		expect(s.answer).toBe(4);
		expect(s.sentence).toBe(
			'With 4 examples the engineered prompt is within the noise of the adapter (pass rate 75 % vs 80 %; Holm-adjusted p = 0.41), at 212 prompt tokens per call.'
		);
		expect(s.reference).toEqual({ variantId: 'ref', label: 'Adapter + plain prompt', passRate: 0.8, ci95: [0.1, 0.9] });
		expect(s.points[3]).toEqual({
			variantId: 'p4',
			label: 'point 4',
			x: 4,
			n: 20,
			passRate: 0.75,
			ci95: [0.1, 0.9],
			promptTokensPerCall: 212,
			timeToFirstTokenMs: 424,
			vsReference: pair('p4', 'ref', -0.05),
			adjustedP: 0.41
		});
	});

	it('says when no count matched, with the best one', () => {
		const ref = { ...adapter, stats: stats('ref', 17, 20) };
		const s = sweepSummary(
			'few-shot',
			[point(0, 8, 0.001), point(1, 10, 0.01), point(2, 11, 0.02), point(4, 12, 0.04), point(8, 11, 0.03)],
			ref
		);
		expect(s.answer).toBeNull();
		expect(s.sentence).toBe('No number of examples up to 8 matched the adapter (best: 4 examples, 60 % vs 85 %).');
	});

	it('a point that significantly beats the adapter is an answer too', () => {
		const s = sweepSummary('few-shot', [point(0, 19, 0.01, 60.4), point(1, 19, 0.02, 99)], adapter);
		expect(s.answer).toBe(0);
		expect(s.sentence).toBe(
			'With 0 examples the engineered prompt beats the adapter (pass rate 95 % vs 80 %; Holm-adjusted p = 0.01), at 60 prompt tokens per call.'
		);
	});

	it('keeps points without results and counts them', () => {
		const ref = { ...adapter, stats: stats('ref', 40, 50) };
		const s = sweepSummary('few-shot', [point(0, 20, 0.002, 90, 50, 40), point(1, 39, 0.7, 150.4, 50, 40), point(2, null, null)], ref);
		expect(s.answer).toBe(1);
		expect(s.sentence).toBe(
			'With 1 example the engineered prompt is within the noise of the adapter (pass rate 78 % vs 80 %; Holm-adjusted p = 0.7), at 150 prompt tokens per call. 1 of 3 points has no results yet.'
		);
		expect(s.points[2]).toMatchObject({ x: 2, n: 0, passRate: null, ci95: null, vsReference: null, adjustedP: null });
	});

	it('a point without a paired test is no answer; a missing adapter result gives none', () => {
		expect(sweepSummary('few-shot', [point(0, 16, null)], adapter).answer).toBeNull();
		const s = sweepSummary('few-shot', [point(0, 16, 0.9)], { ...adapter, stats: null });
		expect(s.answer).toBeNull();
		expect(s.reference).toEqual({ variantId: 'ref', label: 'Adapter + plain prompt', passRate: null, ci95: null });
		expect(s.sentence).toBe('Adapter + plain prompt has no results yet, so the sweep has nothing to compare with.');
		expect(sweepSummary('few-shot', [point(0, null, null), point(1, null, null)], adapter).sentence).toBe(
			'No point of the sweep has results yet.'
		);
	});

	it('turns a pair given as reference vs point round', () => {
		const reversed = pair('ref', 'p2', 0.1, {
			onlyA: 3,
			onlyB: 1,
			verdict: 'a',
			votes: { aWins: 5, bWins: 2, ties: 1, bothBad: 0, signP: 0.4 }
		});
		const s = sweepSummary('few-shot', [{ ...point(2, 14, 0.2), vsReference: reversed }], adapter);
		const p = s.points[0].vsReference!;
		expect(p.a).toBe('p2');
		expect(p.b).toBe('ref');
		expect([p.onlyA, p.onlyB]).toEqual([1, 3]);
		expect(p.passDiff.estimate).toBeCloseTo(-0.1, 12);
		expect(p.passDiff.ci95![0]).toBeCloseTo(-0.3, 12);
		expect(p.passDiff.ci95![1]).toBeCloseTo(0.1, 12);
		expect(p.verdict).toBe('b');
		expect(p.votes).toEqual({ aWins: 2, bWins: 5, ties: 1, bothBad: 0, signP: 0.4 });
		expect(p.mcnemarP).toBe(0.5);
	});

	it('recognises a reversed pair by labels too, and leaves a correctly oriented one alone', () => {
		const byLabel = pair('Adapter + plain prompt', 'point 2', 0.1);
		const s = sweepSummary('few-shot', [{ ...point(2, 14, 0.2), vsReference: byLabel }], adapter);
		expect(s.points[0].vsReference!.a).toBe('point 2');
		expect(s.points[0].vsReference!.b).toBe('Adapter + plain prompt');
		expect(s.points[0].vsReference!.passDiff.estimate).toBeCloseTo(-0.1, 12);
		const kept = pair('point 2', 'Adapter + plain prompt', -0.1);
		expect(sweepSummary('few-shot', [{ ...point(2, 14, 0.2), vsReference: kept }], adapter).points[0].vsReference).toEqual(kept);
	});
});

describe('strength summary', () => {
	const basePlain = { variantId: 'ref', label: 'Base + plain prompt', stats: stats('ref', 6, 20) };
	// 0.25: 40 %, 0.5: 70 %, 1: 85 %, 1.5: 85 % (tie with 1: the smaller scale wins).
	const points = (p1: number) => [
		point(1.5, 17, 0.004, null, 20, 6),
		point(0.25, 8, 0.6, null, 20, 6),
		point(1, 17, p1, null, 20, 6),
		point(0.5, 14, 0.01, null, 20, 6)
	];

	it('answers the scale with the best pass rate and whether it beats the base', () => {
		const s = sweepSummary('strength', points(0.004), basePlain);
		expect(s.points.map((p) => p.x)).toEqual([0.25, 0.5, 1, 1.5]);
		expect(s.answer).toBe(1);
		expect(s.sentence).toBe(
			'Pass rate peaks at scale 1 (85 %); at 0.25 it is 40 %. Scale 1 beats Base + plain prompt (85 % vs 30 %; Holm-adjusted p = 0.004).'
		);
	});

	it('says when the best scale is within the noise of the base', () => {
		const ref = { ...basePlain, stats: stats('ref', 15, 20) };
		expect(sweepSummary('strength', points(0.41), ref).sentence).toBe(
			'Pass rate peaks at scale 1 (85 %); at 0.25 it is 40 %. Scale 1 is within the noise of Base + plain prompt (85 % vs 75 %; Holm-adjusted p = 0.41).'
		);
	});

	it('works without a reference and counts points without results', () => {
		const s = sweepSummary('strength', [...points(0.004).slice(0, 3), point(0.5, null, null)], null);
		expect(s.reference).toBeNull();
		expect(s.answer).toBe(1);
		expect(s.sentence).toBe('Pass rate peaks at scale 1 (85 %); at 0.25 it is 40 %. 1 of 4 points has no results yet.');
		expect(sweepSummary('strength', [], null)).toEqual({
			kind: 'strength',
			points: [],
			reference: null,
			answer: null,
			sentence: 'The sweep has no points yet.'
		});
	});

	it('a flat sweep and a single point', () => {
		const flat = sweepSummary('strength', [point(0.5, 10, null), point(2, 10, null)], null);
		expect(flat.answer).toBe(0.5);
		expect(flat.sentence).toBe('Pass rate is 50 % at every scale with results (0.5 to 2).');
		expect(sweepSummary('strength', [point(1, 12, null)], basePlain).sentence).toBe(
			'Pass rate at scale 1 is 60 %. Against Base + plain prompt (30 %) there is no paired comparison yet.'
		);
	});
});

describe('formatP', () => {
	it('keeps two significant digits unless that would cross 0.05', () => {
		expect(formatP(0.41)).toBe('p = 0.41');
		expect(formatP(0.0321)).toBe('p = 0.032');
		expect(formatP(1)).toBe('p = 1');
		expect(formatP(0.0499)).toBe('p = 0.0499');
		expect(formatP(0.0004)).toBe('p < 0.001');
	});
});
