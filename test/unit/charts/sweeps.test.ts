// sweepChart: points sorted by x, pass rate and interval band in percent, the reference as a markLine
// with its label, prompt tokens on a second axis for few-shot only, and the table's formatted cells.
import { describe, expect, it } from 'vitest';
import { sweepChart } from '../../../src/domain/charts/index.ts';
import type { SweepPoint, SweepSummary } from '../../../src/domain/decision/types.ts';

const point = (
	x: number,
	passRate: number | null,
	ci95: [number, number] | null,
	tokens: number | null,
	adjustedP: number | null
): SweepPoint => ({
	variantId: `p${x}`,
	label: `${x}`,
	x,
	n: 20,
	passRate,
	ci95,
	promptTokensPerCall: tokens,
	timeToFirstTokenMs: null,
	vsReference: null,
	adjustedP
});

const fewShot: SweepSummary = {
	kind: 'few-shot',
	// Out of order on purpose: the chart and table sort by x.
	points: [
		point(4, 0.7, [0.481, 0.855], 690.4, 0.41),
		point(0, 0.4, [0.219, 0.613], 120, 0.0004),
		point(2, 0.6, [0.387, 0.781], 400, null)
	],
	reference: { variantId: 'adapter', label: 'Adapter <b>LoRA</b>', passRate: 0.75, ci95: [0.531, 0.888] },
	answer: 4,
	sentence: 'Four examples match the adapter.'
};

describe('sweepChart', () => {
	it('tabulates a few-shot sweep by number of examples', () => {
		const chart = sweepChart(fewShot);
		expect(chart.id).toBe('sweep-few-shot');
		expect(chart.table.columns).toEqual(['Examples', 'Pass rate', '95 % interval', 'Prompt tokens per call', 'p vs reference (Holm)']);
		expect(chart.table.rows).toEqual([
			[0, '40 %', '22–61 %', 120, '< 0.001'],
			[2, '60 %', '39–78 %', 400, '—'],
			[4, '70 %', '48–86 %', 690, '0.410']
		]);
		expect(chart.table.caption).toContain('Adapter <b>LoRA</b>: 75 % (53–89 %)');
	});

	it('draws the rate, the band, the reference line and the prompt tokens on a second axis', () => {
		const { option } = sweepChart(fewShot);
		expect(JSON.parse(JSON.stringify(option))).toEqual(option);
		const series = option.series as Record<string, unknown>[];
		const byName = Object.fromEntries(series.map((s) => [s.name, s]));
		expect(byName['Pass rate'].data).toEqual([
			[0, 40],
			[2, 60],
			[4, 70]
		]);
		// Band: lower edge, then the width stacked on it (61.3 − 21.9 = 39.4 points at x = 0).
		expect(byName['95 % interval (lower edge)'].data).toEqual([
			[0, 21.9],
			[2, 38.7],
			[4, 48.1]
		]);
		expect(byName['95 % interval'].data).toEqual([
			[0, 39.4],
			[2, 39.4],
			[4, 37.4]
		]);
		const markLine = byName['Pass rate'].markLine as { data: { name: string; yAxis: number }[] };
		expect(markLine.data).toEqual([{ name: 'Adapter <b>LoRA</b>: 75 %', yAxis: 75 }]);
		const tokens = byName['Prompt tokens per call'] as { yAxisIndex: number; lineStyle: { type: string }; data: unknown };
		expect(tokens.yAxisIndex).toBe(1);
		expect(tokens.lineStyle.type).toBe('dashed');
		expect(tokens.data).toEqual([
			[0, 120],
			[2, 400],
			[4, 690]
		]);
		expect((option.yAxis as unknown[]).length).toBe(2);
		expect((option.xAxis as { name: string }).name).toBe('Examples in the prompt (count)');
	});

	it('plots a strength sweep by adapter scale with one y axis, and copes without a reference', () => {
		const chart = sweepChart({
			kind: 'strength',
			points: [point(0.5, 0.55, [0.342, 0.742], null, 0.2), point(1, null, null, null, null)],
			reference: null,
			answer: 0.5,
			sentence: ''
		});
		expect(chart.id).toBe('sweep-strength');
		expect(chart.table.columns[0]).toBe('Adapter scale');
		expect(chart.table.rows).toEqual([
			[0.5, '55 %', '34–74 %', '—', '0.200'],
			[1, '—', '—', '—', '—']
		]);
		expect((chart.option.yAxis as unknown[]).length).toBe(1);
		const series = chart.option.series as Record<string, unknown>[];
		expect(series.map((s) => s.name)).toEqual(['95 % interval (lower edge)', '95 % interval', 'Pass rate']);
		expect(series[2].markLine).toBeUndefined();
		expect(series[2].data).toEqual([
			[0.5, 55],
			[1, null]
		]);
	});
});
