// The few-shot and adapter-strength sweeps' variants: which example counts and scales are swept,
// the specs and labels of each point, the refusals (vLLM, DoRA, no adapter) and typed scale lists.
// Expected values are worked out by hand from the fixtures below.
import { describe, expect, it } from 'vitest';
import { fewShotCounts, fewShotSweep, parseScales, strengthSweep } from '../../../src/domain/decision/sweep-variants.ts';
import { type ModelChoice, variantSpec } from '../../../src/domain/experiment/variants.ts';
import type { RecipeContent } from '../../../src/domain/recipes/types.ts';

const examples = [
	{ user: 'Great!', assistant: 'positive' },
	{ user: 'Awful.', assistant: 'negative' },
	{ user: 'Fine, I guess.', assistant: 'neutral' }
];
const engineeredContent: RecipeContent = {
	system: 'Label the sentiment.',
	examples,
	template: 'Review: {{review}}',
	sampling: { temperature: 0.2, maxTokens: 8 },
	variableDefaults: {}
};
const plainContent: RecipeContent = {
	system: '',
	examples: [],
	template: '{{review}}',
	sampling: { temperature: 0.7 },
	variableDefaults: {}
};
const engineered = { versionId: 'e1', name: 'Engineered', content: engineeredContent };
const plain = { versionId: 'p1', name: 'Plain', content: plainContent };
const base: ModelChoice = { engine: { kind: 'webllm' }, model: { source: 'prebuilt', modelId: 'Qwen2.5-0.5B-Instruct-q0f16-MLC' } };
const derivedAt = (scale: number): ModelChoice => ({
	engine: { kind: 'webllm' },
	model: { source: 'derived', modelId: `d-${scale}`, baseModelId: 'Qwen2.5-0.5B-Instruct-q0f16-MLC', adapterId: 'abcdef0123456789', scale }
});
const endpoint = { kind: 'endpoint' as const, baseUrl: 'http://localhost:8080/v1' };
const llamacpp: ModelChoice = {
	engine: endpoint,
	model: { source: 'endpoint', modelId: 'qwen', adapter: { convention: 'llamacpp', id: 0, scale: 1, name: 'sentiment' } }
};
const vllm: ModelChoice = {
	engine: endpoint,
	model: { source: 'endpoint', modelId: 'qwen', adapter: { convention: 'vllm', name: 'sentiment' } }
};

describe('fewShotCounts', () => {
	it('takes 0, 1, 2, 4 and 8 examples, as many as the recipe has', () => {
		expect(fewShotCounts(0)).toEqual([0]);
		expect(fewShotCounts(1)).toEqual([0, 1]);
		expect(fewShotCounts(3)).toEqual([0, 1, 2, 3]);
		expect(fewShotCounts(4)).toEqual([0, 1, 2, 4]);
		expect(fewShotCounts(8)).toEqual([0, 1, 2, 4, 8]);
		expect(fewShotCounts(12)).toEqual([0, 1, 2, 4, 8]);
	});

	it('sorts and de-duplicates a custom list and refuses non-integers', () => {
		expect(fewShotCounts(5, [4, 0, 4, 2])).toEqual([0, 2, 4]);
		expect(fewShotCounts(3, [6, 1])).toEqual([1, 3]);
		expect(() => fewShotCounts(2.5)).toThrow(RangeError);
		expect(() => fewShotCounts(3, [1, -1])).toThrow(RangeError);
	});
});

describe('fewShotSweep', () => {
	const sweep = fewShotSweep(base, engineered, { seed: 7 });

	it('has one variant per count, labelled and tagged', () => {
		expect(sweep.map((v) => v.label)).toEqual([
			'Base + engineered prompt, 0 examples',
			'Base + engineered prompt, 1 example',
			'Base + engineered prompt, 2 examples',
			'Base + engineered prompt, 3 examples'
		]);
		expect(sweep.map((v) => v.sweep)).toEqual([0, 1, 2, 3].map((examples) => ({ kind: 'few-shot', examples })));
	});

	it('at all the examples is exactly the comparison’s own base + engineered variant', () => {
		expect(sweep[3].spec).toEqual(variantSpec(base, engineered, { seed: 7 }));
		expect(fewShotSweep(base, engineered)[3].spec).toEqual(variantSpec(base, engineered));
	});

	it('keeps only the first k examples and everything else', () => {
		const zero = sweep[0].spec;
		expect(zero.recipe.examples).toEqual([]);
		expect(zero.recipe.system).toBe('Label the sentiment.');
		expect(zero.recipe.template).toBe('Review: {{review}}');
		expect(zero.sampling).toEqual({ temperature: 0.2, maxTokens: 8, seed: 7 });
		expect(zero.model).toEqual(base.model);
		expect(zero.recipeVersionId).toBe('e1');
		expect(sweep[2].spec.recipe.examples).toEqual([examples[0], examples[1]]);
		// The recipe itself is not touched.
		expect(engineered.content.examples).toHaveLength(3);
	});
});

