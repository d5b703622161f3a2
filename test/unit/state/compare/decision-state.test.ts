// Covers DecisionState over a real CompareState (Dexie on fake-indexeddb): the few-shot sweep adds the
// base with 0…n of the engineered recipe's examples and runs only them, reusing the pair's own
// variant; the strength sweep on a derived adapter derives the scales that are missing first, then
// runs every scale; the report input carries the verdict and the sweeps with hand-computed rates.
import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import type { DerivedModelRow } from '../../../../src/domain/bundle/rows.ts';
import type { Engine, GenerateRequest } from '../../../../src/domain/engine/types.ts';
import type { VariantSpec } from '../../../../src/domain/experiment/types.ts';
import { defaultPair, type ModelChoice } from '../../../../src/domain/experiment/variants.ts';
import { CompareState } from '../../../../src/state/compare/compare.svelte.ts';
import { DecisionState } from '../../../../src/state/compare/decision.svelte.ts';
import { EnginePool } from '../../../../src/state/compare/engine-pool.ts';
import type { TuneDb } from '../../../../src/storage/db.ts';
import { createTestSet } from '../../../../src/storage/repos/testsets.ts';
import { freshDb } from '../../../storage/fresh-db.ts';

// The stand-in model: "yes" when the prompt holds at least 2 example answers, or when the weights
// are the adapter merged at scale ≥ 0.5 (derived ids "d-<scale>"); otherwise "no".
const scaleOf = (modelId: string) => (modelId.startsWith('d-') ? Number(modelId.slice(2)) : 0);
const engine: Engine = {
	info: { kind: 'webllm', version: 'test 1' },
	load: async () => undefined,
	generate: async (req: GenerateRequest) => {
		const examples = req.messages.filter((m) => m.role === 'assistant').length;
		return {
			text: examples >= 2 || scaleOf(req.modelId) >= 0.5 ? 'yes' : 'no',
			finishReason: 'stop',
			stats: { promptTokens: 3 + 10 * examples, completionTokens: 1, timeToFirstTokenMs: 5 + examples, totalMs: 9, source: 'engine' }
		};
	},
	countTokens: async () => null,
	unload: async () => undefined,
	dispose: () => undefined
};

const derivedRow = (scale: number): DerivedModelRow => ({
	id: `d-${scale}`,
	baseModelId: 'base',
	adapterId: 'A',
	scale,
	record: {},
	fidelity: {},
	sizeBytes: 1000,
	deriveMs: 2000,
	createdAt: 1
});
const local = (modelId: string, scale?: number): ModelChoice => ({
	engine: { kind: 'webllm' },
	model:
		scale === undefined
			? { source: 'prebuilt', modelId }
			: { source: 'derived', modelId: `d-${scale}`, baseModelId: 'base', adapterId: 'A', scale }
});
const examples = [1, 2, 3].map((i) => ({ user: `example ${i}`, assistant: 'yes' }));
const plain = {
	versionId: 'plain',
	name: 'Plain',
	content: { system: '', examples: [], template: '{{q}}', sampling: {}, variableDefaults: {} }
};
const engineered = {
	versionId: 'eng',
	name: 'Engineered',
	content: { system: 'Answer yes or no.', examples, template: '{{q}}', sampling: {}, variableDefaults: {} }
};

