// Covers (with web-llm's REAL loader, in the page) that a derived model is read from Cache Storage
// with no network request to its URLs: fetch and Cache.add/addAll (web-llm's ArtifactCache downloads
// through cache.add on a miss) are wrapped to record URLs; engine.reload() of the derived record reads
// mlc-chat-config.json and gets as far as instantiating the wasm (a 4-byte stub, so it fails there:
// no real model library exists here); hasModelInCache reads tensor-cache.json. A control record whose
// files are NOT cached shows the recorder does see web-llm's downloads. The remaining files (tokenizer,
// shards) are checked to sit in the cache under exactly the URL strings web-llm computes, which is
// the condition under which its ArtifactCache.addToCache and fetchTensorCacheInternal skip the network.
import { MLCEngine, hasModelInCache, type AppConfig } from '@mlc-ai/web-llm';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { createDeriveClient } from '../../../src/workers/derive-client.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';
import { cacheBase, uniqueTag } from './cache-fixtures.ts';

const recorded: string[] = [];
const realFetch = globalThis.fetch;
const realAdd = Cache.prototype.add;
const realAddAll = Cache.prototype.addAll;
const urlOf = (r: RequestInfo | URL) => (typeof r === 'string' ? r : r instanceof URL ? r.href : r.url);

beforeEach(() => {
	recorded.length = 0;
	globalThis.fetch = (input, init) => {
		recorded.push(new URL(urlOf(input), location.href).href);
		return realFetch(input, init);
	};
	Cache.prototype.add = function (req) {
		recorded.push(new URL(urlOf(req), location.href).href);
		return realAdd.call(this, req);
	};
	Cache.prototype.addAll = function (reqs) {
		for (const r of reqs) recorded.push(new URL(urlOf(r), location.href).href);
		return realAddAll.call(this, reqs);
	};
});
afterEach(() => {
	globalThis.fetch = realFetch;
	Cache.prototype.add = realAdd;
	Cache.prototype.addAll = realAddAll;
});

test('web-llm loads the derived model from the cache without fetching its URLs', async () => {
	const arch = tinyArch('qwen2');
	const base = buildMlcFolder(arch, 'q0f32', buildHfOriginal(arch, { dtype: 'F32' }));
	const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'v_proj'], rank: 2, alpha: 4, dtype: 'BF16' });
	const baseRecord = await cacheBase(base.files, uniqueTag('qwen2-q0f32'));
	const client = createDeriveClient();
	const out = await client
		.derive({
			baseRecord,
			adapter: {
				config: new Blob([adapter.files.get('adapter_config.json')! as Uint8Array<ArrayBuffer>]),
				tensors: new Blob([adapter.files.get('adapter_model.safetensors')! as Uint8Array<ArrayBuffer>])
			},
			origin: location.origin
		})
		.finally(() => client.dispose());
	recorded.length = 0;

	const control = { ...out.record, model_id: 'not-cached', model: `${location.origin}/derived/not-cached/resolve/main/` };
	const appConfig = { model_list: [baseRecord, out.record, control] } as unknown as AppConfig;
	const engine = new MLCEngine({ appConfig });

	// the real loader: config from the cache, then the wasm (a stub) fails to instantiate
	const err = await engine.reload(out.modelId).then(
		() => null,
		(e: unknown) => e
	);
	// it failed at the wasm, i.e. after reading the derived config from the cache
	expect(String(err)).toMatch(/WebAssembly/);
	expect(await hasModelInCache(out.modelId, appConfig)).toBe(true);
	const derivedHits = recorded.filter((u) => u.startsWith(out.record.model));
	expect(derivedHits).toEqual([]);

	// tokenizer and shards: present under exactly the URLs web-llm computes (new URL(name, modelUrl))
	const model = await caches.open('webllm/model');
	const cfg = JSON.parse(new TextDecoder().decode(base.files.get('mlc-chat-config.json')!)) as { tokenizer_files: string[] };
	const tc = (await (await model.match(new URL('tensor-cache.json', out.record.model).href))!.json()) as {
		records: { dataPath: string }[];
	};
	for (const name of [...cfg.tokenizer_files, ...tc.records.map((s) => s.dataPath)]) {
		expect(await model.match(new URL(name, out.record.model).href), name).toBeDefined();
	}

	// control: for a record whose files are missing, the recorder does see web-llm going to the network
	recorded.length = 0;
	await expect(engine.reload('not-cached')).rejects.toBeDefined();
	expect(recorded).toContain(`${control.model}mlc-chat-config.json`);
	await (await caches.open('webllm/config')).delete(`${control.model}mlc-chat-config.json`);
});
