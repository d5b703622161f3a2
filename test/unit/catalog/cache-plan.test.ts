// Covers the pure cache decisions: the model base URL rule (same as web-llm's cleanModelUrl),
// summing cached bytes per model by URL prefix, and the wasm-sharing delete decision
// (delete a model's wasm only when no other cached model uses the same model_lib), and which other
// cached models share a model's weight folder (they lose their files with it), on the real list too.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import {
	bytesByModel,
	mayDeleteWasm,
	modelBaseUrl,
	modelsSharingWasm,
	modelsSharingWeights,
	type ModelRecordLike
} from '../../../src/domain/catalog/index.ts';

describe('modelBaseUrl', () => {
	test.each([
		['https://huggingface.co/mlc-ai/M', 'https://huggingface.co/mlc-ai/M/resolve/main/'],
		['https://huggingface.co/mlc-ai/M/', 'https://huggingface.co/mlc-ai/M/resolve/main/'],
		['http://localhost:5173/derived/x/resolve/main/', 'http://localhost:5173/derived/x/resolve/main/'],
		['https://h/m/resolve/v2', 'https://h/m/resolve/v2/']
	])('%s', (model, base) => expect(modelBaseUrl(model)).toBe(base));

	test('a relative URL is rejected', () => {
		expect(() => modelBaseUrl('models/x')).toThrow(TypeError);
	});
});

const LIB_A = 'https://libs/A.wasm';
const LIB_B = 'https://libs/B.wasm';
const records: ModelRecordLike[] = [
	{ model_id: 'a1', model: 'https://h/a1', model_lib: LIB_A },
	{ model_id: 'a2', model: 'https://h/a2', model_lib: LIB_A },
	{ model_id: 'b1', model: 'https://h/b1', model_lib: LIB_B }
];

describe('bytesByModel', () => {
	test('sums entries under each model URL only', () => {
		const sizes = bytesByModel(
			[
				{ url: 'https://h/a1/resolve/main/params_shard_0.bin', sizeBytes: 100 },
				{ url: 'https://h/a1/resolve/main/tensor-cache.json', sizeBytes: 7 },
				{ url: 'https://h/a10/resolve/main/params_shard_0.bin', sizeBytes: 1000 },
				{ url: 'https://h/b1/resolve/main/mlc-chat-config.json', sizeBytes: 3 }
			],
			records
		);
		expect(Object.fromEntries(sizes)).toEqual({ a1: 107, a2: 0, b1: 3 });
	});
});

describe('mayDeleteWasm', () => {
	test.each([
		['a1', ['a1', 'a2'], false, ['a2']],
		['a1', ['a1'], true, []],
		['a1', ['a1', 'b1'], true, []],
		['b1', ['a1', 'a2', 'b1'], true, []],
		['a2', [], true, []],
		['unknown', ['a1'], false, []]
	])('%s with cached %j', (id, cached, allowed, sharing) => {
		expect(mayDeleteWasm(id, cached, records)).toBe(allowed);
		expect(modelsSharingWasm(id, cached, records)).toEqual(sharing);
	});

	test('real list: Qwen2.5-0.5B and Qwen2-0.5B q4f16_1 share a wasm', () => {
		const real = prebuiltAppConfig.model_list as ModelRecordLike[];
		const a = 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC';
		const b = 'Qwen2-0.5B-Instruct-q4f16_1-MLC';
		const libOf = (id: string) => real.find((r) => r.model_id === id)?.model_lib;
		expect(libOf(a)).toBe(libOf(b));
		expect(mayDeleteWasm(a, [a, b], real)).toBe(false);
		expect(mayDeleteWasm(a, [a, 'SmolLM2-360M-Instruct-q4f32_1-MLC'], real)).toBe(true);
	});
});

describe('modelsSharingWeights', () => {
	const real = prebuiltAppConfig.model_list as ModelRecordLike[];
	const full = 'Llama-3.1-8B-Instruct-q4f32_1-MLC';
	const short = 'Llama-3.1-8B-Instruct-q4f32_1-MLC-1k';

	test('real list: a "-1k" variant and its full-context sibling use one weight folder', () => {
		const modelOf = (id: string) => real.find((r) => r.model_id === id)?.model;
		expect(modelOf(short)).toBe(modelOf(full));
		expect(modelsSharingWeights(short, [full, short], real)).toEqual([full]);
		expect(modelsSharingWeights(full, [full, short], real)).toEqual([short]);
	});

	test('only cached models count, and different folders never do', () => {
		expect(modelsSharingWeights(short, [short], real)).toEqual([]);
		expect(modelsSharingWeights(short, [short, 'SmolLM2-360M-Instruct-q4f32_1-MLC'], real)).toEqual([]);
		expect(modelsSharingWeights('unknown', [full], real)).toEqual([]);
	});

	test('a trailing slash or an explicit resolve/main/ names the same folder', () => {
		const recs: ModelRecordLike[] = [
			{ model_id: 'x', model: 'https://h.test/m', model_lib: 'https://h.test/x.wasm' },
			{ model_id: 'y', model: 'https://h.test/m/resolve/main/', model_lib: 'https://h.test/y.wasm' }
		];
		expect(modelsSharingWeights('x', ['x', 'y'], recs)).toEqual(['y']);
	});
});
