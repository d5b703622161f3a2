// Builds the comparison's variants: the default pair (base + engineered prompt against adapter +
// plain prompt) and the 2×2 ablation (base/adapter × plain/engineered), with one shared sampling
// applied to every variant unless a variant overrides it. Pure: no svelte, dexie, DOM or web-llm.
import type { SamplingSettings } from '../engine/types.ts';
import type { RecipeContent } from '../recipes/types.ts';
import type { ModelRef, VariantSpec } from './types.ts';

/** A saved recipe version, as a variant snapshots it. */
export interface RecipeChoice {
	versionId: string;
	name: string;
	content: RecipeContent;
}

/** One side of the debate: where it runs and which exact weights. */
export interface ModelChoice {
	engine: VariantSpec['engine'];
	model: ModelRef;
}

export interface LabelledSpec {
	label: string;
	spec: VariantSpec;
}

/**
 * The sampling a variant runs with: the recipe's own settings, then the comparison's shared
 * settings on top (undefined fields in `shared` keep the recipe's value).
 */
export function effectiveSampling(recipe: SamplingSettings, shared: SamplingSettings = {}): SamplingSettings {
	const out: SamplingSettings = { ...recipe };
	for (const [key, value] of Object.entries(shared) as [keyof SamplingSettings, unknown][]) {
		if (value !== undefined) (out as Record<string, unknown>)[key] = value;
	}
	return out;
}

/** A variant spec from a model choice and a recipe version. */
export function variantSpec(model: ModelChoice, recipe: RecipeChoice, shared?: SamplingSettings): VariantSpec {
	return {
		engine: { ...model.engine },
		model: structuredClone(model.model),
		recipeVersionId: recipe.versionId,
		recipeName: recipe.name,
		recipe: structuredClone(recipe.content),
		sampling: effectiveSampling(recipe.content.sampling, shared)
	};
}

/** The fine-tune-or-prompt question as two variants: base + engineered vs adapter + plain. */
export function defaultPair(
	base: ModelChoice,
	adapter: ModelChoice,
	plain: RecipeChoice,
	engineered: RecipeChoice,
	shared?: SamplingSettings
): LabelledSpec[] {
	return [
		{ label: 'Base + engineered prompt', spec: variantSpec(base, engineered, shared) },
		{ label: 'Adapter + plain prompt', spec: variantSpec(adapter, plain, shared) }
	];
}

/** The 2×2 ablation: the default pair first, then base + plain and adapter + engineered. */
export function ablation(
	base: ModelChoice,
	adapter: ModelChoice,
	plain: RecipeChoice,
	engineered: RecipeChoice,
	shared?: SamplingSettings
): LabelledSpec[] {
	return [
		...defaultPair(base, adapter, plain, engineered, shared),
		{ label: 'Base + plain prompt', spec: variantSpec(base, plain, shared) },
		{ label: 'Adapter + engineered prompt', spec: variantSpec(adapter, engineered, shared) }
	];
}

/** The exact weights of a model reference, in words ("Qwen2.5-0.5B… + LoRA 1a2b3c4d × 0.5"). */
export function describeWeights(model: ModelRef): string {
	switch (model.source) {
		case 'prebuilt':
			return model.modelId;
		case 'derived':
			return `${model.baseModelId} + LoRA ${model.adapterId.slice(0, 8)} × ${model.scale}`;
		case 'endpoint': {
			const a = model.adapter;
			if (!a) return model.modelId;
			if (a.convention === 'vllm') return `${model.modelId} (vLLM adapter ${a.name})`;
			return a.scale === 0
				? `${model.modelId} (llama.cpp, adapters at scale 0)`
				: `${model.modelId} + llama.cpp adapter ${a.name ?? `#${a.id}`} × ${a.scale}`;
		}
	}
}

/** Whether these weights apply a LoRA adapter (a derived model, a vLLM adapter, a llama.cpp scale ≠ 0). */
export function carriesAdapter(model: ModelRef): boolean {
	if (model.source === 'derived') return true;
	if (model.source !== 'endpoint' || !model.adapter) return false;
	return model.adapter.convention === 'vllm' || model.adapter.scale !== 0;
}
