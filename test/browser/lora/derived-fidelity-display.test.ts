// DerivedModelList with the second-round fidelity figures: a 4-bit merge that carries the adapter
// (gain ≈ 1, small subspace error) shows no warning even with a low full-matrix cosine, which is labelled
// as 4-bit rounding noise next to the base's own 4-bit error; a merge that lost the adapter warns with
// the reason.
import { describe, expect, it } from 'vitest';
import DerivedModelList from '../../../src/components/adapters/DerivedModelList.svelte';
import type { DerivedModelRow } from '../../../src/domain/bundle/rows.ts';
import { render } from '../components/helpers.ts';

function row(id: string, gain: number, subspaceError: number): DerivedModelRow {
	const summary = {
		modules: 1,
		minGain: gain,
		maxGain: gain,
		maxSubspaceError: subspaceError,
		minCosine: 0.5,
		medianCosine: 0.5,
		maxRelError: 1.6,
		baseQuantRelError: 0.07,
		extraNoise: null
	};
	const modules = [
		{ mlcModule: 'm', hfModule: 'model.layers.0.self_attn.q_proj', part: 'q', gain, subspaceError, cosine: 0.5, relError: 1.6, elements: 4 }
	];
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

describe('DerivedModelList fidelity display', () => {
	it('shows gain and subspace error, labels the full-matrix figures, and warns only when the adapter is lost', () => {
		const root = render(DerivedModelList, {
			models: [row('carried+lora', 1.01, 0.12), row('lost+lora', 0.1, 0.9)],
			highlightId: null,
			onChat: () => {},
			onDelete: () => {}
		});
		const [carried, lost] = [...root.querySelectorAll('li')];
		expect(carried.textContent).toMatch(/gain 1\.010–1\.010,\s+largest subspace error 0\.120/);
		expect(carried.textContent).toMatch(
			/the rest is 4-bit rounding noise, the same size as the base's own\s+\(base's own 4-bit error 7\.00e-2\)/
		);
		expect(carried.querySelector('[role=note]')).toBeNull();
		expect(lost.querySelector('[role=note]')?.textContent).toMatch(/keeps only 10% of its delta/);
	});
});
