// The fine-tune-or-prompt debate's dimensions beyond accuracy (flexibility, resources, and what this
// experiment did not measure) as short factual text filled with this experiment's own numbers.
// A figure that is null is said to be not measured: nothing here is estimated or made up.
import type { BreakEven, SweepSummary, VariantCost } from '../decision/types.ts';
import { bytes, duration, gpuMemory, joinWords, num, plural } from './format.ts';
import type { ReportInput, ReportVariant } from './types.ts';

export interface DimensionsInput {
	variants: ReportVariant[];
	primaryLabels: [string, string] | null;
	costs: VariantCost[];
	breakEven: BreakEven | null;
	sweeps: SweepSummary[];
}

/** Flexibility, resources and the not-measured list for the report. */
export function debateDimensions(input: DimensionsInput): ReportInput['dimensions'] {
	return { flexibility: flexibility(input), resources: resources(input), notMeasured: notMeasured(input) };
}

const sides = (input: DimensionsInput) => ({
	prompt: input.primaryLabels?.[0] ?? null,
	adapter: input.primaryLabels?.[1] ?? null
});

const variantOf = (input: DimensionsInput, label: string | null) =>
	label === null ? undefined : input.variants.find((v) => v.label === label);
const costOf = (input: DimensionsInput, label: string | null) => (label === null ? undefined : input.costs.find((c) => c.label === label));

function flexibility(input: DimensionsInput): string {
	const { prompt, adapter } = sides(input);
	const general =
		'One base model serves any number of engineered prompts: changing task means changing text. An adapter is tied to its task: each new task needs its own adapter, trained, downloaded and derived.';
	if (prompt === null || adapter === null)
		return `${general} No primary pair was declared, so the two approaches were not set against each other here.`;
	const v = variantOf(input, prompt);
	const recipe = v
		? `The prompt side (${prompt}) uses ${plural(v.examples, 'few-shot example')} and ${v.hasSystemPrompt ? 'a system prompt' : 'no system prompt'}.`
		: `The prompt side (${prompt}) is not among the reported variants, so its examples were not counted.`;
	return `${general} ${recipe} ${fewShotSentence(input.sweeps, adapter)}`;
}

function fewShotSentence(sweeps: readonly SweepSummary[], adapter: string): string {
	const sweep = sweeps.find((s) => s.kind === 'few-shot');
	if (!sweep) return `No few-shot sweep was run, so how many examples it takes to match the adapter (${adapter}) was not measured.`;
	const xs = sweep.points.map((p) => p.x);
	const range = xs.length > 0 ? ` (${num(Math.min(...xs))} to ${plural(Math.max(...xs), 'example')})` : '';
	const ref = sweep.reference?.label ?? adapter;
	if (sweep.answer === null) return `In the few-shot sweep${range}, no number of examples matched ${ref}.`;
	return `In the few-shot sweep${range}, ${plural(sweep.answer, 'example')} matched ${ref}: its lead was no longer significant after adjustment and the pass rate was within 5 points.`;
}

function resources(input: DimensionsInput): string {
	const { prompt, adapter } = sides(input);
	const labels = prompt !== null && adapter !== null ? [prompt, adapter] : input.costs.map((c) => c.label);
	const parts = [memorySentence(input, labels)];
	if (adapter !== null) parts.push(adapterStorageSentence(costOf(input, adapter), adapter));
	parts.push(prefillSentence(input.breakEven));
	return parts.join(' ');
}

function memorySentence(input: DimensionsInput, labels: readonly string[]): string {
	if (labels.length === 0) return 'GPU memory was not measured (no cost figures).';
	const each = labels.map((l) => {
		const mb = costOf(input, l)?.facts.gpuMemoryMB ?? null;
		return `${l} ${mb === null ? 'not measured (not in the catalog)' : gpuMemory(mb)}`;
	});
	return `GPU memory (catalog estimates): ${joinWords(each)}.`;
}

function adapterStorageSentence(cost: VariantCost | undefined, adapter: string): string {
	if (!cost) return `Storage and download of ${adapter} were not measured.`;
	const f = cost.facts;
	const size = (n: number | null, what: string) => (n === null ? `${what} not measured` : `${what} ${bytes(n)}`);
	const derive = f.deriveMs === null ? 'derive time not measured' : `deriving it took ${duration(f.deriveMs)}`;
	return `${adapter} downloads and stores once: ${size(f.adapterBytes, 'adapter')}, ${size(f.derivedBytes, 'derived model')}, on top of ${size(f.baseBytes, 'base weights')}; ${derive}.`;
}

