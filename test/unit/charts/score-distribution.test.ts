// scoreDistributionChart: bin edges ([0, 0.1) … [0.9, 1.0]), counts per variant in the table and the
// option, and the edge cases: 1.0 in the last bin, 0.1 in the second, out-of-range scores left out.
import { describe, expect, it } from 'vitest';
import { binLabels, scoreBin, scoreDistributionChart } from '../../../src/domain/charts/index.ts';

describe('scoreBin', () => {
	it('puts edges in the bin they open and 1.0 in the last bin', () => {
		expect(scoreBin(0, 10)).toBe(0);
		expect(scoreBin(0.0999, 10)).toBe(0);
		expect(scoreBin(0.1, 10)).toBe(1);
		expect(scoreBin(0.3, 10)).toBe(3);
		expect(scoreBin(0.7, 10)).toBe(7);
		// A 0.7 that float arithmetic left one step below (0.7 − 2⁻⁵³, the next double down) still counts as 0.7.
		expect(scoreBin(0.7 - 2 ** -53, 10)).toBe(7);
		expect(scoreBin(0.95, 10)).toBe(9);
		expect(scoreBin(1, 10)).toBe(9);
		expect(scoreBin(1, 4)).toBe(3);
	});

	it('leaves out scores outside 0..1 and non-numbers', () => {
		expect(scoreBin(-0.01, 10)).toBeNull();
		expect(scoreBin(1.0001, 10)).toBeNull();
		expect(scoreBin(Number.NaN, 10)).toBeNull();
	});

	it('labels the bins with half-open intervals and a closed last one', () => {
		expect(binLabels(10)[0]).toBe('[0.0, 0.1)');
		expect(binLabels(10)[9]).toBe('[0.9, 1.0]');
		expect(binLabels(4)).toEqual(['[0.00, 0.25)', '[0.25, 0.50)', '[0.50, 0.75)', '[0.75, 1.00]']);
	});
});

describe('scoreDistributionChart', () => {
	it('counts each variant per bin in the table and the bars', () => {
		const chart = scoreDistributionChart([
			{ label: 'Base', scores: [0, 0.05, 0.1, 0.55, 1, 1] },
			{ label: 'Adapter', scores: [0.1, 0.95, 1, 2] }
		]);
		expect(chart.id).toBe('score-distribution');
		expect(chart.table.columns).toEqual(['Score', 'Base', 'Adapter']);
		expect(chart.table.rows).toHaveLength(10);
		expect(chart.table.rows[0]).toEqual(['[0.0, 0.1)', 2, 0]);
		expect(chart.table.rows[1]).toEqual(['[0.1, 0.2)', 1, 1]);
		expect(chart.table.rows[5]).toEqual(['[0.5, 0.6)', 1, 0]);
		// 1.0 twice (Base), 0.95 and 1.0 (Adapter); Adapter's 2 is out of range and left out.
		expect(chart.table.rows[9]).toEqual(['[0.9, 1.0]', 2, 2]);
		const series = chart.option.series as { name: string; type: string; data: number[] }[];
		expect(series.map((s) => [s.name, s.type])).toEqual([
			['Base', 'bar'],
			['Adapter', 'bar']
		]);
		expect(series[0].data).toEqual([2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
		expect(series[1].data).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
		expect(JSON.parse(JSON.stringify(chart.option))).toEqual(chart.option);
		expect(chart.option.animation).toBe(false);
	});

	it('takes another number of bins and refuses a nonsense one', () => {
		const chart = scoreDistributionChart([{ label: 'A', scores: [0.25, 0.5, 1] }], 4);
		expect(chart.table.rows).toEqual([
			['[0.00, 0.25)', 0],
			['[0.25, 0.50)', 1],
			['[0.50, 0.75)', 1],
			['[0.75, 1.00]', 1]
		]);
		expect(() => scoreDistributionChart([], 0)).toThrow(RangeError);
	});
});
