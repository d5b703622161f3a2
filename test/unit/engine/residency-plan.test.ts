// Covers planResidency (together when the local models' GPU memory fits in budget · (1 − margin),
// one after the other otherwise, with the reason in words; unknown sizes or budget, one model,
// endpoint models, models shared by several variants, bad input) and gpuBudgetMB (the adapter's
// maxBufferSize in MiB, null without WebGPU). Sizes are MiB: 1 GB = 1024 MB.
import { describe, expect, test } from 'vitest';
import { gpuBudgetMB, planResidency } from '../../../src/domain/engine/residency-plan.ts';
import type { GpuProbe } from '../../../src/domain/gpu/types.ts';

const model = (id: string, vramMB: number | null, engine?: 'webllm' | 'endpoint') => ({
	id,
	label: id,
	vramMB,
	...(engine ? { engine } : {})
});

describe('planResidency', () => {
	test('two models that fit within the budget less the margin load together', () => {
		// 1.2 GB = 1228.8 MB, 0.9 GB = 921.6 MB; sum 2150.4 ≤ 8192 · 0.8 = 6553.6
		const plan = planResidency([model('a', 1228.8), model('b', 921.6)], { budgetMB: 8192 });
		expect(plan).toEqual({
			mode: 'together',
			reason: "Together: 1.2 GB + 0.9 GB fits in this GPU's 8.0 GB budget."
		});
	});

	test('two models that exceed the budget less the margin run one after the other', () => {
		// 1.9 GB = 1945.6 MB; 2 · 1945.6 = 3891.2 > 3072 · 0.8 = 2457.6
		const plan = planResidency([model('a', 1945.6), model('b', 1945.6)], { budgetMB: 3072 });
		expect(plan).toEqual({
			mode: 'sequential',
			reason: "One after the other: 2 × 1.9 GB exceeds this GPU's budget of 3.0 GB (with a 20 % safety margin)."
		});
	});

	test('the margin is applied: a sum equal to budget · (1 − margin) fits, one MB more does not', () => {
		// 1000 · (1 − 0.2) = 800
		expect(planResidency([model('a', 400), model('b', 400)], { budgetMB: 1000 }).mode).toBe('together');
		expect(planResidency([model('a', 400), model('b', 401)], { budgetMB: 1000 }).mode).toBe('sequential');
	});

	test('a custom margin changes the threshold and the reason', () => {
		// 300 + 300 = 600 ≤ 1000 with no margin, > 1000 · 0.5 = 500 with a 50 % margin;
		// 300 / 1024 = 0.29 → "0.3 GB", 1000 / 1024 = 0.98 → "1.0 GB"
		expect(planResidency([model('a', 300), model('b', 300)], { budgetMB: 1000 }, { marginFraction: 0 }).mode).toBe('together');
		expect(planResidency([model('a', 300), model('b', 300)], { budgetMB: 1000 }, { marginFraction: 0.5 })).toEqual({
			mode: 'sequential',
			reason: "One after the other: 2 × 0.3 GB exceeds this GPU's budget of 1.0 GB (with a 50 % safety margin)."
		});
	});

	test('an unknown GPU memory estimate means one after the other, naming the model', () => {
		const plan = planResidency([model('a', 500), model('mystery', null)], { budgetMB: 16384 });
		expect(plan.mode).toBe('sequential');
		expect(plan.reason).toMatch(/mystery is unknown/);
	});

	test('an unknown budget means one after the other, saying the browser does not tell', () => {
		const plan = planResidency([model('a', 500), model('b', 500)], { budgetMB: null });
		expect(plan.mode).toBe('sequential');
		expect(plan.reason).toMatch(/does not say how much GPU memory/);
		// 500 / 1024 = 0.49 → "0.5 GB"
		expect(plan.reason).toMatch(/2 × 0\.5 GB/);
	});

	test('a single model is always together, even with nothing known', () => {
		expect(planResidency([model('a', null)], { budgetMB: null }).mode).toBe('together');
	});

	test('endpoint models and models of 0 MB cost no local memory', () => {
		// only "local" (3000 MB) is on this GPU: one local model → together, whatever the budget
		const plan = planResidency([model('local', 3000), model('remote', 9000, 'endpoint'), model('zero', 0)], { budgetMB: 1024 });
		expect(plan).toEqual({ mode: 'together', reason: 'Together: only local runs on this GPU.' });
		expect(planResidency([model('r1', null, 'endpoint')], { budgetMB: null }).mode).toBe('together');
	});

	test('variants sharing one model count its memory once', () => {
		// 3000 + 3000 would exceed 4096 · 0.8 = 3276.8; the same model loads once: 3000 fits
		const plan = planResidency([model('m', 3000), model('m', 3000), model('n', 200)], {
			budgetMB: 4096
		});
		// 3000 + 200 = 3200 ≤ 3276.8; 3000 / 1024 = 2.93 → "2.9 GB", 200 / 1024 = 0.195 → "0.2 GB"
		expect(plan).toEqual({
			mode: 'together',
			reason: "Together: 2.9 GB + 0.2 GB fits in this GPU's 4.0 GB budget."
		});
	});

	test('sizes below 0.1 GB are shown in MB', () => {
		// 60 + 40 = 100 ≤ 1024 · 0.8
		expect(planResidency([model('a', 60), model('b', 40)], { budgetMB: 1024 }).reason).toBe(
			"Together: 60 MB + 40 MB fits in this GPU's 1.0 GB budget."
		);
	});

	test.each([
		[{ marginFraction: 1 }, /marginFraction/],
		[{ marginFraction: -0.1 }, /marginFraction/]
	])('a margin of %j is refused', (opts, message) => {
		expect(() => planResidency([], { budgetMB: 1 }, opts)).toThrow(message);
	});

	test('negative or non-numeric sizes are refused with a message naming them', () => {
		expect(() => planResidency([model('bad', -1), model('b', 1)], { budgetMB: 10 })).toThrow(/GPU memory of bad/);
		expect(() => planResidency([model('a', 1)], { budgetMB: Number.NaN })).toThrow(/GPU budget/);
	});
});

describe('gpuBudgetMB', () => {
	const probe = (maxBufferSize: number): GpuProbe => ({
		available: true,
		adapter: { vendor: 'v', architecture: 'a', device: '', description: '' },
		isFallbackAdapter: false,
		features: [],
		limits: { maxBufferSize, maxStorageBufferBindingSize: 134_217_728 }
	});

	test('is the adapter maxBufferSize in MiB (SwiftShader: 268,435,456 B = 256 MB)', () => {
		expect(gpuBudgetMB(probe(268_435_456))).toBe(256);
		expect(gpuBudgetMB(probe(4 * 1024 ** 3))).toBe(4096);
	});

	test('is null without WebGPU or without a usable limit', () => {
		expect(gpuBudgetMB({ available: false, reason: 'no', advice: 'use another browser' })).toBeNull();
		expect(gpuBudgetMB(probe(0))).toBeNull();
	});
});
