import { describe, expect, it } from 'vitest';
import { ablation, defaultPair, describeWeights, effectiveSampling } from '../../../src/domain/experiment/variants.ts';
import { reuseKey } from '../../../src/domain/experiment/reuse-key.ts';
import { variantDifferences } from '../../../src/domain/experiment/variant-diff.ts';
import type { RecipeContent } from '../../../src/domain/recipes/types.ts';

const plainContent: RecipeContent = {
	system: '',
	examples: [],
	template: '{{review}}',
	sampling: { temperature: 0.7 },
	variableDefaults: {}
};
const engineeredContent: RecipeContent = {
	system: 'Label the sentiment.',
	examples: [{ user: 'Great!', assistant: 'positive' }],
	template: 'Review: {{review}}',
	sampling: { temperature: 0.2, maxTokens: 8 },
	variableDefaults: {}
};
const plain = { versionId: 'p1', name: 'Plain', content: plainContent };
const engineered = { versionId: 'e1', name: 'Engineered', content: engineeredContent };
const base = { engine: { kind: 'webllm' as const }, model: { source: 'prebuilt' as const, modelId: 'Qwen2.5-0.5B-Instruct-q0f16-MLC' } };
const adapter = {
	engine: { kind: 'webllm' as const },
	model: {
		source: 'derived' as const,
		modelId: 'd-1',
		baseModelId: 'Qwen2.5-0.5B-Instruct-q0f16-MLC',
		adapterId: 'abcdef0123456789',
		scale: 1
	}
};

describe('variants', () => {
	it('shared sampling overrides the recipe field by field, leaving the rest', () => {
		expect(effectiveSampling({ temperature: 0.7, topP: 0.9 }, { temperature: 0, seed: 42, maxTokens: undefined })).toEqual({
			temperature: 0,
			topP: 0.9,
			seed: 42
		});
	});

	it('the default pair is base + engineered against adapter + plain', () => {
		const [a, b] = defaultPair(base, adapter, plain, engineered, { seed: 7 });
		expect(a.label).toBe('Base + engineered prompt');
		expect(a.spec.model).toEqual(base.model);
		expect(a.spec.recipeVersionId).toBe('e1');
		expect(a.spec.sampling).toEqual({ temperature: 0.2, maxTokens: 8, seed: 7 });
		expect(b.spec.model).toEqual(adapter.model);
		expect(b.spec.recipeVersionId).toBe('p1');
	});

	it('the ablation holds all four model × recipe combinations once', () => {
		const combos = ablation(base, adapter, plain, engineered).map((v) => `${v.spec.model.source}/${v.spec.recipeVersionId}`);
		expect(combos.sort()).toEqual(['derived/e1', 'derived/p1', 'prebuilt/e1', 'prebuilt/p1']);
	});

	it('names the exact weights', () => {
		expect(describeWeights(adapter.model)).toBe('Qwen2.5-0.5B-Instruct-q0f16-MLC + LoRA abcdef01 × 1');
	});

	it('lists only the aspects in which variants differ', () => {
		const specs = defaultPair(base, adapter, plain, engineered, { seed: 1 }).map((v) => v.spec);
		const facts = () => ({ family: 'Qwen2.5', quantization: 'q0f16', chatTemplate: 'qwen2' });
		const aspects = variantDifferences(specs, facts).map((d) => d.aspect);
		expect(aspects).toEqual(['Weights', 'Recipe', 'System prompt', 'Few-shot examples', 'Template', 'Temperature', 'Max tokens']);
	});
});

describe('reuse key', () => {
	const input = { engineVersion: 'web-llm 0.2.86', modelRecord: { model_id: 'x' }, variantId: 'v', itemHash: 'h', seed: 42 };
	it('is nothing without a fixed seed', async () => {
		expect(await reuseKey({ ...input, seed: undefined })).toBeNull();
	});
	it('is stable for equal inputs and changes with the engine version or the model record', async () => {
		const k = await reuseKey(input);
		expect(k).toMatch(/^[0-9a-f]{64}$/);
		expect(await reuseKey({ ...input })).toBe(k);
		expect(await reuseKey({ ...input, engineVersion: 'web-llm 0.2.87' })).not.toBe(k);
		expect(await reuseKey({ ...input, modelRecord: { model_id: 'y' } })).not.toBe(k);
	});
});

import { etaSeconds, pendingSteps, slotKey } from '../../../src/domain/experiment/batch-plan.ts';

describe('batch plan', () => {
	const done = new Set([slotKey('A', 'i1'), slotKey('B', 'i2')]);
	it('together: one step per item with every variant still missing', () => {
		expect(pendingSteps(['A', 'B'], ['i1', 'i2', 'i3'], done, 'together')).toEqual([
			[{ variantId: 'B', itemId: 'i1' }],
			[{ variantId: 'A', itemId: 'i2' }],
			[
				{ variantId: 'A', itemId: 'i3' },
				{ variantId: 'B', itemId: 'i3' }
			]
		]);
	});
	it('sequential: variant by variant, one slot per step, skipping done slots', () => {
		expect(pendingSteps(['A', 'B'], ['i1', 'i2'], done, 'sequential')).toEqual([
			[{ variantId: 'A', itemId: 'i2' }],
			[{ variantId: 'B', itemId: 'i1' }]
		]);
	});
	it('time left is the session pace times what remains', () => {
		expect(etaSeconds(10, 4, 2000)).toBe(5);
		expect(etaSeconds(10, 0, 0)).toBeNull();
	});
});
