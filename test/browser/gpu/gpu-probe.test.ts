// Covers probeGpu() on real Chromium WebGPU (SwiftShader here): an adapter is found with real
// limits, it lacks shader-f16, so on the real catalog every f16 model is not runnable while
// q4f32_1 models are, and pickDefaultModel picks a small f32 model. Also the storage helpers.
import { describe, expect, test } from 'vitest';
import { loadCatalog } from '../../../src/domain/catalog/index.ts';
import { pickDefaultModel, verdictFor } from '../../../src/domain/gpu/index.ts';
import { probeGpu } from '../../../src/util/browser/gpu-probe.ts';
import { storageEstimate } from '../../../src/util/browser/storage-quota.ts';

describe('probeGpu on the real browser', () => {
	test('finds an adapter with features and limits', async () => {
		const probe = await probeGpu();
		expect(probe.available).toBe(true);
		if (!probe.available) return;
		const adapter = await navigator.gpu.requestAdapter();
		expect(probe.limits.maxBufferSize).toBe(adapter?.limits.maxBufferSize);
		expect(probe.limits.maxStorageBufferBindingSize).toBe(adapter?.limits.maxStorageBufferBindingSize);
		expect(probe.features).toEqual([...(adapter?.features ?? [])].map(String).sort());
	});

	test('without shader-f16, f16 models are not runnable and q4f32_1 ones are', async () => {
		const probe = await probeGpu();
		if (!probe.available) throw new Error('expected WebGPU in the test browser');
		const hasF16 = probe.features.includes('shader-f16');
		const entries = await loadCatalog();
		const f16 = entries.find((e) => e.id === 'SmolLM2-360M-Instruct-q4f16_1-MLC');
		const f32 = entries.find((e) => e.id === 'SmolLM2-360M-Instruct-q4f32_1-MLC');
		if (!f16 || !f32) throw new Error('catalog lacks the SmolLM2-360M entries');
		expect(hasF16).toBe(false); // SwiftShader has no shader-f16
		expect(verdictFor(probe, f16)).toMatchObject({
			runnable: false,
			reasons: [expect.stringMatching(/shader-f16/)]
		});
		expect(verdictFor(probe, f32)).toEqual({ runnable: true, reasons: [] });
		const pick = pickDefaultModel(probe, entries);
		expect(pick?.id).toMatch(/f32/);
	});

	test('storage estimate reports numbers', async () => {
		const est = await storageEstimate();
		expect(est.quotaBytes).toBeGreaterThan(0);
		expect(est.usageBytes).toBeGreaterThanOrEqual(0);
	});
});
