// The decision's plain data: what each variant costs per call and once, when the adapter's one-off
// cost pays for the engineered prompt's per-call cost, the few-shot and strength sweeps, the family
// of comparisons (one primary pair, the others Holm-adjusted) and the charts' data with their table
// alternatives. Pure types: no svelte, dexie, DOM, worker, echarts or web-llm imports.
import type { PairStats } from '../stats/compare.ts';

/** Median and mean of a measured figure over the calls that reported it. */
export interface Summary {
	n: number;
	median: number;
	mean: number;
}

/** What is known about a variant's weights outside its results (registry, catalog, storage). */
export interface VariantFacts {
	/** GPU memory from the catalog (MB); 0 for an endpoint (no local memory); null unknown. */
	gpuMemoryMB: number | null;
	/** Bytes of the base model's weights (catalog / cache); null unknown or remote. */
	baseBytes: number | null;
	/** Bytes of the LoRA adapter files; null when the variant carries none. */
	adapterBytes: number | null;
	/** Bytes the derived (merged) model stores; null when not a derived model. */
	derivedBytes: number | null;
	/** Time it took to derive the adapter model in this browser (ms); null unknown or not derived. */
	deriveMs: number | null;
}

/** Cost accounting of one variant, measured from its stored results. */
export interface VariantCost {
	variantId: string;
	label: string;
	/** Results with stats that the figures are taken from. */
	calls: number;
	promptTokens: Summary | null;
	completionTokens: Summary | null;
	timeToFirstTokenMs: Summary | null;
	prefillTokensPerSec: Summary | null;
	decodeTokensPerSec: Summary | null;
	totalMs: Summary | null;
	/** 'engine': token counts from the engine's usage report; 'measured': timed/estimated by the app. */
	statsSource: 'engine' | 'measured' | 'mixed' | null;
	facts: VariantFacts;
}

/** Optional prices for endpoint variants (per 1,000 tokens, in one currency). */
export interface TokenPrices {
	promptPer1k: number;
	completionPer1k: number;
	/** e.g. "USD"; shown as given. */
	currency: string;
	/** The fine-tune's one-off price (training, hosting set-up) in that currency, when known. */
	oneOffPrice?: number;
}

/** One point of the break-even curve: cumulative cost after `calls` calls on each side. */
export interface BreakEvenPoint {
	calls: number;
	/** Prompt side: calls × extra prefill ms (its one-off cost is 0). */
	promptMs: number;
	/** Adapter side: its one-off ms (derivation), flat. */
	adapterMs: number;
}

export interface BreakEven {
	promptLabel: string;
	adapterLabel: string;
	/** Median prompt tokens, prompt side − adapter side (the system prompt's and examples' price). */
	extraPromptTokensPerCall: number | null;
	/** Median time to first token, prompt side − adapter side (≈ the extra prefill per call). */
	extraPrefillMsPerCall: number | null;
	/** The adapter's one-off time: deriving it (ms); null when unknown (endpoint: not applicable). */
	oneOffMs: number | null;
	/** The adapter's one-off bytes: adapter download + derived model storage. */
	oneOffBytes: number | null;
	/** Calls after which the adapter's one-off time is paid back; null when it never is or is unknown. */
	callsToBreakEven: number | null;
	/** With prices: per-call money on each side and the calls to pay back the one-off price. */
	money: {
		currency: string;
		promptPerCall: number;
		adapterPerCall: number;
		extraPerCall: number;
		callsToBreakEven: number | null;
	} | null;
	/** For the chart: cumulative cost at a few call counts up to about twice the break-even. */
	curve: BreakEvenPoint[];
	/** One plain sentence with the numbers ("The adapter's 41 s of derivation pays back after 820 calls…"). */
	sentence: string;
}

/** Marks a variant as one point of a sweep (stored on ExperimentVariant.sweep). */
export type SweepTag = { kind: 'few-shot'; examples: number } | { kind: 'strength'; scale: number };

/** One point of a sweep with its statistics against the sweep's reference variant. */
export interface SweepPoint {
	variantId: string;
	label: string;
	/** Number of examples (few-shot) or adapter scale (strength). */
	x: number;
	n: number;
	passRate: number | null;
	ci95: [number, number] | null;
	/** Median prompt tokens per call (few-shot: what the examples cost). */
	promptTokensPerCall: number | null;
	/** Median time to first token per call (ms). */
	timeToFirstTokenMs: number | null;
	/** The pair (this point vs the reference), unadjusted. */
	vsReference: PairStats | null;
	/** Holm-adjusted p of that pair within the experiment's secondary comparisons. */
	adjustedP: number | null;
}

export interface SweepSummary {
	kind: SweepTag['kind'];
	points: SweepPoint[];
	/** The line drawn across the chart: the adapter (few-shot sweep) or the base (strength sweep). */
	reference: { variantId: string; label: string; passRate: number | null; ci95: [number, number] | null } | null;
	/**
	 * Few-shot: the smallest number of examples at which the adapter's lead is no longer significant
	 * (Holm-adjusted p ≥ 0.05) and the point estimate is at least the adapter's minus 5 points; null
	 * when no point does. Strength: the scale with the highest pass rate.
	 */
	answer: number | null;
	sentence: string;
}

/** The family of comparisons: one declared primary pair, the others adjusted together (Holm). */
export interface ComparisonFamily {
	primary: { pair: PairStats } | null;
	secondary: { pair: PairStats; adjustedP: number; significant: boolean; reason: string }[];
}

/** A chart's text alternative: a caption and a table (for screen readers and the Markdown report). */
export interface ChartTable {
	caption: string;
	columns: string[];
	rows: (string | number | null)[][];
}

/** A chart as data: an ECharts option (plain JSON) and its table alternative. */
export interface ChartSpec {
	id: string;
	title: string;
	/** ECharts option object: plain data only (no functions), so it can be rendered anywhere. */
	option: Record<string, unknown>;
	table: ChartTable;
}
