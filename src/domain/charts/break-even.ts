// When the adapter's one-off cost (deriving it) is paid back by the prompt's per-call cost (the extra
// prefill of its system prompt and examples): cumulative extra seconds against calls, the prompt side
// rising from 0 and the adapter side flat, with the break-even call count marked when it is known.
import type { BreakEven, ChartSpec } from '../decision/types.ts';
import { baseOption, cell, colourAt, markedLine, round, valueAxis } from './common.ts';

export const BREAK_EVEN_TITLE = 'Break-even: cumulative extra time against calls';

export function breakEvenChart(be: BreakEven): ChartSpec {
	const curve = [...be.curve].sort((a, b) => a.calls - b.calls);
	const seconds = (ms: number) => round(ms / 1000, 1);
	const promptName = `Prompt side: ${be.promptLabel}`;
	const adapterName = `Adapter side: ${be.adapterLabel}`;
	const mark =
		be.callsToBreakEven === null
			? {}
			: { markLine: markedLine(`Break-even after ${be.callsToBreakEven.toLocaleString('en-US')} calls`, { xAxis: be.callsToBreakEven }) };
	const option = {
		...baseOption(BREAK_EVEN_TITLE),
		xAxis: valueAxis('Calls (count)', { nameGap: 32, min: 0 }),
		yAxis: valueAxis('Cumulative extra time (s)', { min: 0 }),
		series: [
			{
				name: promptName,
				type: 'line',
				data: curve.map((p) => [p.calls, seconds(p.promptMs)]),
				symbol: 'circle',
				symbolSize: 6,
				itemStyle: { color: colourAt(1) },
				lineStyle: { color: colourAt(1), width: 2 },
				...mark
			},
			{
				name: adapterName,
				type: 'line',
				data: curve.map((p) => [p.calls, seconds(p.adapterMs)]),
				symbol: 'rect',
				symbolSize: 6,
				itemStyle: { color: colourAt(0) },
				lineStyle: { color: colourAt(0), width: 2, type: 'dashed' }
			}
		]
	};
	return {
		id: 'break-even',
		title: BREAK_EVEN_TITLE,
		option,
		table: {
			caption:
				`Cumulative extra time after a number of calls: the prompt side pays its extra prefill on every call, the adapter side its one-off derivation. ${be.sentence}`.trim(),
			columns: ['Calls', `Prompt side: ${be.promptLabel} (s)`, `Adapter side: ${be.adapterLabel} (s)`],
			rows: curve.map((p) => [p.calls, cell(p.promptMs / 1000, 1), cell(p.adapterMs / 1000, 1)])
		}
	};
}
