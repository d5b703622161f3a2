// The decision over the open experiment: what each variant costs, when the adapter's one-off cost
// pays back, the few-shot and strength sweeps, the primary and Holm-adjusted secondary comparisons,
// the charts (echarts, loaded only when shown) and the exports (report, bundle, CSV, DPO pairs).
// Reads CompareState; imports domain and storage only; no DOM (downloads happen in components).
/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps, Sets and Dates here are local values built
   inside a $derived or one call, never mutated afterwards, so they need no reactive versions */
import { breakEven } from '../../domain/decision/break-even.ts';
import { variantCost } from '../../domain/decision/cost.ts';
import { decisionVerdict } from '../../domain/decision/decision-verdict.ts';
import { comparisonFamily, swapPair } from '../../domain/decision/family.ts';
import { fewShotSweep, parseScales, strengthSweep, type SweepVariant } from '../../domain/decision/sweep-variants.ts';
import { sweepSummary } from '../../domain/decision/sweep-summary.ts';
import type { BreakEven, ChartSpec, SweepSummary, SweepTag, TokenPrices, VariantCost, VariantFacts } from '../../domain/decision/types.ts';
import {
	passRateChart,
	scoreDistributionChart,
	latencyChart,
	throughputChart,
	sweepChart,
	breakEvenChart
} from '../../domain/charts/index.ts';
import { describeWeights, type ModelChoice, type RecipeChoice } from '../../domain/experiment/variants.ts';
import type { ExperimentVariant, VariantSpec } from '../../domain/experiment/types.ts';
import { preferenceJsonl, preferencePairs, resultsCsv, votesCsv } from '../../domain/experiment/exports.ts';
import { statsInput } from '../../domain/experiment/results-table.ts';
import { debateDimensions } from '../../domain/report/dimensions.ts';
import { reportHtml } from '../../domain/report/html.ts';
import { reportMarkdown } from '../../domain/report/markdown.ts';
import type { ReportInput, ReportVariant } from '../../domain/report/types.ts';
import type { PairStats } from '../../domain/stats/compare.ts';
import { BUNDLE_SCHEMA_VERSION } from '../../domain/bundle/types.ts';
import type { TuneDb } from '../../storage/db.ts';
import { APP_VERSION } from '../../storage/bundle-io.ts';
import { exportExperiment, importExperiment } from '../../storage/experiment-bundle.ts';
import type { CompareState } from './compare.svelte.ts';
import { describe } from '../run-controller.svelte.ts';

export interface DecisionDeps {
	db: TuneDb;
	/** Sizes, memory and derive time of a variant's weights (catalog, derived models, adapters). */
	facts: (spec: VariantSpec) => VariantFacts;
	/** The derived model of the same base and adapter at another scale, when one is stored. */
	derivedAt: (spec: VariantSpec, scale: number) => ModelChoice | null;
	/** Whether the variant's adapter is a DoRA adapter (refused by the merge). */
	isDora: (spec: VariantSpec) => boolean;
	/** The GPU in words, or null without WebGPU. */
	gpu: () => string | null;
	/**
	 * Derives the variant's adapter at another scale in this browser; resolves true when it is stored
	 * (then derivedAt finds it). Absent: the user derives missing scales under Adapters.
	 */
	derive?: (spec: VariantSpec, scale: number) => Promise<boolean>;
	/** Renders a chart to SVG text (default: echarts in the chart worker, started on the first chart). */
	renderSvg?: (chart: ChartSpec) => Promise<string>;
}

/** A file for the components to download. */
export interface DecisionFile {
	blob: Blob;
	name: string;
}

const recipeOf = (spec: VariantSpec): RecipeChoice => ({ versionId: spec.recipeVersionId, name: spec.recipeName, content: spec.recipe });
const modelOf = (spec: VariantSpec): ModelChoice => ({ engine: spec.engine, model: spec.model });
const slug = (s: string) =>
	s
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '')
		.slice(0, 40) || 'experiment';

export class DecisionState {
	prices = $state.raw<TokenPrices | null>(null);
	scalesText = $state('0.25, 0.5, 1, 1.5');
	/** Rendered SVG per chart id ('' while rendering or when it failed). */
	svgs = $state.raw<Record<string, string>>({});
	message = $state<string | null>(null);
	error = $state.raw<{ message: string; advice: string } | null>(null);
	busy = $state<string | null>(null);

	#compare: CompareState;
	#deps: DecisionDeps;
	#renderedKey = '';

	constructor(compare: CompareState, deps: DecisionDeps) {
		this.#compare = compare;
		this.#deps = deps;
	}

