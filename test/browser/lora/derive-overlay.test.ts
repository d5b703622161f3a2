// Covers the browser derivation's overlay form with real Cache Storage and web-llm's real cache code: the derived
// folder holds tensor-cache.json, config, tokenizer and ONLY the changed shards (stored bytes = planOverlay's, by
// hand below the base's); every tensor, resolved as web-llm does (new URL(dataPath, folder), byteOffset slice),
// equals the self-contained derivation's; hasModelInCache is true, and false once a base shard is gone; reload
// reads nothing from the network for the derived or base URLs (it stops at the stub wasm, as the other tests do).
import { MLCEngine, hasModelInCache, type AppConfig } from '@mlc-ai/web-llm';
import { expect, test } from 'vitest';
import { deriveModel } from '../../../src/domain/merge/index.ts';
import { planOverlay } from '../../../src/domain/merge/overlay.ts';
import { bytesSource, parseTensorCache } from '../../../src/domain/weights/index.ts';
import { createDeriveClient } from '../../../src/workers/derive-client.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo, outTensor } from '../../unit/merge/memory-io.ts';
import { bytesUnder, cacheBase, dropFolder, readCachedTensors, uniqueTag, urlsUnder } from './cache-fixtures.ts';

test('an overlay stores only the changed shards and reads the rest from the base', async () => {
	const arch = tinyArch('qwen2');
	const base = buildMlcFolder(arch, 'q0f32', buildHfOriginal(arch, { dtype: 'F32' }));
	const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'v_proj'], rank: 2, alpha: 4, dtype: 'BF16' });
	const cfgBytes = adapter.files.get('adapter_config.json')!;
	const stBytes = adapter.files.get('adapter_model.safetensors')!;
	const baseRecord = await cacheBase(base.files, uniqueTag('overlay-q0f32'));
	const client = createDeriveClient();
	const out = await client
		.derive({
			baseRecord,
			adapter: { config: new Blob([cfgBytes as Uint8Array<ArrayBuffer>]), tensors: new Blob([stBytes as Uint8Array<ArrayBuffer>]) },
			origin: location.origin
		})
		.finally(() => client.dispose());

	// the plan, by hand: the c_attn weights change (bf16 → raw f32, twice the bytes); nothing else is stored
	const baseTc = parseTensorCache(base.tensorCache);
	const changed = new Set(baseTc.records.flatMap((s) => s.records.filter((r) => r.name.endsWith('c_attn.weight')).map((r) => r.name)));
	const plan = planOverlay(baseTc, baseRecord.model, changed, (r) => ({ ...r, format: 'raw', nbytes: r.nbytes * 2 }));
	const touchedBase = baseTc.records
		.flatMap((s) => s.records)
		.filter((r) => changed.has(r.name))
		.reduce((a, r) => a + r.nbytes, 0);
	expect(plan.storedBytes).toBe(2 * touchedBase);
	const cfg = JSON.parse(new TextDecoder().decode(base.files.get('mlc-chat-config.json')!)) as { tokenizer_files: string[] };
	const expectedFiles = [
		'mlc-chat-config.json',
		'tensor-cache.json',
		...cfg.tokenizer_files,
		...plan.newShards.map((n) => n.shard.dataPath)
	];
	expect(await urlsUnder(out.record.model)).toEqual(expectedFiles.map((n) => new URL(n, out.record.model).href).sort());
	const small = [...base.files].filter(([n]) => !n.endsWith('.bin')).reduce((a, [, b]) => a + b.byteLength, 0);
	const derivedBytes = await bytesUnder(out.record.model);
	const baseBytes = await bytesUnder(baseRecord.model);
	// stored = the new shards + the small files (its own tensor-cache.json instead of the base's)
	const ownTc = (await (await caches.open('webllm/model')).match(new URL('tensor-cache.json', out.record.model).href))!;
	const ownTcBytes = (await ownTc.blob()).size;
	const baseTcBytes = base.files.get('tensor-cache.json')!.byteLength;
	expect(derivedBytes).toBe(plan.storedBytes + small - baseTcBytes + ownTcBytes);
	expect(derivedBytes).toBeLessThan(baseBytes);
	expect(out.sizeBytes).toBe(derivedBytes);

	// every tensor equals the self-contained derivation's
	const io = await memoryIo(base.files);
	await deriveModel(io, {
		baseModelId: baseRecord.model_id,
		adapter: { configJson: JSON.parse(new TextDecoder().decode(cfgBytes)), tensors: bytesSource(stBytes), sha256: out.adapterSha256 }
	});
	const got = await readCachedTensors(out.record.model);
	expect(got.size).toBe(baseTc.records.flatMap((s) => s.records).length);
	for (const [name, t] of got) expect(t.bytes, name).toEqual(outTensor(io.out, name).bytes.slice());

	// web-llm's own checks: cached as a whole, and reload goes to no network for derived or base files
	const appConfig = { model_list: [baseRecord, out.record] } as unknown as AppConfig;
	expect(await hasModelInCache(out.modelId, appConfig)).toBe(true);
	const realFetch = globalThis.fetch;
	const realAdd = Cache.prototype.add;
	const seen: string[] = [];
	globalThis.fetch = (input, init) => (seen.push(String(input instanceof Request ? input.url : input)), realFetch(input, init));
	Cache.prototype.add = function (req) {
		seen.push(typeof req === 'string' ? req : req instanceof URL ? req.href : req.url);
		return realAdd.call(this, req);
	};
	try {
		const err = await new MLCEngine({ appConfig }).reload(out.modelId).then(
			() => null,
			(e: unknown) => e
		);
		expect(String(err)).toMatch(/WebAssembly/);
	} finally {
		globalThis.fetch = realFetch;
		Cache.prototype.add = realAdd;
	}
	expect(seen.filter((u) => u.startsWith(out.record.model) || u.startsWith(baseRecord.model))).toEqual([]);

	// a base shard gone: web-llm no longer counts the overlay as cached
	const external = plan.shards.find((s) => s.dataPath.startsWith(baseRecord.model))!;
	await (await caches.open('webllm/model')).delete(external.dataPath);
	expect(await hasModelInCache(out.modelId, appConfig)).toBe(false);
	await dropFolder(out.record.model);
	await dropFolder(baseRecord.model);
});
