// The part of ECharts the decision's charts use, registered once when this module is first evaluated.
// Loaded only through render-svg.ts's dynamic import(), so bundlers put it (tree-shaken: named imports
// from echarts/core, charts, components, renderers, never the whole 'echarts' package) in a lazy chunk.
import { init, use } from 'echarts/core';
import { BarChart, BoxplotChart, LineChart } from 'echarts/charts';
// The simple grid (no axis pointer) and the plain legend (no scrolling): a static SVG needs neither extra.
import {
	AriaComponent,
	GridSimpleComponent,
	LegendPlainComponent,
	MarkAreaComponent,
	MarkLineComponent,
	TitleComponent
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

use([
	BarChart,
	BoxplotChart,
	LineChart,
	AriaComponent,
	GridSimpleComponent,
	LegendPlainComponent,
	MarkAreaComponent,
	MarkLineComponent,
	TitleComponent,
	SVGRenderer
]);

export { init };
