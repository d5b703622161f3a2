// A sweep's pass rate against its knob (examples in the prompt, or adapter scale) with the 95 % interval
// as a shaded band, the reference variant as a horizontal line with its interval, and for few-shot the
// median prompt tokens per call on a second axis (what each extra example costs on every call).
import type { ChartSpec, SweepSummary } from '../decision/types.ts';
import {
	baseOption,
	cell,
	colourAt,
	formatInterval,
	formatP,
	formatPercent,
	markedLine,
	percentValue,
	round,
	valueAxis
} from './common.ts';

const BAND = '95 % interval';
const BAND_BASE = '95 % interval (lower edge)';

export function sweepChart(summary: SweepSummary): ChartSpec {
	const fewShot = summary.kind === 'few-shot';
	const title = fewShot ? 'Pass rate by number of examples in the prompt' : 'Pass rate by adapter scale';
	const xName = fewShot ? 'Examples in the prompt (count)' : 'Adapter scale (×)';
	const points = [...summary.points].sort((a, b) => a.x - b.x);
	const rate = points.map((p) => [p.x, percentValue(p.passRate)]);
	// The band is two stacked lines: an invisible lower edge, then (hi − lo) filled on top of it.
	const lower = points.map((p) => [p.x, p.ci95 === null ? null : percentValue(p.ci95[0])]);
	const width = points.map((p) => [p.x, p.ci95 === null ? null : round((p.ci95[1] - p.ci95[0]) * 100, 1)]);
	const band = colourAt(0);

	const ref = summary.reference;
	const refRate = ref === null ? null : percentValue(ref.passRate);
	const reference =
		ref === null || refRate === null
			? {}
			: {
					markLine: markedLine(`${ref.label}: ${formatPercent(ref.passRate)}`, { yAxis: refRate }),
					...(ref.ci95 === null
						? {}
						: {
								markArea: {
									silent: true,
									itemStyle: { color: 'rgba(0, 0, 0, 0.07)' },
									data: [[{ yAxis: percentValue(ref.ci95[0]) }, { yAxis: percentValue(ref.ci95[1]) }]]
								}
							})
				};

	const series: Record<string, unknown>[] = [
		{ name: BAND_BASE, type: 'line', stack: 'ci', data: lower, symbol: 'none', silent: true, lineStyle: { opacity: 0 } },
		{
			name: BAND,
			type: 'line',
			stack: 'ci',
			data: width,
			symbol: 'none',
			silent: true,
			itemStyle: { color: band },
			lineStyle: { opacity: 0 },
			areaStyle: { color: band, opacity: 0.18 }
		},
		{ name: 'Pass rate', type: 'line', data: rate, symbol: 'circle', symbolSize: 8, itemStyle: { color: band }, ...reference }
	];
	const yAxis: Record<string, unknown>[] = [valueAxis('Pass rate (%)', { min: 0, max: 100 })];
	if (fewShot) {
		yAxis.push(valueAxis('Prompt tokens per call (median)', { position: 'right', splitLine: { show: false }, nameGap: 52 }));
		series.push({
			name: 'Prompt tokens per call',
			type: 'line',
			yAxisIndex: 1,
			data: points.map((p) => [p.x, p.promptTokensPerCall === null ? null : round(p.promptTokensPerCall)]),
			symbol: 'emptyCircle',
			symbolSize: 7,
			itemStyle: { color: colourAt(1) },
			lineStyle: { type: 'dashed', color: colourAt(1) }
		});
	}

	const base = baseOption(title);
	const option = {
		...base,
		legend: {
			top: 34,
			data: ['Pass rate', { name: BAND, icon: 'rect', itemStyle: { opacity: 0.3 } }, ...(fewShot ? ['Prompt tokens per call'] : [])]
		},
		grid: { ...(base.grid as Record<string, unknown>), right: fewShot ? 80 : 32 },
		xAxis: valueAxis(xName, { nameGap: 32, scale: true, ...(fewShot ? { minInterval: 1 } : {}) }),
		yAxis,
		series
	};
	const refText = ref === null ? '' : ` The reference is ${ref.label}: ${formatPercent(ref.passRate)} (${formatInterval(ref.ci95)}).`;
	return {
		id: fewShot ? 'sweep-few-shot' : 'sweep-strength',
		title,
		option,
		table: {
			caption: `${title}, with the 95 % interval, the median prompt tokens per call and the Holm-adjusted p against the reference.${refText}`,
			columns: [fewShot ? 'Examples' : 'Adapter scale', 'Pass rate', '95 % interval', 'Prompt tokens per call', 'p vs reference (Holm)'],
			rows: points.map((p) => [p.x, formatPercent(p.passRate), formatInterval(p.ci95), cell(p.promptTokensPerCall), formatP(p.adjustedP)])
		}
	};
}