	specs = $derived.by(() => new Map(this.#compare.variants.map((v) => [v.id, v.spec])));

	costs = $derived.by((): VariantCost[] => {
		const c = this.#compare;
		return (c.experiment?.variants ?? []).flatMap((v) => {
			const spec = this.specs.get(v.variantId);
			if (!spec) return [];
			const results = c.results.filter((r) => r.variantId === v.variantId);
			return [variantCost({ variantId: v.variantId, label: v.label, results, facts: this.#deps.facts(spec) })];
		});
	});

	breakEven = $derived.by((): BreakEven | null => {
		const sides = this.#compare.sides;
		if (!sides) return null;
		const prompt = this.costs.find((c) => c.variantId === sides.prompt.variantId);
		const adapter = this.costs.find((c) => c.variantId === sides.adapter.variantId);
		return prompt && adapter ? breakEven(prompt, adapter, this.prices ?? undefined) : null;
	});

	family = $derived.by(() => comparisonFamily(this.#compare.stats, this.#compare.pairs.primary, this.#compare.pairs.secondary));

	/** The primary pair oriented prompt side first. */
	primaryPair = $derived(this.family.primary?.pair ?? null);

	verdict = $derived.by((): string => {
		const p = this.#compare.pairs.primary;
		return decisionVerdict(this.primaryPair, { prompt: p?.[0] ?? 'the engineered prompt', adapter: p?.[1] ?? 'the adapter' });
	});

	sweeps = $derived.by((): SweepSummary[] => {
		const out: SweepSummary[] = [];
		const few = this.#sweepSummary('few-shot');
		if (few) out.push(few);
		const strength = this.#sweepSummary('strength');
		if (strength) out.push(strength);
		return out;
	});

	charts = $derived.by((): ChartSpec[] => {
		const stats = this.#compare.stats;
		const charts: ChartSpec[] = [];
		if (stats.variants.some((v) => v.n > 0)) charts.push(passRateChart(stats.variants));
		const scores = (this.#compare.experiment?.variants ?? []).map((v) => ({
			label: v.label,
			scores: this.#compare.matrix.flatMap((row) => {
				const s = row.cells.get(v.variantId)?.score;
				return s === null || s === undefined ? [] : [s];
			})
		}));
		if (scores.some((s) => s.scores.length > 0)) charts.push(scoreDistributionChart(scores));
		if (this.costs.some((c) => c.calls > 0)) charts.push(latencyChart(this.costs));
		// Endpoints timed by the app report no prefill/decode rates: an empty chart would say nothing.
		if (this.costs.some((c) => c.prefillTokensPerSec || c.decodeTokensPerSec)) charts.push(throughputChart(this.costs));
		for (const s of this.sweeps) charts.push(sweepChart(s));
		// Without a one-off cost (endpoint adapter, or derived before it was timed) there is no curve to draw.
		if (this.breakEven && this.breakEven.oneOffMs !== null && this.breakEven.curve.length > 0) charts.push(breakEvenChart(this.breakEven));
		return charts;
	});

	/** Renders the charts not rendered yet (called when the decision view is shown). */
	async renderCharts(): Promise<void> {
		const charts = this.charts;
		const key = JSON.stringify(charts.map((c) => [c.id, c.table]));
		if (key === this.#renderedKey) return;
		this.#renderedKey = key;
		const render = this.#deps.renderSvg ?? (async (c: ChartSpec) => (await import('../../workers/chart-client.ts')).renderChartInWorker(c));
		const out: Record<string, string> = {};
		for (const chart of charts) {
			// Superseded (new results arrived): stop, so a running batch never queues up stale renders.
			if (key !== this.#renderedKey) return;
			try {
				out[chart.id] = await render(chart);
			} catch {
				out[chart.id] = '';
			}
		}
		if (key === this.#renderedKey) this.svgs = out;
	}

	/** Runs the base with 0, 1, 2, 4, 8 of the engineered recipe's examples (as many as it has). */
	async runFewShotSweep(): Promise<void> {
		const sides = this.#compare.sides;
		const spec = sides && this.specs.get(sides.prompt.variantId);
		if (!spec) return void (this.message = 'Open a comparison with a base + engineered prompt side first.');
		if (spec.recipe.examples.length === 0)
			return void (this.message = 'The engineered recipe has no few-shot examples: add some in its recipe to sweep them.');
		const points = fewShotSweep(modelOf(spec), recipeOf(spec), spec.sampling);
		await this.#run(points);
	}

	/** Runs the adapter side at the scales typed in `scalesText`. */
	async runStrengthSweep(): Promise<void> {
		const sides = this.#compare.sides;
		const spec = sides && this.specs.get(sides.adapter.variantId);
		if (!spec) return void (this.message = 'Open a comparison with an adapter side first.');
		let scales: number[];
		try {
			scales = parseScales(this.scalesText);
		} catch (e) {
			return void (this.message = (e as Error).message);
		}
		const planned = () =>
			strengthSweep(modelOf(spec), recipeOf(spec), {
				scales,
				shared: spec.sampling,
				derived: (scale) => this.#deps.derivedAt(spec, scale),
				isDora: this.#deps.isDora(spec)
			});
		let plan = planned();
		if (plan.refusal) return void (this.message = plan.refusal);
		const derive = this.#deps.derive;
		if (plan.missing.length > 0 && derive) {
			this.busy = 'derive';
			try {
				for (const scale of plan.missing) {
					this.message = `Deriving the adapter at scale ${scale} (progress under Adapters)…`;
					if (!(await derive(spec, scale))) break;
				}
			} finally {
				this.busy = null;
			}
			this.message = null;
			plan = planned();
		}
		if (plan.missing.length > 0)
			this.message =
				`Not derived yet at scale ${plan.missing.join(', ')}: derive the adapter at ` +
				`${plan.missing.length === 1 ? 'that scale' : 'those scales'} under Adapters, then run the sweep again.`;
		await this.#run(plan.variants);
	}

	/** The report's content, computed from the experiment (charts as rendered so far). */
	reportInput(now = new Date()): ReportInput {
		const c = this.#compare;
		const stats = new Map(c.stats.variants.map((v) => [v.variant, v]));
		const variants: ReportVariant[] = (c.experiment?.variants ?? []).flatMap((v) => {
			const spec = this.specs.get(v.variantId);
			if (!spec) return [];
			const s = stats.get(v.label);
			return [
				{
					label: v.label,
					weights: describeWeights(spec.model),
					engine: spec.engine.kind === 'endpoint' ? `endpoint ${spec.engine.baseUrl ?? ''}`.trim() : 'web-llm (this browser)',
					recipeName: spec.recipeName,
					examples: spec.recipe.examples.length,
					hasSystemPrompt: spec.recipe.system.trim() !== '',
					n: s?.n ?? 0,
					passes: s?.passes ?? 0,
					passRate: s?.passRate ?? null,
					ci95: s?.ci95 ?? null,
					meanScore: s?.meanScore ?? null
				}
			];
		});
		const engines = [...new Set(c.results.map((r) => `${r.engine.kind}: ${r.engine.version}`))];
		return {
			title: c.experiment?.name ?? 'Experiment',
			createdAt: now.toISOString(),
			testSet: { name: c.testSet?.name ?? 'missing', items: c.items.length },
			variants,
			primaryLabels: c.pairs.primary,
			verdict: this.verdict,
			family: this.family,
			costs: this.costs,
			breakEven: this.breakEven,
			sweeps: this.sweeps,
			dimensions: debateDimensions({
				variants,
				primaryLabels: c.pairs.primary,
				costs: this.costs,
				breakEven: this.breakEven,
				sweeps: this.sweeps
			}),
			environment: { gpu: this.#deps.gpu(), engines, appVersion: APP_VERSION, schemaVersion: BUNDLE_SCHEMA_VERSION },
			charts: this.charts.map((ch) => ({ id: ch.id, title: ch.title, svg: this.svgs[ch.id] ?? '', table: ch.table }))
		};
	}

	async reportFile(kind: 'html' | 'md', now = new Date()): Promise<DecisionFile> {
		await this.renderCharts();
		const input = this.reportInput(now);
		const base = `tune-or-prompt-report-${slug(input.title)}-${now.toISOString().slice(0, 10)}`;
		return kind === 'html'
			? { blob: new Blob([reportHtml(input)], { type: 'text/html' }), name: `${base}.html` }
			: { blob: new Blob([reportMarkdown(input)], { type: 'text/markdown' }), name: `${base}.md` };
	}

	async bundleFile(now = new Date()): Promise<DecisionFile | null> {
		const exp = this.#compare.experiment;
		if (!exp) return null;
		const engines = [...new Set(this.#compare.results.map((r) => `${r.engine.kind}: ${r.engine.version}`))];
		const blob = await exportExperiment(this.#deps.db, exp.id, {
			statistics: this.#compare.stats,
			environment: { gpu: this.#deps.gpu(), engines }
		});
		return { blob, name: `tune-or-prompt-experiment-${slug(exp.name)}-${now.toISOString().slice(0, 10)}.json` };
	}

	/** The statistics' table (item, variant, pass, score) as CSV: `npm run stats -- file.csv` reads it. */
	resultsCsvFile(): DecisionFile {
		const input = statsInput(this.#compare.matrix, this.#compare.labels, this.#compare.votes);
		return { blob: new Blob([resultsCsv(input)], { type: 'text/csv' }), name: `${this.#fileBase()}-results.csv` };
	}

	votesCsvFile(): DecisionFile {
		const input = statsInput(this.#compare.matrix, this.#compare.labels, this.#compare.votes);
		return { blob: new Blob([votesCsv(input.votes)], { type: 'text/csv' }), name: `${this.#fileBase()}-votes.csv` };
	}

	/** Blind votes with a winner as (prompt, chosen, rejected) lines for a DPO fine-tune. */
	preferenceFile(): DecisionFile {
		const c = this.#compare;
		const out = preferencePairs({ votes: c.votes, matrix: c.matrix, specs: this.specs, promptVariantId: c.sides?.adapter.variantId });
		const { ties, bothBad, missing } = out.skipped;
		this.message = `${out.lines.length} preference pairs; left out: ${ties} ties, ${bothBad} both bad, ${missing} without both outputs.`;
		return { blob: new Blob([preferenceJsonl(out.lines)], { type: 'application/jsonl' }), name: `${this.#fileBase()}-preferences.jsonl` };
	}

	/** Imports an experiment bundle (all or nothing) and opens it. */
	async importBundle(file: Blob): Promise<void> {
		this.busy = 'import';
		this.error = null;
		try {
			const { experimentId, summary } = await importExperiment(this.#deps.db, file);
			const added = Object.values(summary.tables).reduce((n, t) => n + t.added, 0);
			await this.#compare.start();
			await this.#compare.open(experimentId);
			this.message = `Imported: ${added} rows added.`;
		} catch (e) {
			this.error = describe(e);
		} finally {
			this.busy = null;
		}
	}

	#fileBase(): string {
		return `tune-or-prompt-${slug(this.#compare.experiment?.name ?? 'experiment')}`;
	}

	async #run(points: SweepVariant[]): Promise<void> {
		if (points.length === 0) return;
		this.busy = 'sweep';
		try {
			await this.#compare.addSweep(points);
		} finally {
			this.busy = null;
		}
	}

	#sweepSummary(kind: SweepTag['kind']): SweepSummary | null {
		const c = this.#compare;
		const sides = c.sides;
		const tagged = (c.experiment?.variants ?? []).filter((v) => v.sweep?.kind === kind);
		if (!sides || tagged.length === 0) return null;
		const reference: ExperimentVariant | null = kind === 'few-shot' ? sides.adapter : sides.basePlain;
		const stats = new Map(c.stats.variants.map((v) => [v.variant, v]));
		const costs = new Map(this.costs.map((x) => [x.variantId, x]));
		const pairOf = (a: string, b: string): { pair: PairStats | null; adjustedP: number | null } => {
			const f = this.family;
			if (f.primary && f.primary.pair.a === a && f.primary.pair.b === b)
				return { pair: f.primary.pair, adjustedP: f.primary.pair.mcnemarP };
			if (f.primary && f.primary.pair.a === b && f.primary.pair.b === a)
				return { pair: swapPair(f.primary.pair), adjustedP: f.primary.pair.mcnemarP };
			const s = f.secondary.find((x) => (x.pair.a === a && x.pair.b === b) || (x.pair.a === b && x.pair.b === a));
			if (!s) return { pair: null, adjustedP: null };
			return { pair: s.pair.a === a ? s.pair : swapPair(s.pair), adjustedP: s.adjustedP };
		};
		const points = tagged.map((v) => {
			const sweep = v.sweep!;
			const vs = reference ? pairOf(v.label, reference.label) : { pair: null, adjustedP: null };
			const cost = costs.get(v.variantId);
			return {
				variantId: v.variantId,
				label: v.label,
				x: sweep.kind === 'few-shot' ? sweep.examples : sweep.scale,
				stats: stats.get(v.label) ?? null,
				vsReference: vs.pair,
				adjustedP: vs.adjustedP,
				promptTokensPerCall: cost?.promptTokens?.median ?? null,
				timeToFirstTokenMs: cost?.timeToFirstTokenMs?.median ?? null
			};
		});
		return sweepSummary(
			kind,
			points,
			reference ? { variantId: reference.variantId, label: reference.label, stats: stats.get(reference.label) ?? null } : null
		);
	}
}
