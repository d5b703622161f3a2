// Which pairs an experiment compares, and in which orientation: the declared primary pair (prompt
// side first), the other pairs of the 2×2 ablation, each few-shot point against the adapter side and
// each strength point against the base + plain prompt. Only these are computed and Holm-adjusted
// together; every unordered pair of eleven variants would be 55 tests of little interest.
// Pure: no svelte, dexie, DOM or web-llm imports.
import { carriesAdapter } from '../experiment/variants.ts';
import type { ExperimentVariant, VariantSpec } from '../experiment/types.ts';

export interface ExperimentSides {
	/** The prompt side of the primary pair (base + engineered prompt). */
	prompt: ExperimentVariant;
	/** The adapter side of the primary pair (adapter + plain prompt). */
	adapter: ExperimentVariant;
	/** Base + plain prompt, when the 2×2 ablation is there: the strength sweep's reference. */
	basePlain: ExperimentVariant | null;
}

export interface FamilyPairs {
	/** Labels, [prompt side, adapter side]. */
	primary: [string, string] | null;
	secondary: [string, string][];
	/** Every pair to compute: the primary first. */
	all: [string, string][];
}

/**
 * The primary pair's sides: the one whose weights carry an adapter is the adapter side (when both or
 * neither do, the declared order is kept: first = prompt side).
 */
export function experimentSides(
	variants: readonly ExperimentVariant[],
	primary: readonly [string, string] | undefined,
	specOf: (variantId: string) => VariantSpec | undefined
): ExperimentSides | null {
	const ids = primary ?? (variants.length >= 2 ? [variants[0].variantId, variants[1].variantId] : null);
	if (!ids) return null;
	let [first, second] = ids.map((id) => variants.find((v) => v.variantId === id));
	if (!first || !second) return null;
	const adapterFirst = (s?: VariantSpec) => (s ? carriesAdapter(s.model) : false);
	if (adapterFirst(specOf(first.variantId)) && !adapterFirst(specOf(second.variantId))) [first, second] = [second, first];
	const promptSpec = specOf(first.variantId);
	const adapterSpec = specOf(second.variantId);
	// Base + plain: the prompt side's weights with the adapter side's recipe, outside any sweep.
	const basePlain =
		variants.find((v) => {
			const s = specOf(v.variantId);
			return (
				!v.sweep &&
				s !== undefined &&
				promptSpec !== undefined &&
				adapterSpec !== undefined &&
				v.variantId !== first.variantId &&
				!carriesAdapter(s.model) &&
				s.recipeVersionId === adapterSpec.recipeVersionId &&
				s.model.modelId === promptSpec.model.modelId
			);
		}) ?? null;
	return { prompt: first, adapter: second, basePlain };
}

/** The pairs of an experiment, as labels in the orientation the report reads them. */
export function familyPairs(variants: readonly ExperimentVariant[], sides: ExperimentSides | null): FamilyPairs {
	if (!sides) return { primary: null, secondary: [], all: [] };
	const primary: [string, string] = [sides.prompt.label, sides.adapter.label];
	const key = (a: string, b: string) => [a, b].sort().join('\u0000');
	const seen = new Set([key(...primary)]);
	const secondary: [string, string][] = [];
	const add = (a: string, b: string) => {
		if (a === b || seen.has(key(a, b))) return;
		seen.add(key(a, b));
		secondary.push([a, b]);
	};
	// The ablation's variants: untagged ones, and the primary sides even when a sweep names them.
	const sideIds = new Set([sides.prompt.variantId, sides.adapter.variantId]);
	const plain = variants.filter((v) => !v.sweep || sideIds.has(v.variantId));
	for (let i = 0; i < plain.length; i++) for (let j = i + 1; j < plain.length; j++) add(plain[i].label, plain[j].label);
	for (const v of variants) {
		if (v.sweep?.kind === 'few-shot') add(v.label, sides.adapter.label);
		if (v.sweep?.kind === 'strength' && sides.basePlain) add(v.label, sides.basePlain.label);
	}
	return { primary, secondary, all: [primary, ...secondary] };
}
