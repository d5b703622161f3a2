// Covers the REAL LLM module worker with REAL web-llm in Chromium, through createWebLlmEngine():
// protocol round trip (version, cache queries on an empty cache), registering a custom record,
// a clear 'model-files-missing' error when its files are missing (Vite answers unknown paths with
// index.html), cache listing and sizes from real Cache Storage entries written in web-llm's layout,
// deleting them, countTokens without a loaded model, malformed registrations, residency (nothing
// resident, a comparison generate refused with 'not-resident' instead of reloading, cancelAll with
// nothing running). No model weights exist here, so no generation.
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { createWebLlmEngine } from '../../../src/workers/llm-client.ts';
import { rejection } from '../../helpers/engine-rejection.ts';

const engine = createWebLlmEngine();
afterAll(() => engine.dispose());

const SCOPES = ['webllm/model', 'webllm/config', 'webllm/wasm'];
beforeEach(async () => {
	for (const s of SCOPES) await caches.delete(s);
});

function missingRecord(id: string) {
	return {
		model_id: id,
		model: `${location.origin}/no-such-model/${id}/resolve/main/`,
		model_lib: `${location.origin}/no-such-model/${id}.wasm`,
		vram_required_MB: 1,
		low_resource_required: true
	};
}

describe('LLM worker round trip', () => {
	test('reports the web-llm version and an empty cache', async () => {
		expect(engine.info).toEqual({
			kind: 'webllm',
			version: expect.stringMatching(/^@mlc-ai\/web-llm \d+\.\d+\.\d+$/)
		});
		expect(await engine.listCached()).toEqual([]);
		expect(await engine.hasInCache('SmolLM2-360M-Instruct-q4f32_1-MLC')).toBe(false);
	});

	test('countTokens is null when the model is not loaded', async () => {
		expect(await engine.countTokens('SmolLM2-360M-Instruct-q4f32_1-MLC', 'hello there')).toBeNull();
	});

	test('loading a registered model whose files are missing fails clearly', async () => {
		const rec = missingRecord('missing-q4f32_1');
		expect(await engine.registerModels([rec])).toEqual(['missing-q4f32_1']);
		const progress: number[] = [];
		const e = await rejection(engine.load('missing-q4f32_1', { onProgress: (p) => progress.push(p.fraction) }));
		expect(e.code).toBe('model-files-missing');
		expect(e.advice).toMatch(/URL/);
		expect(e.message).toContain(rec.model);
		// the HTML page Vite served must not stay cached as the model's config
		const config = await caches.open('webllm/config');
		expect(await config.match(`${rec.model}mlc-chat-config.json`)).toBeUndefined();
	});

	test('an unknown model id is refused', async () => {
		const e = await rejection(engine.load('never-registered'));
		expect(e.code).toBe('model-files-missing');
		expect(e.message).toMatch(/never-registered/);
	});

	test('malformed records are refused with a message saying what is wrong', async () => {
		const e = await rejection(engine.registerModels([{ model_id: 'x', model: 'relative/x', model_lib: 'y' }]));
		expect(e.message).toMatch(/absolute http/);
	});
});

describe('several resident models', () => {
	test('nothing is resident at first, and cancelAll with nothing running just answers', async () => {
		expect(await engine.residentIds()).toEqual([]);
		await engine.cancelAll();
		expect(await engine.residentIds()).toEqual([]);
	});

	test('a generate naming resident models is refused, not reloaded, when they are not loaded', async () => {
		await engine.registerModels([missingRecord('resident-q4f32_1')]);
		const e = await rejection(
			engine.generate(
				{
					modelId: 'resident-q4f32_1',
					resident: ['resident-q4f32_1'],
					messages: [{ role: 'user', content: 'hi' }],
					sampling: {}
				},
				{ onDelta: () => {} }
			)
		);
		expect(e.code).toBe('not-resident');
		expect(e.advice).toMatch(/Load the comparison's models first/);
		// a reload would have failed with 'model-files-missing' (its files do not exist) instead
		expect(await engine.hasInCache('resident-q4f32_1')).toBe(false);
	});
});

describe('cancel', () => {
	test('an aborted load rejects with "aborted" and the engine keeps answering', async () => {
		await engine.registerModels([missingRecord('cancelled-q4f32_1')]);
		const ctrl = new AbortController();
		const p = engine.load('cancelled-q4f32_1', { signal: ctrl.signal });
		ctrl.abort();
		expect((await rejection(p)).code).toBe('aborted');
		expect(await engine.listCached()).toEqual([]);
	});

	test('an already-aborted signal rejects without starting', async () => {
		const ctrl = new AbortController();
		ctrl.abort();
		expect((await rejection(engine.load('cancelled-q4f32_1', { signal: ctrl.signal }))).code).toBe('aborted');
	});
});

describe('cache manager on real Cache Storage', () => {
	test('lists a cached model with its size, then deletes it', async () => {
		const rec = missingRecord('fake-cached-q4f32_1');
		await engine.registerModels([rec]);
		// web-llm's layout: tensor-cache.json + shards in 'webllm/model', config in 'webllm/config'.
		const shard = new Uint8Array(1000);
		const tensorCache = JSON.stringify({
			metadata: {},
			records: [{ dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: 1000, records: [] }]
		});
		const config = JSON.stringify({ tokenizer_files: ['tokenizer.json'] });
		const model = await caches.open('webllm/model');
		await model.put(`${rec.model}tensor-cache.json`, new Response(tensorCache));
		await model.put(`${rec.model}params_shard_0.bin`, new Response(shard));
		await (await caches.open('webllm/config')).put(`${rec.model}mlc-chat-config.json`, new Response(config));
		const expectedBytes = shard.byteLength + new Blob([tensorCache]).size + new Blob([config]).size;

		expect(await engine.hasInCache(rec.model_id)).toBe(true);
		expect(await engine.listCached()).toEqual([{ modelId: rec.model_id, sizeBytes: expectedBytes, wasmBytes: 0, wasmSharedWith: [] }]);

		expect(await engine.deleteCached(rec.model_id)).toEqual({ deletedWasm: true, alsoRemoved: [] });
		expect(await engine.hasInCache(rec.model_id)).toBe(false);
		expect(await engine.listCached()).toEqual([]);
	});

	test('deleting a model whose weight folder another cached model shares reports that one too', async () => {
		const full = missingRecord('shared-q4f32_1');
		const short = { ...full, model_id: 'shared-q4f32_1-1k', model_lib: `${location.origin}/no-such-model/other.wasm` };
		await engine.registerModels([full, short]);
		const tensorCache = JSON.stringify({
			metadata: {},
			records: [{ dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: 4, records: [] }]
		});
		const model = await caches.open('webllm/model');
		await model.put(`${full.model}tensor-cache.json`, new Response(tensorCache));
		await model.put(`${full.model}params_shard_0.bin`, new Response(new Uint8Array(4)));
		expect(await engine.hasInCache(short.model_id)).toBe(true);

		expect(await engine.deleteCached(short.model_id)).toEqual({ deletedWasm: true, alsoRemoved: [full.model_id] });
		expect(await engine.hasInCache(full.model_id)).toBe(false);
	});
});