function prefillSentence(be: BreakEven | null): string {
	if (!be) return 'The per-call prefill cost of the engineered prompt was not measured (no break-even).';
	const tokens = be.extraPromptTokensPerCall;
	const ms = be.extraPrefillMsPerCall;
	const known = [
		tokens === null ? null : `${num(Math.abs(tokens))} ${tokens < 0 ? 'fewer' : 'more'} prompt tokens`,
		ms === null ? null : `${num(Math.abs(ms))} ms ${ms < 0 ? 'less' : 'more'} time to first token`
	].filter((x): x is string => x !== null);
	const unknown = [tokens === null ? 'extra prompt tokens' : null, ms === null ? 'extra time to first token' : null].filter(
		(x): x is string => x !== null
	);
	const head = known.length > 0 ? `Per call, ${be.promptLabel} costs ${joinWords(known)} than ${be.adapterLabel}.` : '';
	const tail =
		unknown.length > 0
			? `The per-call ${joinWords(unknown)} of ${be.promptLabel} ${unknown.length > 1 ? 'were' : 'was'} not measured.`
			: '';
	return [head, tail].filter(Boolean).join(' ');
}

function notMeasured(input: DimensionsInput): string[] {
	const priced = !!input.breakEven?.money && input.breakEven.money.callsToBreakEven !== null;
	const items = [
		priced
			? 'Training time of the adapter (it was trained outside this app; only the one-off price given counts).'
			: 'Training time and cost of the adapter (it was trained outside this app; no one-off price was given).',
		`Quality on inputs outside this test set (${plural(Math.max(0, ...input.variants.map((v) => v.n)), 'item')} measured).`,
		'Latency under concurrent load (several users or requests at once).',
		'GPU memory actually used: browsers do not report it; the figures are the catalog’s.'
	];
	return [...items, ...missingFigures(input)];
}

/** Per-variant figures that may be null, named as the not-measured list says them. */
const VARIANT_FIGURES: [string, (v: ReportVariant) => boolean][] = [
	['Pass rate (no item with a pass value)', (v) => v.passRate === null],
	['Mean score (no scores)', (v) => v.meanScore === null]
];
const COST_FIGURES: [string, (c: VariantCost) => boolean][] = [
	['Prompt tokens', (c) => c.promptTokens === null],
	['Time to first token', (c) => c.timeToFirstTokenMs === null],
	['Prefill speed', (c) => c.prefillTokensPerSec === null],
	['Decode speed', (c) => c.decodeTokensPerSec === null],
	['Total time per item', (c) => c.totalMs === null],
	['GPU memory (not in the catalog)', (c) => c.facts.gpuMemoryMB === null],
	['Base weights size', (c) => c.facts.baseBytes === null]
];

/** Every figure that came out null, grouped by figure with the variants that lack it. */
function missingFigures(input: DimensionsInput): string[] {
	const group = <T extends { label: string }>(items: readonly T[], [what, missing]: [string, (t: T) => boolean]) => {
		const labels = items.filter(missing).map((t) => t.label);
		return labels.length > 0 ? [`${what}: ${joinWords(labels)}.`] : [];
	};
	return [
		...VARIANT_FIGURES.flatMap((f) => group(input.variants, f)),
		...COST_FIGURES.flatMap((f) => group(input.costs, f)),
		...adapterGaps(input),
		...breakEvenGaps(input.breakEven)
	];
}

/** The adapter side's one-off figures (other variants carry no adapter, so null is expected there). */
function adapterGaps(input: DimensionsInput): string[] {
	const adapter = sides(input).adapter;
	const f = costOf(input, adapter)?.facts;
	if (adapter === null || !f) return [];
	const out: string[] = [];
	if (f.adapterBytes === null) out.push(`Adapter size of ${adapter}.`);
	if (f.derivedBytes === null) out.push(`Derived model size of ${adapter}.`);
	if (f.deriveMs === null) out.push(`Derive time of ${adapter}.`);
	return out;
}

function breakEvenGaps(be: BreakEven | null): string[] {
	if (!be) return ['Break-even between the engineered prompt and the adapter (no primary pair with costs).'];
	const out: string[] = [];
	if (be.extraPromptTokensPerCall === null) out.push('Extra prompt tokens per call of the engineered prompt.');
	if (be.extraPrefillMsPerCall === null) out.push('Extra time to first token per call of the engineered prompt.');
	if (be.oneOffMs === null) out.push('The adapter’s one-off time, so the break-even in calls.');
	return out;
}
