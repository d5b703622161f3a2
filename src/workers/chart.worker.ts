// Chart worker: renders ChartSpecs to SVG text with echarts' server-side renderer, so loading and
// running echarts (about 180 KB gzip) never blocks the page's main thread. Messages: {id, chart} in,
// {id, svg} or {id, error} out.
import type { ChartSpec } from '../domain/decision/types.ts';
import { renderChartSvg } from '../util/charts/render-svg.ts';

// echarts' development build reads `window` or, outside a page, Node's `global` when an instance is made
// (lib/core/echarts.js, guarded by NODE_ENV !== 'production'); a worker has neither, so name the worker's
// own global scope. Production builds never read it.
(globalThis as { global?: unknown }).global ??= globalThis;

self.onmessage = async (e: MessageEvent<{ id: number; chart: ChartSpec }>) => {
	const { id, chart } = e.data;
	try {
		self.postMessage({ id, svg: await renderChartSvg(chart) });
	} catch (err) {
		self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
	}
};
