// What every decision chart shares: the Okabe–Ito palette (distinguishable with the common colour-vision
// deficiencies), the plain-JSON option skeleton (no animation, ECharts' aria description on) and the number
// formats of the tables. Pure: no echarts, DOM or svelte imports; options hold data only, never functions.

/** Okabe & Ito (2008), ordered so the first colours contrast best on white (yellow last). */
export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'] as const;

/** The colour of the i-th variant, the same in every chart that colours by variant. */
export const colourAt = (i: number): string => OKABE_ITO[i % OKABE_ITO.length];

/** Shown in tables where a figure is unknown. */
export const NONE = '—';

/** The option keys every chart starts from; axes and series are added by each builder. */
export function baseOption(title: string): Record<string, unknown> {
	return {
		animation: false,
		aria: { enabled: true },
		color: [...OKABE_ITO],
		backgroundColor: '#ffffff',
		title: { text: title, left: 'center', top: 8, textStyle: { fontSize: 15 } },
		legend: { top: 34 },
		grid: { left: 72, right: 32, top: 76, bottom: 64 }
	};
}

/** A value axis with its name (the unit in brackets) centred along it. */
export function valueAxis(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { type: 'value', name, nameLocation: 'middle', nameGap: 48, ...extra };
}

/** A category axis of labels (user content: passed as plain strings, ECharts escapes text in SVG). */
export function categoryAxis(name: string, labels: readonly string[]): Record<string, unknown> {
	return {
		type: 'category',
		name,
		nameLocation: 'middle',
		nameGap: 36,
		data: [...labels],
		// Every label shown, cut with an ellipsis rather than overlapping its neighbours.
		axisLabel: { interval: 0, width: 110, overflow: 'truncate' }
	};
}

/** Rounds to `digits` decimals without float noise (so options and tables hold tidy numbers). */
/**
 * A dotted black line across the plot at one axis value, labelled at its end: the sweep's reference and
 * the break-even point. `name` is plain text (a variant label, say); the formatter only places it.
 */
export function markedLine(name: string, at: { xAxis: number } | { yAxis: number }): Record<string, unknown> {
	return {
		silent: true,
		symbol: ['none', 'none'],
		lineStyle: { color: '#000000', type: 'dotted', width: 2 },
		label: { position: 'insideEndTop', formatter: '{b}' },
		data: [{ name, ...at }]
	};
}

export function round(value: number, digits = 0): number {
	const f = 10 ** digits;
	return Math.round(value * f) / f;
}

/** A proportion as a percentage for the chart (one decimal), or null when unknown. */
export const percentValue = (p: number | null): number | null => (p === null || !Number.isFinite(p) ? null : round(p * 100, 1));

/** 0.6 → "60 %"; null → "—". */
export function formatPercent(p: number | null): string {
	return p === null || !Number.isFinite(p) ? NONE : `${Math.round(p * 100)} %`;
}

/** [0.387, 0.781] → "39–78 %"; null → "—". */
export function formatInterval(ci: readonly [number, number] | null): string {
	return ci === null ? NONE : `${Math.round(ci[0] * 100)}–${Math.round(ci[1] * 100)} %`;
}

/** A rate with its interval: "62 % (45–77 %)"; "—" when the rate is unknown. */
export function formatPercentInterval(p: number | null, ci: readonly [number, number] | null): string {
	if (p === null || !Number.isFinite(p)) return NONE;
	return ci === null ? formatPercent(p) : `${formatPercent(p)} (${formatInterval(ci)})`;
}

/** A p value for a table: three decimals, "< 0.001" below that, "—" when unknown. */
export function formatP(p: number | null): string {
	if (p === null || !Number.isFinite(p)) return NONE;
	return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A number rounded for a table cell, or "—" when unknown. */
export function cell(value: number | null | undefined, digits = 0): number | string {
	return value === null || value === undefined || !Number.isFinite(value) ? NONE : round(value, digits);
}
