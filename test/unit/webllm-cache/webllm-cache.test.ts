// Covers the pure web-llm cache helpers: folder URLs as web-llm's cleanModelUrl builds them (checked
// against web-llm's own hasModelInCache URL rule by example), file URLs and scopes, derived folder URLs
// and their refusals, the derived record copied from the base, tensor-cache.json ordered last,
// Hub repo parsing (ids, URLs, revisions, hostile input) and the storage-full message.
import { describe, expect, test } from 'vitest';
import {
	DerivedStorageFullError,
	ModelUrlError,
	availableBytes,
	commitOrder,
	derivedFolderUrl,
	derivedRecord,
	hubFileUrl,
	isUnderFolder,
	modelFileUrl,
	modelFolderUrl,
	parseHubRef,
	scopeOfFile
} from '../../../src/domain/webllm-cache/index.ts';

describe('model folder URLs', () => {
	test.each([
		['https://huggingface.co/mlc-ai/M-MLC', 'https://huggingface.co/mlc-ai/M-MLC/resolve/main/'],
		['https://huggingface.co/mlc-ai/M-MLC/', 'https://huggingface.co/mlc-ai/M-MLC/resolve/main/'],
		['https://h.example/x/resolve/v2/', 'https://h.example/x/resolve/v2/'],
		['http://localhost:5173/derived/a+lora-1/resolve/main/', 'http://localhost:5173/derived/a+lora-1/resolve/main/']
	])('%s → %s', (model, folder) => {
		expect(modelFolderUrl(model)).toBe(folder);
	});

	test.each(['derived/x/resolve/main/', 'ftp://host/m/', ''])('refuses %j', (model) => {
		expect(() => modelFolderUrl(model)).toThrow(ModelUrlError);
	});

	test('files resolve against the folder, each in its scope', () => {
		const f = 'https://h.example/m/resolve/main/';
		expect(modelFileUrl(f, 'params_shard_3.bin')).toBe(`${f}params_shard_3.bin`);
		expect(scopeOfFile('mlc-chat-config.json')).toBe('webllm/config');
		for (const n of ['tokenizer.json', 'tensor-cache.json', 'params_shard_0.bin']) expect(scopeOfFile(n)).toBe('webllm/model');
	});

	test('isUnderFolder is a folder prefix test, not a string prefix test', () => {
		const f = 'http://l/derived/a/resolve/main/';
		expect(isUnderFolder(`${f}x.bin`, f)).toBe(true);
		expect(isUnderFolder('http://l/derived/a/resolve/main2/x.bin', f)).toBe(false);
		expect(isUnderFolder('http://l/derived/ab/resolve/main/x.bin', 'http://l/derived/a')).toBe(false);
	});
});

describe('derived folder and record', () => {
	test('the folder sits on the app origin under /derived/<id>/resolve/main/', () => {
		expect(derivedFolderUrl('http://localhost:4173', 'Qwen2-0.5B-q0f16-MLC+lora-abc123def456-x0.5')).toBe(
			'http://localhost:4173/derived/Qwen2-0.5B-q0f16-MLC+lora-abc123def456-x0.5/resolve/main/'
		);
		// a path on the origin argument is ignored: only the origin counts
		expect(derivedFolderUrl('https://app.example/some/page', 'm')).toBe('https://app.example/derived/m/resolve/main/');
	});

	test.each([
		['http://localhost', '../escape'],
		['http://localhost', 'a/b'],
		['http://localhost', '..'],
		['http://localhost', ''],
		['file:///tmp', 'ok'],
		['not an origin', 'ok']
	])('refuses origin %j with id %j', (origin, id) => {
		expect(() => derivedFolderUrl(origin, id)).toThrow(ModelUrlError);
	});

	test('the record keeps the base wasm, overrides and resources, and owns copies', () => {
		const base = {
			model: 'https://huggingface.co/mlc-ai/B-MLC',
			model_id: 'B-MLC',
			model_lib: 'https://raw.example/B.wasm',
			overrides: { context_window_size: 4096 },
			vram_required_MB: 1234.5,
			low_resource_required: true,
			required_features: ['shader-f16']
		};
		const r = derivedRecord(base, 'B-MLC+lora-1', 'http://l/derived/B-MLC+lora-1/resolve/main/');
		expect(r).toEqual({ ...base, model: 'http://l/derived/B-MLC+lora-1/resolve/main/', model_id: 'B-MLC+lora-1' });
		r.overrides!.context_window_size = 1;
		r.required_features!.push('x');
		expect(base.overrides.context_window_size).toBe(4096);
		expect(base.required_features).toEqual(['shader-f16']);
		expect(Object.keys(derivedRecord({ model: 'x', model_id: 'y', model_lib: 'z' }, 'i', 'f')).sort()).toEqual([
			'model',
			'model_id',
			'model_lib'
		]);
	});

	test('tensor-cache.json is committed last', () => {
		expect(commitOrder(['params_shard_0.bin', 'tensor-cache.json', 'mlc-chat-config.json', 'tokenizer.json'])).toEqual([
			'params_shard_0.bin',
			'mlc-chat-config.json',
			'tokenizer.json',
			'tensor-cache.json'
		]);
		expect(commitOrder(['a'])).toEqual(['a']);
	});
});

describe('Hub references', () => {
	test.each([
		['someone/smollm-lora', { repo: 'someone/smollm-lora', revision: 'main' }],
		['  someone/smollm-lora  ', { repo: 'someone/smollm-lora', revision: 'main' }],
		['https://huggingface.co/someone/smollm-lora', { repo: 'someone/smollm-lora', revision: 'main' }],
		['https://huggingface.co/someone/smollm-lora/tree/v1.0', { repo: 'someone/smollm-lora', revision: 'v1.0' }],
		['https://huggingface.co/someone/x/blob/abc123/adapter_config.json', { repo: 'someone/x', revision: 'abc123' }]
	])('%j', (input, ref) => {
		expect(parseHubRef(input)).toEqual(ref);
	});

	test.each(['just-a-name', 'a/b/c', 'https://evil.example/a/b', '../a/b', 'a/..', 'a b/c', 'https://huggingface.co/a'])(
		'refuses %j',
		(input) => {
			expect(() => parseHubRef(input)).toThrow(ModelUrlError);
		}
	);

	test('file URLs use resolve/<revision>/', () => {
		expect(hubFileUrl({ repo: 'o/n', revision: 'main' }, 'adapter_config.json')).toBe(
			'https://huggingface.co/o/n/resolve/main/adapter_config.json'
		);
	});
});

describe('storage full', () => {
	test('says needed vs available in MB and what to do', () => {
		const e = new DerivedStorageFullError(725_000_000, 100_000_000);
		expect(e.name).toBe('DerivedStorageFullError');
		expect(e.message).toMatch(/needs about 725\.0 MB.*about 100\.0 MB is free.*Delete downloaded models/);
		expect(new DerivedStorageFullError(1e6, null).message).toMatch(/does not say/);
	});

	test.each([
		[{ usage: 10, quota: 110 }, 100],
		[{ usage: 200, quota: 100 }, 0],
		[{ quota: 100 }, null],
		[{}, null]
	])('available bytes of %j is %j', (est, want) => {
		expect(availableBytes(est)).toBe(want);
	});
});
