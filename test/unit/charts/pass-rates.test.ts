// passRateChart: the table holds the hand-worked pass rates and Wilson intervals, the option is plain
// JSON, and the interval is drawn as a boxplot whisker [lo, p, p, p, hi] in percent.
import { describe, expect, it } from 'vitest';
import { passRateChart } from '../../../src/domain/charts/index.ts';
import type { VariantStats } from '../../../src/domain/stats/compare.ts';
import { wilsonInterval } from '../../../src/domain/stats/wilson.ts';

const stats = (variant: string, passes: number, n: number): VariantStats => ({
	variant,
	n,
	passes,
	passRate: passes / n,
	ci95: wilsonInterval(passes, n),
	meanScore: null,
	scoreN: 0
});

describe('passRateChart', () => {
	it('works out 12 of 20 as 60 % with the Wilson interval 38.7–78.1 %', () => {
		// By hand, z = 1.959964, z² = 3.841459, n = 20, p̂ = 0.6:
		// centre = 2np̂ + z² = 24 + 3.841459 = 27.841459
		// half = z·√(z² + 4np̂(1−p̂)) = 1.959964 · √(3.841459 + 19.2) = 1.959964 · 4.800152 = 9.408125
		// denominator = 2(n + z²) = 47.682918
		// lo = (27.841459 − 9.408125) / 47.682918 = 0.386582; hi = (27.841459 + 9.408125) / 47.682918 = 0.781193
		const v = stats('Adapter', 12, 20);
		expect(v.ci95![0]).toBeCloseTo(0.386582, 5);
		expect(v.ci95![1]).toBeCloseTo(0.781193, 5);
		const chart = passRateChart([v, stats('Base', 0, 10)]);
		expect(chart.id).toBe('pass-rates');
		expect(chart.table.columns).toEqual(['Variant', 'Items', 'Pass rate', '95 % interval']);
		// 0 of 10: the Wilson upper bound is z²/(n + z²) = 3.841459 / 13.841459 = 0.2775 → 28 %.
		expect(chart.table.rows).toEqual([
			['Adapter', 20, '60 %', '39–78 %'],
			['Base', 10, '0 %', '0–28 %']
		]);
		const series = chart.option.series as { type: string; data: unknown[] }[];
		expect(series.map((s) => s.type)).toEqual(['bar', 'boxplot']);
		expect((series[0].data[0] as { value: number }).value).toBe(60);
		expect(series[1].data[0]).toEqual([38.7, 60, 60, 60, 78.1]);
	});

	it('leaves an unknown pass rate out of the chart and shows it as — in the table', () => {
		const chart = passRateChart([{ variant: 'Empty', n: 0, passes: 0, passRate: null, ci95: null, meanScore: null, scoreN: 0 }]);
		expect(chart.table.rows).toEqual([['Empty', 0, '—', '—']]);
		const series = chart.option.series as { data: unknown[] }[];
		expect((series[0].data[0] as { value: unknown }).value).toBeNull();
		expect(series[1].data[0]).toEqual([null, null, null, null, null]);
	});

	it('is plain JSON with the shared settings and the labels as plain strings', () => {
		const hostile = '<script>alert(1)</script>';
		const { option } = passRateChart([stats(hostile, 3, 4), stats('Base', 1, 4)]);
		expect(JSON.parse(JSON.stringify(option))).toEqual(option);
		expect(option.animation).toBe(false);
		expect(option.aria).toEqual({ enabled: true });
		expect((option.xAxis as { data: string[] }).data).toEqual([hostile, 'Base']);
		expect((option.yAxis as { name: string }).name).toBe('Pass rate (%)');
	});
});
