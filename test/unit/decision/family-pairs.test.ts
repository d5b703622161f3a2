// Covers experimentSides and familyPairs: the adapter side is the one whose weights carry an adapter
// (whatever order the primary pair was declared in), base + plain is found for the strength sweep's
// reference, and the family holds the primary pair (prompt side first), the other 2×2 pairs once
// each, every few-shot point against the adapter side and every strength point against base + plain.
import { describe, expect, test } from 'vitest';
import { experimentSides, familyPairs } from '../../../src/domain/decision/family-pairs.ts';
import type { ExperimentVariant, ModelRef, VariantSpec } from '../../../src/domain/experiment/types.ts';
import { makeVariantSpec } from '../../factories/rows.ts';

const base: ModelRef = { source: 'endpoint', modelId: 'oracle-base', adapter: { convention: 'llamacpp', id: 0, scale: 0 } };
const tuned: ModelRef = { source: 'endpoint', modelId: 'oracle-base', adapter: { convention: 'llamacpp', id: 0, scale: 1 } };
const spec = (model: ModelRef, recipeVersionId: string): VariantSpec => makeVariantSpec({ model, recipeVersionId });

const specs = new Map<string, VariantSpec>([
	['be', spec(base, 'engineered')],
	['ap', spec(tuned, 'plain')],
	['bp', spec(base, 'plain')],
	['ae', spec(tuned, 'engineered')],
	['k0', spec(base, 'engineered-0')],
	['s05', spec({ ...tuned, adapter: { convention: 'llamacpp', id: 0, scale: 0.5 } }, 'plain')]
]);
const v = (variantId: string, label: string, sweep?: ExperimentVariant['sweep']): ExperimentVariant => ({
	variantId,
	label,
	...(sweep ? { sweep } : {})
});
const ablation = [v('be', 'BE'), v('ap', 'AP'), v('bp', 'BP'), v('ae', 'AE')];

describe('experimentSides', () => {
	test('the adapter side is the variant with an adapter, even when declared first', () => {
		const sides = experimentSides(ablation, ['ap', 'be'], (id) => specs.get(id));
		expect(sides?.prompt.variantId).toBe('be');
		expect(sides?.adapter.variantId).toBe('ap');
		// base weights (scale 0) with the adapter side's recipe
		expect(sides?.basePlain?.variantId).toBe('bp');
	});

	test('without a declared primary the first two variants are the pair; no 2×2 means no base + plain', () => {
		const sides = experimentSides(ablation.slice(0, 2), undefined, (id) => specs.get(id));
		expect([sides?.prompt.label, sides?.adapter.label, sides?.basePlain]).toEqual(['BE', 'AP', null]);
	});

	test('a primary naming a variant that is not there gives no sides', () => {
		expect(experimentSides(ablation, ['be', 'gone'], (id) => specs.get(id))).toBeNull();
	});
});

describe('familyPairs', () => {
	test('the 2×2: the primary pair and the five other pairs, each once', () => {
		const sides = experimentSides(ablation, ['be', 'ap'], (id) => specs.get(id));
		const f = familyPairs(ablation, sides);
		expect(f.primary).toEqual(['BE', 'AP']);
		// 4 variants make 6 unordered pairs; the primary is not repeated among the secondary ones
		expect(f.secondary).toEqual([
			['BE', 'BP'],
			['BE', 'AE'],
			['AP', 'BP'],
			['AP', 'AE'],
			['BP', 'AE']
		]);
		expect(f.all).toEqual([['BE', 'AP'], ...f.secondary]);
	});

	test('sweep points: few-shot against the adapter side, strength against base + plain, the tagged primary side not repeated', () => {
		const variants = [
			v('be', 'BE', { kind: 'few-shot', examples: 2 }),
			v('ap', 'AP', { kind: 'strength', scale: 1 }),
			v('bp', 'BP'),
			v('k0', 'K0', { kind: 'few-shot', examples: 0 }),
			v('s05', 'S05', { kind: 'strength', scale: 0.5 })
		];
		const sides = experimentSides(variants, ['be', 'ap'], (id) => specs.get(id));
		const f = familyPairs(variants, sides);
		expect(f.primary).toEqual(['BE', 'AP']);
		expect(f.secondary).toEqual([
			['BE', 'BP'],
			['AP', 'BP'],
			['K0', 'AP'],
			['S05', 'BP']
		]);
	});

	test('no sides, no pairs', () => {
		expect(familyPairs(ablation, null)).toEqual({ primary: null, secondary: [], all: [] });
	});
});
