// deriveModel on hostile or broken input: each case is refused with its own clear error before any file
// is written (or, for a NaN found in a base tensor, before that shard and the manifest), so no NaN
// fidelity line and no complete-looking output. Covers: a scale / lora_alpha that makes the merged
// weights non-finite (q0f16, q0f32, q4), NaN and Inf in the original weights, NaN in a base tensor,
// tokenizer_files naming a weight shard or tensor-cache.json, two shards naming one file.

import { describe, expect, it } from 'vitest';
import { deriveModel, NonFiniteWeightsError, BaseModelError } from '../../../src/domain/merge/index.ts';
import { bytesSource, readSafetensorsHeader, TensorCacheError } from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, type FileMap, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo } from './memory-io.ts';

const HASH = 'ef'.repeat(32);
const arch = tinyArch('llama');
const original = buildHfOriginal(arch, { dtype: 'BF16' });
const q0f16 = buildMlcFolder(arch, 'q0f16', original);
const adapter = buildPeftAdapter(arch, { targets: ['q_proj'], rank: 2, alpha: 2, dtype: 'F32' });

async function derive(files: FileMap, opts: { scale?: number; config?: unknown; originalFiles?: FileMap } = {}) {
	const io = await memoryIo(files, opts.originalFiles);
	const p = deriveModel(io, {
		baseModelId: 'tiny',
		adapter: {
			configJson: opts.config ?? adapter.config,
			tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!),
			sha256: HASH
		},
		scale: opts.scale
	});
	return { io, p };
}

function withJson(files: FileMap, name: string, edit: (j: Record<string, unknown>) => void): FileMap {
	const j = JSON.parse(new TextDecoder().decode(files.get(name)!));
	edit(j);
	return new Map([...files, [name, new TextEncoder().encode(JSON.stringify(j))]]);
}

describe('non-finite merged weights', () => {
	it.each([
		['a huge --scale on q0f16', () => derive(q0f16.files, { scale: 1e30 })],
		['a huge lora_alpha on q0f16', () => derive(q0f16.files, { config: { ...adapter.config, lora_alpha: 1e36 } })],
		['a huge --scale on q0f32', () => derive(buildMlcFolder(arch, 'q0f32', original).files, { scale: 1e300 })],
		['a huge --scale on q4f16_1', () => derive(buildMlcFolder(arch, 'q4f16_1', original).files, { scale: 1e30 })]
	])('%s is refused before anything is written', async (_, run) => {
		const { io, p } = await run();
		await expect(p).rejects.toBeInstanceOf(NonFiniteWeightsError);
		await expect(p).rejects.toThrow(/would not be finite.*smaller --scale/);
		expect(io.out.size).toBe(0);
	});

	it('a NaN in a base tensor is refused before its shard is written, with no manifest', async () => {
		const files = new Map(q0f16.files);
		const cache = JSON.parse(new TextDecoder().decode(files.get('tensor-cache.json')!));
		const shard = cache.records.find((s: { records: { name: string }[] }) =>
			s.records.some((r) => r.name === 'model.layers.0.self_attn.qkv_proj.weight')
		);
		const rec = shard.records.find((r: { name: string }) => r.name === 'model.layers.0.self_attn.qkv_proj.weight');
		const bytes = files.get(shard.dataPath)!.slice();
		new DataView(bytes.buffer).setUint16(rec.byteOffset, 0x7e00, true); // f16 NaN in row 0 (a q row)
		files.set(shard.dataPath, bytes);
		const { io, p } = await derive(files);
		await expect(p).rejects.toThrow(
			/merged weights are not finite \(NaN\/Inf in the base tensor model\.layers\.0\.self_attn\.qkv_proj\.weight/
		);
		expect(io.out.has(shard.dataPath)).toBe(false);
		expect(io.out.has('derived-model.json')).toBe(false);
	});
});

describe('NaN and Inf in the original weights', () => {
	it.each([
		[0x7fc0, 'NaN'],
		[0x7f80, 'Infinity']
	])('bf16 bits %s (%s) in an original tensor are refused with where they are', async (bits, shown) => {
		const files = new Map(original.files);
		const file = files.get('model.safetensors')!.slice();
		const h = await readSafetensorsHeader(bytesSource(file));
		const e = h.entries.get('model.layers.0.self_attn.q_proj.weight')!;
		new DataView(file.buffer).setUint16(e.begin + 2 * (arch.hidden + 5), bits, true); // row 1, column 5
		files.set('model.safetensors', file);
		const { io, p } = await derive(buildMlcFolder(arch, 'q4f16_1', original).files, { originalFiles: files });
		await expect(p).rejects.toBeInstanceOf(NonFiniteWeightsError);
		await expect(p).rejects.toThrow(new RegExp(`hold ${shown} in model\\.layers\\.0\\.self_attn\\.q_proj\\.weight \\(row 1, column 5\\)`));
		expect(io.out.has('derived-model.json')).toBe(false);
	});
});

describe('inconsistent model folders', () => {
	it.each([
		['a weight shard', 'params_shard_0.bin', /is a weight shard, not a tokenizer/],
		['tensor-cache.json', 'tensor-cache.json', /is a model file, not a tokenizer/]
	])('tokenizer_files naming %s is refused before anything is written', async (_, name, message) => {
		const files = withJson(q0f16.files, 'mlc-chat-config.json', (j) => void (j.tokenizer_files = ['tokenizer.json', name]));
		const { io, p } = await derive(files);
		await expect(p).rejects.toBeInstanceOf(BaseModelError);
		await expect(p).rejects.toThrow(message);
		expect(io.out.size).toBe(0);
	});

	it('two shards of tensor-cache.json naming the same file are refused', async () => {
		const files = withJson(q0f16.files, 'tensor-cache.json', (j) => {
			const recs = j.records as { dataPath: string }[];
			if (recs.length < 2) throw new Error('the factory model has one shard; this test needs two');
			recs[1].dataPath = recs[0].dataPath;
		});
		const { io, p } = await derive(files);
		await expect(p).rejects.toBeInstanceOf(TensorCacheError);
		expect(io.out.size).toBe(0);
	});
});
