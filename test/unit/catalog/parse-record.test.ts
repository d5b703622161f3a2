// Covers catalog parsing: family / parameter size / quantization per id (table), download-size
// estimate formula, malformed records rejected with a clear error, embedding models excluded and
// vision models flagged, the f16 rule, and grouping by family.
import { describe, expect, test } from 'vitest';
import {
	CatalogRecordError,
	buildCatalog,
	estimateDownloadBytes,
	familyOf,
	groupByFamily,
	paramCountOf,
	paramSizeOf,
	parseRecord,
	quantizationOf,
	toCatalogEntry,
	type ModelRecordLike
} from '../../../src/domain/catalog/index.ts';

function rec(model_id: string, extra: Partial<ModelRecordLike> = {}): ModelRecordLike {
	return {
		model: `https://huggingface.co/mlc-ai/${model_id}`,
		model_id,
		model_lib: `https://x/${model_id}.wasm`,
		...extra
	};
}

describe('id parsing', () => {
	test.each([
		['SmolLM2-360M-Instruct-q4f32_1-MLC', 'SmolLM2', '360M', 'q4f32_1'],
		['Qwen2.5-1.5B-Instruct-q4f16_1-MLC', 'Qwen2.5', '1.5B', 'q4f16_1'],
		['Qwen2.5-Coder-0.5B-Instruct-q0f32-MLC', 'Qwen2.5', '0.5B', 'q0f32'],
		['Qwen3-0.6B-q0f16-MLC', 'Qwen3', '0.6B', 'q0f16'],
		['Qwen3.5-0.8B-q4f16_1-MLC', 'Qwen3.5', '0.8B', 'q4f16_1'],
		['Llama-3.2-1B-Instruct-q4f16_1-MLC', 'Llama-3.2', '1B', 'q4f16_1'],
		['Llama-3.1-70B-Instruct-q3f16_1-MLC', 'Llama-3.1', '70B', 'q3f16_1'],
		['stablelm-2-zephyr-1_6b-q4f32_1-MLC-1k', 'StableLM-2', '1.6B', 'q4f32_1'],
		['gemma-4-E2B-it-q4f16_1-MLC', 'Gemma-4', '2B', 'q4f16_1'],
		['phi-1_5-q4f32_1-MLC', 'Phi-1.5', '1.4B', 'q4f32_1'],
		['Phi-3.5-mini-instruct-q4f16_1-MLC', 'Phi-3.5', '3.8B', 'q4f16_1'],
		['Hermes-3-Llama-3.2-3B-q4f16_1-MLC', 'Hermes', '3B', 'q4f16_1'],
		['TinyLlama-1.1B-Chat-v1.0-q4f32_1-MLC', 'TinyLlama', '1.1B', 'q4f32_1'],
		['my-custom-model', 'my', null, null]
	])('%s', (id, family, size, quant) => {
		expect(familyOf(id)).toBe(family);
		expect(paramSizeOf(id)).toBe(size);
		expect(quantizationOf(id)).toBe(quant);
	});

	test.each([
		['360M', 360e6],
		['1.5B', 1.5e9],
		['70B', 70e9],
		[null, null],
		['huge', null]
	])('paramCountOf(%s)', (size, count) => {
		expect(paramCountOf(size)).toBe(count);
	});
});

describe('estimateDownloadBytes', () => {
	test.each([
		// q4 group quantization: 4 bits + one 16-bit scale per 32 weights.
		[360e6, 'q4f32_1', (360e6 * (4 + 16 / 32)) / 8],
		[0.5e9, 'q0f16', 0.5e9 * 2],
		// float32 is stored as bf16 on disk.
		[0.5e9, 'q0f32', 0.5e9 * 2],
		[null, 'q0f16', null],
		[1e9, null, null],
		[1e9, 'q8f99', null]
	])('%s params, %s', (count, quant, bytes) => {
		expect(estimateDownloadBytes(count, quant)).toBe(bytes === null ? null : Math.round(bytes));
	});
});

describe('parseRecord', () => {
	test.each([
		[null, /not an object/],
		[[], /not an object/],
		[{ model_id: 'a', model_lib: 'b' }, /"model"/],
		[{ model: 'a', model_id: 3, model_lib: 'b' }, /"model_id"/],
		[{ model: 'a', model_id: 'x', model_lib: 'b', vram_required_MB: '12' }, /vram_required_MB/],
		[{ model: 'a', model_id: 'x', model_lib: 'b', required_features: 'shader-f16' }, /required_features/],
		[{ model: 'a', model_id: 'x', model_lib: 'b', overrides: 4 }, /overrides/]
	])('rejects %j', (raw, message) => {
		expect(() => parseRecord(raw)).toThrow(CatalogRecordError);
		expect(() => parseRecord(raw)).toThrow(message);
	});
});

describe('toCatalogEntry / buildCatalog', () => {
	test('reads context window and VRAM from the record', () => {
		const e = toCatalogEntry(
			rec('SmolLM2-360M-Instruct-q4f32_1-MLC', {
				vram_required_MB: 579.61,
				low_resource_required: true,
				overrides: { context_window_size: 4096 }
			})
		);
		expect(e).toMatchObject({
			contextWindowTokens: 4096,
			vramMB: 579.61,
			lowResource: true,
			needsShaderF16: false,
			vision: false
		});
	});

	test('any id with f16 needs shader-f16 even when the record does not say so', () => {
		expect(toCatalogEntry(rec('Qwen3-0.6B-q4f16_1-MLC')).needsShaderF16).toBe(true);
		expect(toCatalogEntry(rec('custom-q4f32_1', { required_features: ['shader-f16'] })).needsShaderF16).toBe(true);
	});

	test('an upper-case BF16 source tag alone does not need shader-f16 (f32 compute)', () => {
		expect(toCatalogEntry(rec('Ministral-3-3B-Instruct-2512-BF16-q4f32_1-MLC')).needsShaderF16).toBe(false);
		expect(toCatalogEntry(rec('Some-BF16-q4f16_1-MLC')).needsShaderF16).toBe(true);
	});

	test('drops embedding models, flags vision models', () => {
		const entries = buildCatalog([
			rec('snowflake-arctic-embed-s-q0f32-MLC-b4', { model_type: 1 }),
			rec('some-embed-model'),
			rec('Phi-3.5-vision-instruct-q4f16_1-MLC', { model_type: 2 }),
			rec('SmolLM2-135M-Instruct-q0f32-MLC')
		]);
		expect(entries.map((e) => e.id)).toEqual(['Phi-3.5-vision-instruct-q4f16_1-MLC', 'SmolLM2-135M-Instruct-q0f32-MLC']);
		expect(entries[0].vision).toBe(true);
	});

	test('groupByFamily keeps first-seen family order and sorts by size', () => {
		const groups = groupByFamily(
			buildCatalog([rec('SmolLM2-1.7B-Instruct-q4f32_1-MLC'), rec('Qwen3-0.6B-q4f32_1-MLC'), rec('SmolLM2-135M-Instruct-q0f32-MLC')])
		);
		expect(groups.map((g) => g.family)).toEqual(['SmolLM2', 'Qwen3']);
		expect(groups[0].entries.map((e) => e.paramSize)).toEqual(['135M', '1.7B']);
	});
});
