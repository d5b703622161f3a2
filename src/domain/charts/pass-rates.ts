// The pass rate of each variant as bars with its Wilson 95 % interval as error bars. ECharts has no
// error-bar series and a 'custom' series needs a renderItem function, so the whisker is a boxplot whose
// box collapses onto the estimate: [lo, p, p, p, hi] draws a line from lo to hi with caps at both ends.
import type { ChartSpec } from '../decision/types.ts';
import type { VariantStats } from '../stats/compare.ts';
import { baseOption, categoryAxis, colourAt, formatInterval, formatPercent, percentValue, valueAxis } from './common.ts';

export const PASS_RATE_TITLE = 'Pass rate by variant (95 % interval)';

export function passRateChart(variants: readonly VariantStats[]): ChartSpec {
	const labels = variants.map((v) => v.variant);
	const bars = variants.map((v, i) => ({ value: percentValue(v.passRate), itemStyle: { color: colourAt(i) } }));
	const whiskers = variants.map((v) => {
		const p = percentValue(v.passRate);
		if (p === null || v.ci95 === null) return [null, null, null, null, null];
		const [lo, hi] = [percentValue(v.ci95[0]), percentValue(v.ci95[1])];
		return [lo, p, p, p, hi];
	});
	const option = {
		...baseOption(PASS_RATE_TITLE),
		// No legend: the axis names the variants (one colour each) and the title names the interval.
		legend: { show: false },
		xAxis: categoryAxis('Variant', labels),
		yAxis: valueAxis('Pass rate (%)', { min: 0, max: 100 }),
		series: [
			{ name: 'Pass rate', type: 'bar', barMaxWidth: 64, data: bars },
			{
				name: '95 % interval',
				type: 'boxplot',
				// Fixed-width caps; the transparent box has no height, so only the whisker and caps show.
				boxWidth: [14, 14],
				itemStyle: { color: 'transparent', borderColor: '#000000', borderWidth: 1.5 },
				data: whiskers
			}
		]
	};
	return {
		id: 'pass-rates',
		title: PASS_RATE_TITLE,
		option,
		table: {
			caption: 'Pass rate of each variant on the items with a pass value, with its Wilson 95 % interval.',
			columns: ['Variant', 'Items', 'Pass rate', '95 % interval'],
			rows: variants.map((v) => [v.variant, v.n, formatPercent(v.passRate), formatInterval(v.ci95)])
		}
	};
}
