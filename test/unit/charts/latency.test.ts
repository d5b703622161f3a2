// latencyChart and throughputChart: medians per variant in the table (rounded, "—" when unknown) and in
// the bars (null when unknown, so no bar is drawn), as plain JSON.
import { describe, expect, it } from 'vitest';
import { latencyChart, throughputChart } from '../../../src/domain/charts/index.ts';
import type { Summary, VariantCost } from '../../../src/domain/decision/types.ts';

const s = (median: number): Summary => ({ n: 5, median, mean: median + 1 });
const cost = (label: string, over: Partial<VariantCost>): VariantCost => ({
	variantId: label.toLowerCase(),
	label,
	calls: 5,
	promptTokens: null,
	completionTokens: null,
	timeToFirstTokenMs: null,
	prefillTokensPerSec: null,
	decodeTokensPerSec: null,
	totalMs: null,
	statsSource: 'engine',
	facts: { gpuMemoryMB: null, baseBytes: null, adapterBytes: null, derivedBytes: null, deriveMs: null },
	...over
});

const costs = [
	cost('Prompt', { timeToFirstTokenMs: s(412.6), totalMs: s(2300.4), prefillTokensPerSec: s(850.26), decodeTokensPerSec: s(31.04) }),
	cost('Adapter', { calls: 4, timeToFirstTokenMs: s(120), totalMs: null, prefillTokensPerSec: null, decodeTokensPerSec: s(29.96) })
];

describe('latencyChart', () => {
	it('shows the median time to first token and total time, — when unknown', () => {
		const chart = latencyChart(costs);
		expect(chart.id).toBe('latency');
		expect(chart.table.columns).toEqual(['Variant', 'Calls', 'Time to first token, median (ms)', 'Total time, median (ms)']);
		expect(chart.table.rows).toEqual([
			['Prompt', 5, 413, 2300],
			['Adapter', 4, 120, '—']
		]);
		const series = chart.option.series as { name: string; data: (number | null)[] }[];
		expect(series.map((x) => x.name)).toEqual(['Time to first token', 'Total time']);
		expect(series[0].data).toEqual([413, 120]);
		expect(series[1].data).toEqual([2300, null]);
		expect((chart.option.yAxis as { name: string }).name).toBe('Median time (ms)');
		expect(JSON.parse(JSON.stringify(chart.option))).toEqual(chart.option);
	});
});

describe('throughputChart', () => {
	it('shows the median prefill and decode tokens per second with one decimal', () => {
		const chart = throughputChart(costs);
		expect(chart.id).toBe('throughput');
		expect(chart.table.columns).toEqual(['Variant', 'Calls', 'Prefill, median (tok/s)', 'Decode, median (tok/s)']);
		expect(chart.table.rows).toEqual([
			['Prompt', 5, 850.3, 31],
			['Adapter', 4, '—', 30]
		]);
		const series = chart.option.series as { data: (number | null)[] }[];
		expect(series[0].data).toEqual([850.3, null]);
		expect(series[1].data).toEqual([31, 30]);
		expect(JSON.parse(JSON.stringify(chart.option))).toEqual(chart.option);
		expect(chart.option.animation).toBe(false);
	});
});
