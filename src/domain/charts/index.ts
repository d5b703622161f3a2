// The decision's charts as data: each builder turns measured figures into a ChartSpec (an ECharts option
// of plain JSON plus its table alternative). Rendering lives in src/util/charts/render-svg.ts; nothing
// here imports echarts or touches the DOM.
export { passRateChart, PASS_RATE_TITLE } from './pass-rates.ts';
export { scoreDistributionChart, scoreBin, binLabels, SCORE_DISTRIBUTION_TITLE } from './score-distribution.ts';
export { latencyChart, throughputChart, LATENCY_TITLE, THROUGHPUT_TITLE } from './latency.ts';
export { sweepChart } from './sweeps.ts';
export { breakEvenChart, BREAK_EVEN_TITLE } from './break-even.ts';
export { OKABE_ITO, formatPercent, formatInterval, formatPercentInterval, formatP } from './common.ts';
