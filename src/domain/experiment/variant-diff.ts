// Every way in which a comparison's variants differ — engine, weights, family, quantization, chat
// template, prompt parts and each sampling field — so the results can show it next to the numbers.
// Pure: no svelte, dexie, DOM or web-llm imports.
import { stableStringify } from '../recipes/hash.ts';
import type { SamplingSettings } from '../engine/types.ts';
import { describeWeights } from './variants.ts';
import type { VariantSpec } from './types.ts';

/** Facts about a model id the variant spec does not hold itself (from the catalog). */
export interface ModelFacts {
	family: string | null;
	quantization: string | null;
	/** The chat template (web-llm conv_template name) when known. */
	chatTemplate: string | null;
}

export interface VariantDifference {
	aspect: string;
	/** One value per variant, in the variants' order, as text. */
	values: string[];
}

const SAMPLING_FIELDS: [keyof SamplingSettings, string][] = [
	['temperature', 'Temperature'],
	['topP', 'Top p'],
	['maxTokens', 'Max tokens'],
	['seed', 'Seed'],
	['presencePenalty', 'Presence penalty'],
	['frequencyPenalty', 'Frequency penalty'],
	['repetitionPenalty', 'Repetition penalty'],
	['stop', 'Stop strings']
];

function show(v: unknown): string {
	if (v === undefined || v === null || v === '') return '(default)';
	return Array.isArray(v) ? v.map((s) => JSON.stringify(s)).join(', ') : String(v);
}

/**
 * The aspects whose value is not the same for every variant (none when all agree).
 * @param facts looks up family, quantization and chat template of a spec's model
 */
export function variantDifferences(specs: readonly VariantSpec[], facts: (spec: VariantSpec) => ModelFacts): VariantDifference[] {
	const f = specs.map(facts);
	const rows: VariantDifference[] = [
		{
			aspect: 'Engine',
			values: specs.map((s) => (s.engine.kind === 'webllm' ? 'this browser' : `endpoint ${s.engine.baseUrl ?? ''}`.trim()))
		},
		{ aspect: 'Weights', values: specs.map((s) => describeWeights(s.model)) },
		{ aspect: 'Model family', values: f.map((x) => show(x.family)) },
		{ aspect: 'Quantization', values: f.map((x) => show(x.quantization)) },
		{ aspect: 'Chat template', values: f.map((x) => show(x.chatTemplate)) },
		{ aspect: 'Recipe', values: specs.map((s) => s.recipeName || '(unsaved)') },
		{
			aspect: 'System prompt',
			values: specs.map((s) => (s.recipe.system.trim() ? `${s.recipe.system.trim().length} characters` : 'none'))
		},
		{ aspect: 'Few-shot examples', values: specs.map((s) => String(s.recipe.examples.length)) },
		{ aspect: 'Template', values: specs.map((s) => s.recipe.template) },
		...SAMPLING_FIELDS.map(([key, aspect]) => ({ aspect, values: specs.map((s) => show(s.sampling[key])) }))
	];
	return rows.filter((r) => new Set(r.values.map((v) => stableStringify(v))).size > 1);
}