describe('strengthSweep', () => {
	it('llama.cpp: one variant per scale with the per-request scale set', () => {
		const s = strengthSweep(llamacpp, plain, { shared: { seed: 1 } });
		expect(s.refusal).toBeNull();
		expect(s.missing).toEqual([]);
		expect(s.variants.map((v) => v.label)).toEqual([
			'Adapter × 0.25 + plain prompt',
			'Adapter × 0.5 + plain prompt',
			'Adapter × 1 + plain prompt',
			'Adapter × 1.5 + plain prompt'
		]);
		expect(s.variants.map((v) => v.sweep)).toEqual([0.25, 0.5, 1, 1.5].map((scale) => ({ kind: 'strength', scale })));
		expect(s.variants[1].spec.model).toEqual({
			source: 'endpoint',
			modelId: 'qwen',
			adapter: { convention: 'llamacpp', id: 0, scale: 0.5, name: 'sentiment' }
		});
		expect(s.variants[1].spec.engine).toEqual(endpoint);
		expect(s.variants[1].spec.recipeVersionId).toBe('p1');
		expect(s.variants[1].spec.sampling).toEqual({ temperature: 0.7, seed: 1 });
		// Scale 1 is the adapter as configured: the same spec as the comparison's adapter + plain.
		expect(s.variants[2].spec).toEqual(variantSpec(llamacpp, plain, { seed: 1 }));
	});

	it('sorts the given scales', () => {
		const s = strengthSweep(llamacpp, plain, { scales: [2, 0.5] });
		expect(s.variants.map((v) => v.sweep)).toEqual([
			{ kind: 'strength', scale: 0.5 },
			{ kind: 'strength', scale: 2 }
		]);
	});

	it('refuses vLLM, DoRA and a model without an adapter', () => {
		expect(strengthSweep(vllm, plain)).toEqual({
			variants: [],
			missing: [],
			refusal:
				"vLLM serves an adapter at the scale it was loaded with; a strength sweep needs llama.cpp's per-request scale or adapters derived in this browser."
		});
		expect(strengthSweep(derivedAt(1), plain, { isDora: true, derived: derivedAt })).toEqual({
			variants: [],
			missing: [],
			refusal: 'DoRA adapters are refused (only plain LoRA can be merged), so there is nothing to sweep.'
		});
		const none = strengthSweep(base, plain);
		expect(none.variants).toEqual([]);
		expect(none.refusal).toMatch(/needs the adapter side/);
		const bareEndpoint: ModelChoice = { engine: endpoint, model: { source: 'endpoint', modelId: 'qwen' } };
		expect(strengthSweep(bareEndpoint, plain).refusal).toMatch(/needs the adapter side/);
	});

	it('derived: uses the derived models it is given and lists the missing scales', () => {
		const s = strengthSweep(derivedAt(1), plain, { derived: (scale) => (scale === 0.5 ? null : derivedAt(scale)) });
		expect(s.refusal).toBeNull();
		expect(s.missing).toEqual([0.5]);
		expect(s.variants.map((v) => v.sweep)).toEqual([0.25, 1, 1.5].map((scale) => ({ kind: 'strength', scale })));
		expect(s.variants[0].spec.model).toEqual(derivedAt(0.25).model);
		expect(s.variants[0].label).toBe('Adapter × 0.25 + plain prompt');
	});

	it('derived without a lookup: only the adapter’s own scale is there', () => {
		const s = strengthSweep(derivedAt(1), plain);
		expect(s.variants.map((v) => v.spec)).toEqual([variantSpec(derivedAt(1), plain)]);
		expect(s.missing).toEqual([0.25, 0.5, 1.5]);
	});

	it('throws when the lookup returns another adapter', () => {
		const other = (scale: number): ModelChoice => ({
			engine: { kind: 'webllm' },
			model: { source: 'derived', modelId: 'x', baseModelId: 'Qwen2.5-0.5B-Instruct-q0f16-MLC', adapterId: 'ffff', scale }
		});
		expect(() => strengthSweep(derivedAt(1), plain, { derived: other })).toThrow(/not Qwen2.5-0.5B-Instruct-q0f16-MLC \+ LoRA abcdef01/);
	});

	it('throws a RangeError for bad scales', () => {
		for (const scales of [[0], [-1], [5], [Number.NaN], [Infinity], [1, 1], []]) {
			expect(() => strengthSweep(llamacpp, plain, { scales })).toThrow(RangeError);
		}
		expect(() => strengthSweep(llamacpp, plain, { scales: [4] })).not.toThrow();
	});
});

describe('parseScales', () => {
	it('reads commas and spaces, sorted', () => {
		expect(parseScales('0.5, 1 1.5')).toEqual([0.5, 1, 1.5]);
		expect(parseScales(' 1.5,0.25 ,, 4 ')).toEqual([0.25, 1.5, 4]);
		expect(parseScales('.5')).toEqual([0.5]);
	});

	it('names the bad entry', () => {
		expect(() => parseScales('0')).toThrow(RangeError);
		expect(() => parseScales('0')).toThrow(/"0"/);
		expect(() => parseScales('0.5, -1')).toThrow(/"-1"/);
		expect(() => parseScales('abc')).toThrow(/"abc" is not a number/);
		expect(() => parseScales('1, 5')).toThrow(/"5" is out of range/);
		expect(() => parseScales('1, 0.5, 1.0')).toThrow(/"1.0" is given twice/);
		expect(() => parseScales('0x1')).toThrow(RangeError);
		expect(() => parseScales('  ')).toThrow(RangeError);
	});
});
