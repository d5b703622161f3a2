// renderChartSvg: every chart renders to an SVG document that holds its title, hostile labels come out
// escaped (only as &lt;script&gt;), and a process that renders exits on its own (the instance is disposed).
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	breakEvenChart,
	latencyChart,
	passRateChart,
	scoreDistributionChart,
	sweepChart,
	throughputChart
} from '../../../src/domain/charts/index.ts';
import type { ChartSpec, Summary, SweepPoint, VariantCost } from '../../../src/domain/decision/types.ts';
import { renderChartSvg } from '../../../src/util/charts/render-svg.ts';

const HOSTILE = '<script>alert(1)</script>';

const s = (median: number): Summary => ({ n: 4, median, mean: median });
const cost = (label: string, ttft: number, dec: number | null): VariantCost => ({
	variantId: label,
	label,
	calls: 4,
	promptTokens: s(300),
	completionTokens: s(40),
	timeToFirstTokenMs: s(ttft),
	prefillTokensPerSec: s(800),
	decodeTokensPerSec: dec === null ? null : s(dec),
	totalMs: s(ttft + 1500),
	statsSource: 'engine',
	facts: { gpuMemoryMB: null, baseBytes: null, adapterBytes: null, derivedBytes: null, deriveMs: null }
});
const point = (x: number, passRate: number, tokens: number | null): SweepPoint => ({
	variantId: `p${x}`,
	label: `${x}`,
	x,
	n: 20,
	passRate,
	ci95: [passRate - 0.2, passRate + 0.15],
	promptTokensPerCall: tokens,
	timeToFirstTokenMs: null,
	vsReference: null,
	adjustedP: 0.5
});

/** One of each chart, the user-chosen labels all set to `label`. */
function everyChart(label: string): ChartSpec[] {
	const reference = { variantId: 'r', label, passRate: 0.7, ci95: [0.48, 0.85] as [number, number] };
	return [
		passRateChart([
			{ variant: 'Base', n: 20, passes: 8, passRate: 0.4, ci95: [0.22, 0.61], meanScore: null, scoreN: 0 },
			{ variant: label, n: 20, passes: 12, passRate: 0.6, ci95: [0.39, 0.78], meanScore: null, scoreN: 0 },
			{ variant: 'None', n: 0, passes: 0, passRate: null, ci95: null, meanScore: null, scoreN: 0 }
		]),
		scoreDistributionChart([
			{ label: 'Base', scores: [0, 0.1, 0.5, 1] },
			{ label, scores: [0.8, 0.9, 1, 1] }
		]),
		latencyChart([cost('Base', 120, 30), cost(label, 400, null)]),
		throughputChart([cost('Base', 120, 30), cost(label, 400, null)]),
		sweepChart({
			kind: 'few-shot',
			points: [point(0, 0.4, 120), point(2, 0.6, 400), point(4, 0.7, 690)],
			reference,
			answer: 4,
			sentence: ''
		}),
		sweepChart({
			kind: 'strength',
			points: [point(0, 0.4, null), point(0.5, 0.55, null), point(1, 0.7, null)],
			reference,
			answer: 1,
			sentence: ''
		}),
		breakEvenChart({
			promptLabel: 'Prompt',
			adapterLabel: label,
			extraPromptTokensPerCall: 250,
			extraPrefillMsPerCall: 50,
			oneOffMs: 41_000,
			oneOffBytes: null,
			callsToBreakEven: 820,
			money: null,
			curve: [0, 820, 1640].map((calls) => ({ calls, promptMs: calls * 50, adapterMs: 41_000 })),
			sentence: ''
		})
	];
}

describe('renderChartSvg', () => {
	it('renders every chart to an SVG document holding its title', async () => {
		const charts = everyChart('Adapter');
		expect(charts.map((c) => c.id)).toEqual([
			'pass-rates',
			'score-distribution',
			'latency',
			'throughput',
			'sweep-few-shot',
			'sweep-strength',
			'break-even'
		]);
		for (const chart of charts) {
			const svg = await renderChartSvg(chart);
			expect(svg.startsWith('<svg'), chart.id).toBe(true);
			expect(svg, chart.id).toContain(`>${chart.title}</text>`);
			expect(svg, chart.id).toContain('width="640" height="360"');
			expect(svg, chart.id).toMatch(/^<svg role="img" aria-label="[^"<>]+"/);
			expect(svg.trimEnd().endsWith('</svg>'), chart.id).toBe(true);
		}
	});

	it('takes a size', async () => {
		const svg = await renderChartSvg(everyChart('Adapter')[0], { width: 800, height: 450 });
		expect(svg).toContain('width="800" height="450"');
	});

	it('draws the pass-rate interval as a whisker path for each known rate', async () => {
		const svg = await renderChartSvg(everyChart('Adapter')[0]);
		// Series 1 is the boxplot: one black, unfilled path (whisker + caps) per variant with a rate; the
		// variant without one draws nothing (and no NaN coordinates).
		const whiskers = svg.match(/<path [^>]*ecmeta_series_index="1"[^>]*>/g) ?? [];
		expect(whiskers).toHaveLength(2);
		for (const w of whiskers) expect(w).toMatch(/fill="none".*stroke="#000000"/);
		expect(svg).not.toContain('NaN');
	});

	it('never lets a label through as markup', async () => {
		for (const chart of everyChart(HOSTILE)) {
			const svg = await renderChartSvg(chart);
			expect(svg, chart.id).not.toContain('<script');
			expect(svg, chart.id).not.toMatch(
				/<(?!\/?(svg|g|path|text|rect|circle|line|polyline|polygon|style|defs|clipPath|tspan|title)\b)[a-z]/i
			);
		}
		// Where the label is drawn in full (legends, markLine labels), it is there as escaped text.
		const legend = await renderChartSvg(everyChart(HOSTILE)[1]);
		expect(legend).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
	});

	it('leaves nothing running: a Node process that renders exits by itself', async () => {
		const script = [
			"const { renderChartSvg } = await import('./src/util/charts/render-svg.ts');",
			"const { passRateChart } = await import('./src/domain/charts/index.ts');",
			"const svg = await renderChartSvg(passRateChart([{ variant: 'A', n: 2, passes: 1, passRate: 0.5, ci95: [0.1, 0.9], meanScore: null, scoreN: 0 }]));",
			'process.stdout.write(svg.slice(0, 4));'
		].join('\n');
		const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
			const child = execFile(
				process.execPath,
				['--import', 'tsx', '--input-type=module', '-e', script],
				{ cwd: resolve('.'), timeout: 20_000, killSignal: 'SIGKILL' },
				(err, stdout, stderr) => done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr })
			);
			child.stdin?.end();
		});
		// A killed (hung) child has code null; an exiting one 0.
		expect(out, out.stderr).toMatchObject({ code: 0, stdout: '<svg' });
	}, 30_000);
});
