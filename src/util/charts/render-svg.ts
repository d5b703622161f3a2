// Renders a ChartSpec to SVG text with ECharts' server-side SVG renderer (ssr: no DOM needed), so the same
// call works in Node, the page and workers. ECharts is loaded lazily on the first call (echarts-svg.ts).
// The chart instance is always disposed: a live one keeps a timer that stops Node from exiting.
import type { ChartSpec } from '../../domain/decision/types.ts';

type EchartsSvg = typeof import('./echarts-svg.ts');

let loading: Promise<EchartsSvg> | null = null;

function loadEcharts(): Promise<EchartsSvg> {
	loading ??= import('./echarts-svg.ts').catch((err: unknown) => {
		// A failed load (offline chunk) is not cached, so the next call tries again.
		loading = null;
		throw err;
	});
	return loading;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeAttr = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/**
 * The chart as an SVG document (text starting with "<svg"), `size` in CSS pixels (default 640×360).
 * ECharts' aria description is only attached to a live DOM node, so the SVG gets role="img" and an
 * aria-label of its title and table caption instead (escaped: captions may hold variant labels).
 */
export async function renderChartSvg(
	chart: ChartSpec,
	size: { width: number; height: number } = { width: 640, height: 360 }
): Promise<string> {
	const { init } = await loadEcharts();
	const instance = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
	try {
		instance.setOption(chart.option);
		const svg = instance.renderToSVGString();
		const label = escapeAttr(`${chart.title}. ${chart.table.caption}`);
		return svg.replace(/^<svg\b/, `<svg role="img" aria-label="${label}"`);
	} finally {
		instance.dispose();
	}
}
