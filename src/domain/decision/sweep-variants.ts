// The variants of the two sweeps: the engineered prompt with 0, 1, 2, 4 and 8 of its examples (how
// many examples does it take to match the adapter?) and the adapter at several strengths (does a
// weaker or stronger LoRA do better?). Each point is an ordinary content-hashed variant tagged with
// its place in the sweep. Pure: no svelte, dexie, DOM, worker or web-llm imports.
import type { SamplingSettings } from '../engine/types.ts';
import { type LabelledSpec, type ModelChoice, type RecipeChoice, variantSpec } from '../experiment/variants.ts';
import type { SweepTag } from './types.ts';

/** One point of a sweep: a labelled spec and its tag (stored on ExperimentVariant.sweep). */
export interface SweepVariant extends LabelledSpec {
	sweep: SweepTag;
}

export const DEFAULT_EXAMPLE_COUNTS: readonly number[] = [0, 1, 2, 4, 8];
export const DEFAULT_SCALES: readonly number[] = [0.25, 0.5, 1, 1.5];
/** Beyond about 4× the trained strength a LoRA's delta swamps the base weights; a typo more likely than a plan. */
export const MAX_SCALE = 4;

const nonNegativeInteger = (x: number) => Number.isInteger(x) && x >= 0;

/**
 * The example counts of the few-shot sweep: the wanted counts the recipe can fill, plus all of its
 * examples when it has fewer than the largest wanted count (3 examples → 0, 1, 2, 3).
 * @throws RangeError when `available` or a wanted count is not an integer ≥ 0
 */
export function fewShotCounts(available: number, wanted: readonly number[] = DEFAULT_EXAMPLE_COUNTS): number[] {
	if (!nonNegativeInteger(available)) throw new RangeError(`The number of examples must be an integer ≥ 0, got ${available}.`);
	const bad = wanted.find((k) => !nonNegativeInteger(k));
	if (bad !== undefined) throw new RangeError(`Example counts must be integers ≥ 0, got ${bad}.`);
	const counts = new Set(wanted.filter((k) => k <= available));
	if (wanted.length > 0 && available < Math.max(...wanted)) counts.add(available);
	return [...counts].sort((x, y) => x - y);
}

const examplesLabel = (k: number) => `${k} example${k === 1 ? '' : 's'}`;

/**
 * The few-shot sweep: the engineered recipe with only its first k examples, everything else (system
 * prompt, template, sampling, version id) unchanged. At k = all its examples the spec equals
 * variantSpec(base, engineered, shared), so that point is the comparison's own "base + engineered"
 * variant (same hash) and its results are reused.
 */
export function fewShotSweep(
	base: ModelChoice,
	engineered: RecipeChoice,
	shared?: SamplingSettings,
	wanted?: readonly number[]
): SweepVariant[] {
	const examples = engineered.content.examples;
	return fewShotCounts(examples.length, wanted).map((k) => ({
		label: `Base + engineered prompt, ${examplesLabel(k)}`,
		spec: variantSpec(base, { ...engineered, content: { ...engineered.content, examples: examples.slice(0, k) } }, shared),
		sweep: { kind: 'few-shot', examples: k }
	}));
}

/**
 * Checks a list of adapter scales: each finite, > 0 and ≤ MAX_SCALE, none twice; returns them sorted
 * ascending (the order typed does not matter).
 * @throws RangeError naming the first bad scale, or when the list is empty
 */
export function checkScales(scales: readonly number[]): number[] {
	if (scales.length === 0) throw new RangeError('No scales given: enter at least one, e.g. 0.5, 1, 1.5.');
	const seen = new Set<number>();
	for (const s of scales) {
		if (!Number.isFinite(s) || s <= 0 || s > MAX_SCALE) {
			throw new RangeError(`Scale ${s} is out of range: each scale must be greater than 0 and at most ${MAX_SCALE}.`);
		}
		if (seen.has(s)) throw new RangeError(`Scale ${s} is given twice.`);
		seen.add(s);
	}
	return [...seen].sort((x, y) => x - y);
}

// Plain decimals only: Number() would also accept "", "0x1", "Infinity" and "1e400".
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A user-typed list of scales ("0.5, 1 1.5"), separated by commas and/or spaces, checked like
 * checkScales and sorted ascending.
 * @throws RangeError naming the entry that is not a number, out of range or repeated
 */
