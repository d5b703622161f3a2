// Covers the chart worker in Chromium (a real module worker running echarts' SVG renderer off the
// main thread): a chart comes back as SVG text with its title and its numbers, a hostile variant
// label comes back escaped, and several renders at once each get their own answer.
import { expect, test } from 'vitest';
import { passRateChart } from '../../../src/domain/charts/index.ts';
import type { VariantStats } from '../../../src/domain/stats/compare.ts';
import { renderChartInWorker } from '../../../src/workers/chart-client.ts';

const stats = (variant: string, passes: number, n: number): VariantStats => ({
	variant,
	n,
	passes,
	passRate: passes / n,
	ci95: [0.2, 0.8],
	meanScore: null,
	scoreN: 0
});

test('a chart rendered in the worker is SVG text with its title; labels are escaped', async () => {
	const svg = await renderChartInWorker(passRateChart([stats('Prompt', 6, 12), stats('<script>alert(1)</script>', 12, 12)]));
	expect(svg.startsWith('<svg')).toBe(true);
	expect(svg).toContain('Pass rate by variant');
	expect(svg).not.toContain('<script>');
	expect(svg).toContain('&lt;script&gt;');
});

test('renders in flight at once each get their own chart back', async () => {
	const labels = ['one', 'two', 'three'];
	const svgs = await Promise.all(labels.map((l) => renderChartInWorker(passRateChart([stats(`variant ${l}`, 1, 2)]))));
	svgs.forEach((svg, i) => expect(svg).toContain(`variant ${labels[i]}`));
});
