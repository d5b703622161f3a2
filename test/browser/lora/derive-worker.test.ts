// Covers the REAL derive module worker in Chromium, with tiny models from test/factories put into
// web-llm's Cache API scopes: the derived model is complete for web-llm's own hasModelInCache; its
// merged weights read back from Cache Storage equal W + s·B·A computed here in float64 and rounded
// to f16 by a naive reference; untouched tensors are byte-identical; the record copies the base's
// wasm, overrides and VRAM; deleting it leaves the base and the shared wasm; cancel mid-way and a
// failure mid-way leave no URL under the derived prefix; a malformed adapter gives a clear error.
import { hasModelInCache, type AppConfig } from '@mlc-ai/web-llm';
import { afterAll, describe, expect, test } from 'vitest';
import { DeriveAbortedError } from '../../../src/domain/merge/errors.ts';
import { createDeriveClient, DeriveFailedError } from '../../../src/workers/derive-client.ts';
import type { DeriveJob } from '../../../src/workers/derive-protocol.ts';
import {
	buildHfOriginal,
	buildMlcFolder,
	buildPeftAdapter,
	naiveF16,
	naiveF16Decode,
	tinyArch,
	type PeftAdapter,
	type PeftModule,
	type TinyArch
} from '../../factories/tiny-models.ts';
import { cacheBase, readCachedTensors, uniqueTag, urlsUnder } from './cache-fixtures.ts';

const client = createDeriveClient();
afterAll(() => client.dispose());

const ALL = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;

function job(base: DeriveJob['baseRecord'], adapter: PeftAdapter, extra: Partial<DeriveJob> = {}): DeriveJob {
	return {
		baseRecord: base,
		adapter: {
			config: new Blob([adapter.files.get('adapter_config.json')! as Uint8Array<ArrayBuffer>]),
			tensors: new Blob([adapter.files.get('adapter_model.safetensors')! as Uint8Array<ArrayBuffer>])
		},
		origin: location.origin,
		...extra
	};
}

const appConfig = (...records: DeriveJob['baseRecord'][]) => ({ model_list: records }) as unknown as AppConfig;

/** Where a HF module's rows land in MLC (facts §5), written here independently of src/domain/lora. */
function place(a: TinyArch, m: PeftModule): { name: string; rowStart: number } {
	const q = a.heads * a.headDim;
	const kv = a.kvHeads * a.headDim;
	const p = `model.layers.${m.layer}`;
	const attn = `${p}.self_attn.qkv_proj`;
	const table: Record<string, { name: string; rowStart: number }> = {
		q_proj: { name: attn, rowStart: 0 },
		k_proj: { name: attn, rowStart: q },
		v_proj: { name: attn, rowStart: q + kv },
		o_proj: { name: `${p}.self_attn.o_proj`, rowStart: 0 },
		gate_proj: { name: `${p}.mlp.gate_up_proj`, rowStart: 0 },
		up_proj: { name: `${p}.mlp.gate_up_proj`, rowStart: a.intermediate },
		down_proj: { name: `${p}.mlp.down_proj`, rowStart: 0 }
	};
	return table[m.target];
}