export function parseScales(text: string): number[] {
	const entries = text.split(/[\s,]+/).filter((e) => e !== '');
	if (entries.length === 0) throw new RangeError('No scales given: enter at least one, e.g. 0.5, 1, 1.5.');
	const seen = new Set<number>();
	for (const e of entries) {
		const s = Number(e);
		if (!DECIMAL_RE.test(e) || !Number.isFinite(s)) throw new RangeError(`"${e}" is not a number; scales look like 0.5 or 1.5.`);
		if (s <= 0 || s > MAX_SCALE) {
			throw new RangeError(`Scale "${e}" is out of range: each scale must be greater than 0 and at most ${MAX_SCALE}.`);
		}
		if (seen.has(s)) throw new RangeError(`Scale "${e}" is given twice.`);
		seen.add(s);
	}
	return [...seen].sort((x, y) => x - y);
}

export interface StrengthSweepOptions {
	/** Default DEFAULT_SCALES. */
	scales?: readonly number[];
	shared?: SamplingSettings;
	/**
	 * Derived web-llm adapters: the derived model (same base and adapter) at that scale, or null when
	 * it has not been derived yet. Without it only the adapter's own scale is available.
	 */
	derived?: (scale: number) => ModelChoice | null;
	/** The adapter is DoRA (adapter_config.json use_dora, see lora/adapter-config.ts unsupportedFeatures). */
	isDora?: boolean;
}

export interface StrengthSweep {
	variants: SweepVariant[];
	/** Scales with no derived model yet: the caller derives them and calls again. */
	missing: number[];
	/** Why there is no sweep at all; null when there is one. */
	refusal: string | null;
}

export const VLLM_REFUSAL =
	"vLLM serves an adapter at the scale it was loaded with; a strength sweep needs llama.cpp's per-request scale or adapters derived in this browser.";
export const DORA_REFUSAL = 'DoRA adapters are refused (only plain LoRA can be merged), so there is nothing to sweep.';
export const NO_ADAPTER_REFUSAL = 'A strength sweep needs the adapter side: this model carries no LoRA adapter to scale.';

const refused = (refusal: string): StrengthSweep => ({ variants: [], missing: [], refusal });

/**
 * The adapter-strength sweep: the adapter + plain prompt at each scale. llama.cpp endpoints take the
 * scale per request (the adapter's `scale` field); derived web-llm models need one derived model per
 * scale (`derived`); vLLM, DoRA and adapter-less models are refused with a sentence saying why.
 * @throws RangeError when a scale is not finite, not in (0, MAX_SCALE] or repeated
 * @throws Error when `derived` returns a model that is not the same adapter at the asked scale
 */
export function strengthSweep(adapter: ModelChoice, plain: RecipeChoice, opts: StrengthSweepOptions = {}): StrengthSweep {
	const scales = checkScales(opts.scales ?? DEFAULT_SCALES);
	const model = adapter.model;
	const hasAdapter = model.source === 'derived' || (model.source === 'endpoint' && model.adapter !== undefined);
	if (!hasAdapter) return refused(NO_ADAPTER_REFUSAL);
	if (opts.isDora) return refused(DORA_REFUSAL);

	const point = (scale: number, choice: ModelChoice): SweepVariant => ({
		label: `Adapter × ${scale} + plain prompt`,
		spec: variantSpec(choice, plain, opts.shared),
		sweep: { kind: 'strength', scale }
	});

	if (model.source === 'endpoint') {
		const a = model.adapter!;
		if (a.convention === 'vllm') return refused(VLLM_REFUSAL);
		return {
			variants: scales.map((scale) => point(scale, { engine: adapter.engine, model: { ...model, adapter: { ...a, scale } } })),
			missing: [],
			refusal: null
		};
	}

	if (model.source !== 'derived') return refused(NO_ADAPTER_REFUSAL);
	const variants: SweepVariant[] = [];
	const missing: number[] = [];
	for (const scale of scales) {
		// The adapter itself already is the derived model at its own scale.
		const choice = opts.derived?.(scale) ?? (scale === model.scale ? adapter : null);
		if (!choice) {
			missing.push(scale);
			continue;
		}
		const m = choice.model;
		if (m.source !== 'derived' || m.baseModelId !== model.baseModelId || m.adapterId !== model.adapterId || m.scale !== scale) {
			throw new Error(
				`derived(${scale}) returned ${m.modelId}, which is not ${model.baseModelId} + LoRA ${model.adapterId.slice(0, 8)} × ${scale}.`
			);
		}
		variants.push(point(scale, choice));
	}
	return { variants, missing, refusal: null };
}
