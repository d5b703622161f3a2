// Speed of each variant from its stored results: median time to first token and median total time per
// call, and median prefill and decode throughput. Unknown figures are empty bars in the chart and "—"
// in the table.
import type { ChartSpec, Summary, VariantCost } from '../decision/types.ts';
import { baseOption, categoryAxis, cell, round, valueAxis } from './common.ts';

export const LATENCY_TITLE = 'Time per call (median)';
export const THROUGHPUT_TITLE = 'Throughput (median tokens per second)';

const median = (s: Summary | null, digits: number): number | null =>
	s === null || !Number.isFinite(s.median) ? null : round(s.median, digits);

/** Two bar series over the variants; null values draw no bar. */
function twoSeries(
	id: string,
	title: string,
	costs: readonly VariantCost[],
	yName: string,
	unit: string,
	series: { name: string; pick: (c: VariantCost) => Summary | null }[],
	digits: number,
	caption: string
): ChartSpec {
	const values = series.map((s) => costs.map((c) => median(s.pick(c), digits)));
	return {
		id,
		title,
		option: {
			...baseOption(title),
			xAxis: categoryAxis(
				'Variant',
				costs.map((c) => c.label)
			),
			yAxis: valueAxis(yName),
			series: series.map((s, i) => ({ name: s.name, type: 'bar', barMaxWidth: 48, data: values[i] }))
		},
		table: {
			caption,
			columns: ['Variant', 'Calls', ...series.map((s) => `${s.name}, median (${unit})`)],
			rows: costs.map((c, row) => [c.label, c.calls, ...values.map((v) => cell(v[row], digits))])
		}
	};
}

export function latencyChart(costs: readonly VariantCost[]): ChartSpec {
	return twoSeries(
		'latency',
		LATENCY_TITLE,
		costs,
		'Median time (ms)',
		'ms',
		[
			{ name: 'Time to first token', pick: (c) => c.timeToFirstTokenMs },
			{ name: 'Total time', pick: (c) => c.totalMs }
		],
		0,
		'Median time to first token and median total time per call of each variant, in milliseconds.'
	);
}

export function throughputChart(costs: readonly VariantCost[]): ChartSpec {
	return twoSeries(
		'throughput',
		THROUGHPUT_TITLE,
		costs,
		'Median throughput (tok/s)',
		'tok/s',
		[
			{ name: 'Prefill', pick: (c) => c.prefillTokensPerSec },
			{ name: 'Decode', pick: (c) => c.decodeTokensPerSec }
		],
		1,
		'Median prefill (prompt) and decode (generation) throughput of each variant, in tokens per second.'
	);
}
