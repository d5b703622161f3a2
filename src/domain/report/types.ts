// What a decision report holds: everything it prints, already computed (statistics, costs, sweeps,
// charts as SVG text with their tables). The report renderers (markdown.ts, html.ts) only format it.
// Pure types: no svelte, dexie, DOM, worker, echarts or web-llm imports.
import type { BreakEven, ChartTable, ComparisonFamily, SweepSummary, VariantCost } from '../decision/types.ts';

export interface ReportVariant {
	label: string;
	/** The exact weights in words (describeWeights). */
	weights: string;
	engine: string;
	recipeName: string;
	/** Few-shot examples in its recipe. */
	examples: number;
	/** Whether the system prompt is empty. */
	hasSystemPrompt: boolean;
	n: number;
	passes: number;
	passRate: number | null;
	ci95: [number, number] | null;
	meanScore: number | null;
}

export interface ReportChart {
	id: string;
	title: string;
	/** Rendered SVG markup (from echarts' SVG renderer: text already escaped); '' when not rendered. */
	svg: string;
	table: ChartTable;
}

export interface ReportInput {
	title: string;
	/** ISO 8601 time the report was made. */
	createdAt: string;
	testSet: { name: string; items: number };
	variants: ReportVariant[];
	/** The labels of the primary pair: [prompt side, adapter side]. */
	primaryLabels: [string, string] | null;
	/** The one-sentence verdict on the primary pair. */
	verdict: string;
	family: ComparisonFamily;
	costs: VariantCost[];
	breakEven: BreakEven | null;
	sweeps: SweepSummary[];
	/** The debate's other dimensions as short paragraphs filled with this experiment's numbers. */
	dimensions: { flexibility: string; resources: string; notMeasured: string[] };
	environment: { gpu: string | null; engines: string[]; appVersion: string; schemaVersion: number };
	charts: ReportChart[];
}
