// A histogram of the automatic scores (0..1) of each variant as grouped bars, one group per bin:
// [0, 0.1), [0.1, 0.2), …, [0.9, 1.0] with a perfect 1.0 in the last bin. Scores outside 0..1 (or not
// numbers) are left out rather than clamped, so a bad score cannot pose as a 0 or a 1.
import type { ChartSpec } from '../decision/types.ts';
import { baseOption, categoryAxis, valueAxis } from './common.ts';

export const SCORE_DISTRIBUTION_TITLE = 'Distribution of automatic scores';

/** The bin of a score in 0..1 among `bins` equal bins; 1.0 joins the last one; null outside 0..1. */
export function scoreBin(score: number, bins: number): number | null {
	if (!Number.isFinite(score) || score < 0 || score > 1) return null;
	// The nudge puts a score that float arithmetic left a hair below an edge (0.7 computed as 0.6999…) in
	// the bin it names; a true score that close to an edge is not distinguishable from it anyway.
	return Math.min(bins - 1, Math.floor(score * bins + 1e-9));
}

/** "[0.0, 0.1)" … "[0.9, 1.0]": the last bin is closed. */
export function binLabels(bins: number): string[] {
	const digits = 10 % bins === 0 ? 1 : 2;
	const edge = (i: number) => (i / bins).toFixed(digits);
	return Array.from({ length: bins }, (_, i) => `[${edge(i)}, ${edge(i + 1)}${i === bins - 1 ? ']' : ')'}`);
}

export function scoreDistributionChart(scores: readonly { label: string; scores: readonly number[] }[], bins = 10): ChartSpec {
	if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a whole number above 0, got ${bins}`);
	const labels = binLabels(bins);
	const counts = scores.map((s) => {
		const c = new Array<number>(bins).fill(0);
		for (const score of s.scores) {
			const b = scoreBin(score, bins);
			if (b !== null) c[b] += 1;
		}
		return c;
	});
	const option = {
		...baseOption(SCORE_DISTRIBUTION_TITLE),
		xAxis: { ...categoryAxis('Automatic score (0–1)', labels), axisLabel: { interval: 0, rotate: bins > 10 ? 45 : 0 } },
		yAxis: valueAxis('Outputs (count)', { minInterval: 1 }),
		series: scores.map((s, i) => ({ name: s.label, type: 'bar', data: counts[i] }))
	};
	return {
		id: 'score-distribution',
		title: SCORE_DISTRIBUTION_TITLE,
		option,
		table: {
			caption: `Number of outputs of each variant per automatic score bin (${bins} equal bins from 0 to 1; 1.0 counts in the last).`,
			columns: ['Score', ...scores.map((s) => s.label)],
			rows: labels.map((label, b) => [label, ...counts.map((c) => c[b])])
		}
	};
}
