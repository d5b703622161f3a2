// Covers ExperimentSetup: a recipe whose template uses a variable the test set has no column for
// blocks creating the comparison, with the reason; a fitting pair of recipes enables it and hands
// the default pair (base + engineered, adapter + plain) to onCreate.
import { flushSync } from 'svelte';
import { describe, expect, test, vi } from 'vitest';
import ExperimentSetup from '../../../src/components/compare/ExperimentSetup.svelte';
import type { LabelledSpec } from '../../../src/domain/experiment/variants.ts';
import { makeTestSet } from '../../factories/rows.ts';
import { button, render } from './helpers.ts';

const recipe = (versionId: string, template: string) => ({
	versionId,
	name: `${versionId} (v1)`,
	content: { system: '', examples: [], template, sampling: {}, variableDefaults: {} }
});
const models = [
	{
		key: 'b',
		label: 'base model',
		adapter: false,
		choice: { engine: { kind: 'webllm' as const }, model: { source: 'prebuilt' as const, modelId: 'base' } }
	},
	{
		key: 'a',
		label: 'adapter model',
		adapter: true,
		choice: {
			engine: { kind: 'webllm' as const },
			model: { source: 'derived' as const, modelId: 'd', baseModelId: 'base', adapterId: 'f'.repeat(64), scale: 1 }
		}
	}
];

function choose(root: HTMLElement, label: string, value: string) {
	const select = [...root.querySelectorAll('label')].find((l) => l.textContent?.trim().startsWith(label))!.querySelector('select')!;
	select.value = value;
	select.dispatchEvent(new Event('change', { bubbles: true }));
	flushSync();
}

describe('ExperimentSetup', () => {
	test('a template variable with no column blocks the comparison, with the reason', () => {
		const onCreate = vi.fn();
		const set = makeTestSet({ id: 't', name: 'Reviews', columns: ['review'] });
		const root = render(ExperimentSetup, {
			models,
			recipes: [recipe('plain', '{{text}}'), recipe('engineered', 'Review: {{review}}')],
			testSets: [set],
			onCreate
		});
		choose(root, 'Test set', 't');
		choose(root, 'Base model', 'b');
		choose(root, 'Same model with the LoRA adapter', 'a');
		choose(root, 'Plain recipe', 'plain');
		choose(root, 'Engineered recipe', 'engineered');
		expect(root.textContent).toContain(
			'The plain recipe does not fit the test set "Reviews": the template uses {{text}} but the test set has no column "text"'
		);
		expect(button(root, 'Create the pair').disabled).toBe(true);
	});

	test('fitting recipes make the default pair', () => {
		const onCreate = vi.fn<(name: string, testSetId: string, specs: LabelledSpec[]) => void>();
		const set = makeTestSet({ id: 't', name: 'Reviews', columns: ['review'] });
		const root = render(ExperimentSetup, {
			models,
			recipes: [recipe('plain', '{{review}}'), recipe('engineered', 'Review: {{review}}')],
			testSets: [set],
			onCreate
		});
		choose(root, 'Test set', 't');
		choose(root, 'Base model', 'b');
		choose(root, 'Same model with the LoRA adapter', 'a');
		choose(root, 'Plain recipe', 'plain');
		choose(root, 'Engineered recipe', 'engineered');
		button(root, 'Create the pair').click();
		const specs = onCreate.mock.calls[0][2];
		expect(specs.map((s) => [s.label, s.spec.model.modelId, s.spec.recipeVersionId])).toEqual([
			['Base + engineered prompt', 'base', 'engineered'],
			['Adapter + plain prompt', 'd', 'plain']
		]);
	});
});
