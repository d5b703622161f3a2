// Covers DerivedModelList: each derived model with its fidelity line, a warning only when the merge
// kept too little of the adapter (4-bit bases, small adapters), and a row per module in the table.
import { describe, expect, test } from 'vitest';
import DerivedModelList from '../../../src/components/adapters/DerivedModelList.svelte';
import type { DerivedModelRow } from '../../../src/domain/bundle/rows.ts';
import { render } from './helpers.ts';

function row(id: string, medianCosine: number): DerivedModelRow {
	const summary = { modules: 1, minCosine: medianCosine, medianCosine, maxRelError: 0.5 };
	const modules = [{ hfModule: 'model.layers.0.self_attn.q_proj', mlcName: 'x', part: 'q', cosine: medianCosine, relError: 0.5 }];
	return {
		id,
		baseModelId: 'base',
		adapterId: 'a'.repeat(64),
		scale: 1,
		record: {},
		fidelity: { summary, modules },
		sizeBytes: 1024,
		createdAt: 0
	};
}

describe('DerivedModelList', () => {
	test('a faithful merge shows its fidelity and no warning; a lossy one warns', () => {
		const root = render(DerivedModelList, {
			models: [row('good+lora', 0.997), row('q4+lora', 0.12)],
			highlightId: null,
			onChat: () => {},
			onDelete: () => {}
		});
		const items = [...root.querySelectorAll('li')];
		expect(items).toHaveLength(2);
		expect(items[0].textContent).toMatch(/median\s+0\.99700/);
		expect(items[0].querySelector('[role=note]')).toBeNull();
		expect(items[1].querySelector('[role=note]')?.textContent).toContain('carry only part of the adapter (median cosine 0.12)');
		expect(items[1].querySelectorAll('tbody tr')).toHaveLength(1);
	});
});
