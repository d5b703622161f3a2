// Covers verdictFor (no WebGPU, the "f16 in the id needs shader-f16" rule, other required features,
// buffer-size limits) and pickDefaultModel (runnable, not vision, low-resource first, least VRAM),
// including on the real web-llm catalog for a GPU without shader-f16.
import { describe, expect, test } from 'vitest';
import { buildCatalog, loadCatalog, type ModelRecordLike } from '../../../src/domain/catalog/index.ts';
import { pickDefaultModel, verdictFor, type GpuProbe } from '../../../src/domain/gpu/index.ts';

function probe(features: string[], maxBufferSize = 2 ** 31): GpuProbe {
	return {
		available: true,
		adapter: { vendor: 'v', architecture: 'a', device: 'd', description: '' },
		isFallbackAdapter: false,
		features,
		limits: { maxBufferSize, maxStorageBufferBindingSize: maxBufferSize }
	};
}
const NONE: GpuProbe = {
	available: false,
	reason: 'navigator.gpu is undefined',
	advice: 'use Chrome'
};

function entry(model_id: string, extra: Partial<ModelRecordLike> = {}) {
	return buildCatalog([{ model: `https://h/${model_id}`, model_id, model_lib: 'https://l/x.wasm', ...extra }])[0];
}

describe('verdictFor', () => {
	test.each([
		['f16 id without shader-f16', probe([]), entry('m-q4f16_1'), false, /shader-f16/],
		['f16 id with shader-f16', probe(['shader-f16']), entry('m-q4f16_1'), true, null],
		['f32 model, no features', probe([]), entry('m-q4f32_1'), true, null],
		['record demands shader-f16', probe([]), entry('m-q4f32_1', { required_features: ['shader-f16'] }), false, /shader-f16/],
		['other feature missing', probe(['shader-f16']), entry('m-q4f32_1', { required_features: ['subgroups'] }), false, /subgroups/],
		['buffer too big', probe([], 1000), entry('m-q4f32_1', { buffer_size_required_bytes: 1001 }), false, /1001/],
		['no WebGPU', NONE, entry('m-q4f32_1'), false, /WebGPU is not available/]
	])('%s', (_l, p, e, runnable, reason) => {
		const v = verdictFor(p, e);
		expect(v.runnable).toBe(runnable);
		if (reason) expect(v.reasons.join(' ')).toMatch(reason);
		else expect(v.reasons).toEqual([]);
	});
});

describe('pickDefaultModel', () => {
	test('prefers low-resource, then less VRAM, skipping what cannot run and vision', () => {
		const entries = [
			entry('big-q4f32_1', { vram_required_MB: 100, low_resource_required: false }),
			entry('small-q4f16_1', { vram_required_MB: 50, low_resource_required: true }),
			entry('vision-q4f32_1', { vram_required_MB: 10, low_resource_required: true, model_type: 2 }),
			entry('mid-q4f32_1', { vram_required_MB: 300, low_resource_required: true }),
			entry('low-q4f32_1', { vram_required_MB: 200, low_resource_required: true })
		];
		expect(pickDefaultModel(probe([]), entries)?.id).toBe('low-q4f32_1');
		expect(pickDefaultModel(probe(['shader-f16']), entries)?.id).toBe('small-q4f16_1');
		expect(pickDefaultModel(NONE, entries)).toBeNull();
	});

	test('real catalog, GPU without shader-f16: a runnable f32 model, smallest low-resource one', async () => {
		const entries = await loadCatalog();
		const p = probe([]);
		const pick = pickDefaultModel(p, entries);
		expect(pick).not.toBeNull();
		expect(pick?.id).not.toMatch(/f16/);
		const runnableLow = entries.filter((e) => e.lowResource && !e.vision && verdictFor(p, e).runnable);
		const minVram = Math.min(...runnableLow.map((e) => e.vramMB ?? Infinity));
		expect(pick?.vramMB).toBe(minVram);
		for (const e of entries.filter((x) => /f16/.test(x.id))) expect(verdictFor(p, e).runnable).toBe(false);
	});
});