async function setUp(db: TuneDb) {
	const derived = [derivedRow(1)];
	const derivations: number[] = [];
	const compare = new CompareState({
		db,
		pool: new EnginePool({ local: async () => engine, remote: async () => engine, savedEndpoint: () => ({ baseUrl: '', apiKey: '' }) }),
		models: { facts: () => ({ family: null, quantization: null, chatTemplate: null }), vramMB: () => 100, record: (s) => s.model },
		probe: () => null
	});
	const decision = new DecisionState(compare, {
		db,
		facts: () => ({ gpuMemoryMB: 100, baseBytes: null, adapterBytes: 500, derivedBytes: 1000, deriveMs: 2000 }),
		derivedAt: (spec: VariantSpec, scale: number) => {
			const d = derived.find((row) => row.scale === scale);
			return d ? { engine: spec.engine, model: { source: 'derived', modelId: d.id, baseModelId: 'base', adapterId: 'A', scale } } : null;
		},
		derive: async (_spec, scale) => {
			derivations.push(scale);
			derived.push(derivedRow(scale));
			return true;
		},
		isDora: () => false,
		gpu: () => 'test GPU',
		renderSvg: async (chart) => `<svg><title>${chart.id}</title></svg>`
	});
	const set = await createTestSet(
		db,
		{ name: 'yes', columns: ['q'], scoring: { assertions: [{ type: 'equals' }] }, source: 'test' },
		Array.from({ length: 6 }, (_, i) => ({ vars: { q: `question ${i}` }, expected: 'yes' }))
	);
	await compare.start();
	await compare.create('Sweeps', set.id, defaultPair(local('base'), local('d-1', 1), plain, engineered, { seed: 1 }));
	return { compare, decision, derivations };
}

describe('DecisionState', () => {
	test('the few-shot sweep runs 0, 1, 2 and 3 examples; the full count is the pair’s own variant', async () => {
		const { compare, decision } = await setUp(await freshDb('decision'));
		await compare.runBatch();
		await decision.runFewShotSweep();
		// 2 pair variants + the 0-, 1- and 2-example points (3 examples is the prompt side itself)
		expect(compare.experiment?.variants).toHaveLength(5);
		const sweep = decision.sweeps.find((s) => s.kind === 'few-shot')!;
		// by hand: "yes" needs ≥ 2 examples → 0/6, 0/6, 6/6, 6/6; the adapter passes 6/6
		expect(sweep.points.map((p) => [p.x, p.passRate])).toEqual([
			[0, 0],
			[1, 0],
			[2, 1],
			[3, 1]
		]);
		expect(sweep.answer).toBe(2);
		// prompt tokens grow by 10 per example (the stand-in's usage report)
		expect(sweep.points.map((p) => p.promptTokensPerCall)).toEqual([3, 13, 23, 33]);
	});

	test('the strength sweep derives the missing scales first, then runs every scale', async () => {
		const { compare, decision, derivations } = await setUp(await freshDb('decision'));
		await compare.runBatch();
		decision.scalesText = '0.25, 0.5, 1';
		await decision.runStrengthSweep();
		expect(derivations).toEqual([0.25, 0.5]);
		const sweep = decision.sweeps.find((s) => s.kind === 'strength')!;
		// by hand: the plain prompt has no examples, so "yes" needs scale ≥ 0.5 → 0/6, 6/6, 6/6
		expect(sweep.points.map((p) => [p.x, p.passRate])).toEqual([
			[0.25, 0],
			[0.5, 1],
			[1, 1]
		]);
		expect(sweep.answer).toBe(0.5);
	});

	test('the report input: the verdict on the primary pair, costs, and every chart rendered', async () => {
		const { compare, decision } = await setUp(await freshDb('decision'));
		await compare.runBatch();
		// by hand: the engineered base (3 examples) and the adapter both pass 6 of 6: no difference
		// observed, and the Newcombe interval on 6 items is far wider than ±10 points
		expect(decision.verdict).toMatch(/^Not enough evidence yet: no difference observed on 6 items/);
		await decision.renderCharts();
		const input = decision.reportInput(new Date('2026-12-02T10:00:00Z'));
		expect(input.primaryLabels).toEqual(['Base + engineered prompt', 'Adapter + plain prompt']);
		expect(input.variants.map((v) => [v.label, v.passes, v.n])).toEqual([
			['Base + engineered prompt', 6, 6],
			['Adapter + plain prompt', 6, 6]
		]);
		// 3 + 10·3 prompt tokens with three examples against 3 without: 30 more per call
		expect(decision.breakEven?.extraPromptTokensPerCall).toBe(30);
		expect(input.charts.every((c) => c.svg === `<svg><title>${c.id}</title></svg>`)).toBe(true);
	});
});
