// breakEvenChart: cumulative seconds on each side per call count (prompt rising, adapter flat), the
// break-even marked as a vertical markLine when known, and the table in seconds.
import { describe, expect, it } from 'vitest';
import { breakEvenChart } from '../../../src/domain/charts/index.ts';
import type { BreakEven } from '../../../src/domain/decision/types.ts';

const be = (callsToBreakEven: number | null): BreakEven => ({
	promptLabel: 'Engineered prompt',
	adapterLabel: 'Adapter',
	extraPromptTokensPerCall: 250,
	extraPrefillMsPerCall: 50,
	oneOffMs: 41_000,
	oneOffBytes: 10_000_000,
	callsToBreakEven,
	money: null,
	// 50 ms extra per call against a 41 s one-off: 41 000 / 50 = 820 calls.
	curve: [0, 820, 410, 1640].map((calls) => ({ calls, promptMs: calls * 50, adapterMs: 41_000 })),
	sentence: "The adapter's 41 s of derivation pays back after 820 calls."
});

describe('breakEvenChart', () => {
	it('tabulates the cumulative seconds on each side, sorted by calls', () => {
		const chart = breakEvenChart(be(820));
		expect(chart.id).toBe('break-even');
		expect(chart.table.columns).toEqual(['Calls', 'Prompt side: Engineered prompt (s)', 'Adapter side: Adapter (s)']);
		expect(chart.table.rows).toEqual([
			[0, 0, 41],
			[410, 20.5, 41],
			[820, 41, 41],
			[1640, 82, 41]
		]);
		expect(chart.table.caption).toContain('pays back after 820 calls');
	});

	it('draws a rising and a flat line and marks the break-even', () => {
		const { option } = breakEvenChart(be(820));
		expect(JSON.parse(JSON.stringify(option))).toEqual(option);
		const series = option.series as { name: string; data: number[][]; markLine?: { data: unknown[] } }[];
		expect(series.map((s) => s.name)).toEqual(['Prompt side: Engineered prompt', 'Adapter side: Adapter']);
		expect(series[0].data).toEqual([
			[0, 0],
			[410, 20.5],
			[820, 41],
			[1640, 82]
		]);
		expect(series[1].data.map((p) => p[1])).toEqual([41, 41, 41, 41]);
		expect(series[0].markLine?.data).toEqual([{ name: 'Break-even after 820 calls', xAxis: 820 }]);
		expect((option.yAxis as { name: string }).name).toBe('Cumulative extra time (s)');
	});

	it('marks nothing when the break-even is unknown, and takes an empty curve', () => {
		const none = breakEvenChart(be(null));
		expect((none.option.series as { markLine?: unknown }[])[0].markLine).toBeUndefined();
		const empty = breakEvenChart({ ...be(null), curve: [] });
		expect(empty.table.rows).toEqual([]);
	});
});