describe('derive worker → web-llm cache', () => {
	const arch = tinyArch('llama');
	const original = buildHfOriginal(arch, { dtype: 'BF16' });
	const base = buildMlcFolder(arch, 'q0f16', original);
	const adapter = buildPeftAdapter(arch, { targets: [...ALL], rank: 4, alpha: 8, dtype: 'F32' });

	test('the derived model is cached for web-llm, merged as W + s·B·A, and deletable without touching the base', async () => {
		const baseRecord = await cacheBase(base.files, uniqueTag('llama-q0f16'));
		const phases = new Set<string>();
		const out = await client.derive(job(baseRecord, adapter), { onProgress: (p) => phases.add(p.phase) });

		// the record: own folder on this origin, base wasm/overrides/VRAM
		expect(out.record.model).toBe(`${location.origin}/derived/${out.modelId}/resolve/main/`);
		expect(out.modelId.startsWith(`${baseRecord.model_id}+lora-`)).toBe(true);
		expect(out.record).toMatchObject({
			model_id: out.modelId,
			model_lib: baseRecord.model_lib,
			vram_required_MB: 12,
			low_resource_required: true,
			overrides: { context_window_size: 512 }
		});
		expect([...phases]).toEqual(expect.arrayContaining(['derive', 'commit']));
		expect(await hasModelInCache(out.modelId, appConfig(baseRecord, out.record))).toBe(true);

		// weights read back from Cache Storage equal the formula
		const got = await readCachedTensors(out.record.model);
		const want = await readCachedTensors(baseRecord.model);
		expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
		const touched = new Set<string>();
		let exact = 0;
		let total = 0;
		const byTensor = new Map<string, { m: PeftModule; rowStart: number }[]>();
		for (const m of adapter.modules) {
			const p = place(arch, m);
			byTensor.set(p.name, [...(byTensor.get(p.name) ?? []), { m, rowStart: p.rowStart }]);
		}
		for (const [name, parts] of byTensor) {
			touched.add(`${name}.weight`);
			const param = base.params.get(`${name}.weight`)!;
			const cols = param.shape[1];
			const expected = Float64Array.from(param.values!);
			for (const { m, rowStart } of parts) {
				const s = m.alpha / m.rank;
				for (let o = 0; o < m.outFeatures; o++)
					for (let i = 0; i < m.inFeatures; i++) {
						let d = 0;
						for (let r = 0; r < m.rank; r++) d += m.b[o * m.rank + r] * m.a[r * m.inFeatures + i];
						expected[(rowStart + o) * cols + i] += s * d;
					}
			}
			const bits = new Uint16Array(got.get(`${name}.weight`)!.bytes.slice().buffer);
			expect(bits.length).toBe(expected.length);
			for (let i = 0; i < bits.length; i++) {
				const w = naiveF16(expected[i]);
				const g = naiveF16Decode(bits[i]);
				total++;
				if (g === w) exact++;
				// at most one f16 step from the correctly rounded value (f32 accumulation in the kernel)
				expect(Math.abs(g - w), `${name}[${i}]`).toBeLessThanOrEqual(Math.max(Math.abs(w) * 2 ** -10, 2 ** -24));
			}
			// and the delta really is there: the merged tensor differs from the base
			expect(got.get(`${name}.weight`)!.bytes).not.toEqual(want.get(`${name}.weight`)!.bytes);
		}
		expect(exact / total).toBeGreaterThan(0.999);
		for (const [name, t] of want) if (!touched.has(name)) expect(got.get(name)!.bytes, name).toEqual(t.bytes);
		expect(out.fidelity.summary.modules).toBe(adapter.modules.length);
		expect(out.fidelity.summary.minCosine).toBeGreaterThan(0.95);

		// config and tokenizer copied into their scopes
		const cfg = await (await caches.open('webllm/config')).match(new URL('mlc-chat-config.json', out.record.model).href);
		expect(new Uint8Array(await cfg!.arrayBuffer())).toEqual(base.files.get('mlc-chat-config.json'));
		expect(await (await caches.open('webllm/model')).match(new URL('tokenizer.json', out.record.model).href)).toBeDefined();

		// delete: only the derived URLs go
		const own = (await urlsUnder(out.record.model)).length;
		const deleted = await client.deleteDerived(out.record.model);
		// an overlay: its changed shards, tensor-cache.json, config, tokenizer; the base's shards stay the base's
		expect(deleted).toBe(own);
		expect(own).toBeLessThan(base.files.size);
		expect(await urlsUnder(out.record.model)).toEqual([]);
		expect(await hasModelInCache(out.modelId, appConfig(baseRecord, out.record))).toBe(false);
		expect(await hasModelInCache(baseRecord.model_id, appConfig(baseRecord))).toBe(true);
		expect(await (await caches.open('webllm/wasm')).match(baseRecord.model_lib)).toBeDefined();
		expect((await urlsUnder(baseRecord.model)).length).toBe(base.files.size);
	});

	test('cancel mid-way leaves nothing under the derived URL', async () => {
		const big = tinyArch('llama', { layers: 6, hidden: 128, intermediate: 256, heads: 8, kvHeads: 4 });
		const bigBase = buildMlcFolder(big, 'q0f16', buildHfOriginal(big, { dtype: 'BF16' }));
		const bigAdapter = buildPeftAdapter(big, { targets: [...ALL], rank: 8, alpha: 16, dtype: 'F32' });
		const baseRecord = await cacheBase(bigBase.files, uniqueTag('cancel'));
		const abort = new AbortController();
		let seen = 0;
		const p = client.derive(job(baseRecord, bigAdapter), {
			signal: abort.signal,
			onProgress: (e) => {
				if (e.phase === 'derive' && e.doneBytes > 0 && ++seen === 1) abort.abort();
			}
		});
		await expect(p).rejects.toBeInstanceOf(DeriveAbortedError);
		expect(seen).toBeGreaterThan(0);
		expect(await urlsUnder(`${location.origin}/derived/${baseRecord.model_id}+lora-`)).toEqual([]);
		expect(await hasModelInCache(baseRecord.model_id, appConfig(baseRecord))).toBe(true);
	});

	test('a failure after some shards were written removes them: nothing registered as cached', async () => {
		const files = new Map(base.files);
		const tc = base.tensorCache as { records: { dataPath: string; nbytes: number }[] };
		const last = tc.records[tc.records.length - 1];
		files.set(last.dataPath, files.get(last.dataPath)!.slice(0, last.nbytes - 2)); // truncated shard
		const baseRecord = await cacheBase(files, uniqueTag('broken'));
		const e = await client.derive(job(baseRecord, adapter)).then(
			() => null,
			(err: unknown) => err
		);
		expect(e).toBeInstanceOf(DeriveFailedError);
		expect((e as DeriveFailedError).errorName).toBe('BaseModelError');
		expect((e as Error).message).toMatch(new RegExp(`${last.dataPath}.*re-download`));
		expect(await urlsUnder(`${location.origin}/derived/${baseRecord.model_id}+lora-`)).toEqual([]);
	});

	test.each([
		['not JSON', new TextEncoder().encode('{ r: 8,'), 'PeftConfigError', /not valid JSON/],
		['DoRA', new TextEncoder().encode(JSON.stringify({ ...adapter.config, use_dora: true })), 'AdapterIncompatibleError', /DoRA/i],
		['negative rank', new TextEncoder().encode(JSON.stringify({ ...adapter.config, r: -4 })), 'PeftConfigError', /\br\b/]
	])('a malformed adapter (%s) fails with a clear message and writes nothing', async (_label, configBytes, errorName, pattern) => {
		const baseRecord = await cacheBase(base.files, uniqueTag('bad'));
		const bad: PeftAdapter = { ...adapter, files: new Map([...adapter.files, ['adapter_config.json', configBytes]]) };
		const e = await client.derive(job(baseRecord, bad)).then(
			() => null,
			(err: unknown) => err
		);
		expect(e).toBeInstanceOf(DeriveFailedError);
		expect((e as DeriveFailedError).errorName).toBe(errorName);
		expect((e as Error).message).toMatch(pattern);
		expect(await urlsUnder(`${location.origin}/derived/${baseRecord.model_id}+lora-`)).toEqual([]);
	});

	test('garbage instead of safetensors is refused with the reader’s message', async () => {
		const baseRecord = await cacheBase(base.files, uniqueTag('garbage'));
		const bad: PeftAdapter = { ...adapter, files: new Map([...adapter.files, ['adapter_model.safetensors', new Uint8Array(64).fill(7)]]) };
		const e = (await client.derive(job(baseRecord, bad)).catch((err: unknown) => err)) as DeriveFailedError;
		expect(e).toBeInstanceOf(DeriveFailedError);
		expect(e.errorName).toBe('SafetensorsError');
		expect(e.message.length).toBeGreaterThan(10);
	});
});
