// Covers the tiny-model factories against the implementation (each side written independently):
// HF originals read back through openSafetensorsSet (single and sharded), MLC folders whose
// tensor-cache parses and whose q4 tensors equal quantizeQ4 of the q0 weights, fused names per
// family, and PEFT adapters with PEFT key names, shapes and rank_pattern applied.

import { describe, expect, test } from 'vitest';
import {
	bytesSource,
	decodeRecordF32,
	openSafetensorsSet,
	parseTensorCache,
	quantizeQ4,
	readSafetensorsHeader,
	readTensorF32
} from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch, type FileMap } from '../../factories/tiny-models.ts';

const sources = (files: FileMap) => new Map([...files].map(([k, v]) => [k, bytesSource(v)]));

describe.each(['llama', 'qwen2', 'qwen3'] as const)('%s', (kind) => {
	const arch = tinyArch(kind, { tied: kind !== 'llama' });

	test.each([false, true])('HF original (sharded: %s) reads back exactly', async (sharded) => {
		const o = buildHfOriginal(arch, { dtype: 'BF16', sharded });
		expect(o.files.has('model.safetensors.index.json')).toBe(sharded);
		const loc = await openSafetensorsSet(sources(o.files));
		expect(loc.names().sort()).toEqual([...o.tensors.keys()].sort());
		for (const [name, t] of o.tensors) {
			const { src, entry } = loc.find(name)!;
			expect(entry.shape).toEqual(t.shape);
			expect(await readTensorF32(src, entry)).toEqual(t.values);
		}
	});

	test('q4 folders hold quantizeQ4 of the q0 weights; every record decodes to the params', () => {
		const o = buildHfOriginal(arch, { dtype: 'BF16' });
		for (const [q4, q0, dtype] of [
			['q4f16_1', 'q0f16', 'float16'],
			['q4f32_1', 'q0f32', 'float32']
		] as const) {
			const folder = buildMlcFolder(arch, q4, o);
			const plain = buildMlcFolder(arch, q0, o);
			const tc = parseTensorCache(folder.tensorCache);
			expect(tc.records.length).toBeGreaterThan(2);
			for (const shard of tc.records) {
				expect(folder.files.get(shard.dataPath)!.byteLength).toBe(shard.nbytes);
				for (const r of shard.records) {
					const p = folder.params.get(r.name)!;
					if (r.name.endsWith('.q_weight')) {
						const base = r.name.slice(0, -'.q_weight'.length);
						const w = plain.params.get(`${base}.weight`)!;
						const ref = quantizeQ4(w.values!, w.shape[0], w.shape[1], dtype);
						expect(p.words).toEqual(ref.qWeight);
						expect(folder.params.get(`${base}.q_scale`)!.values).toEqual(ref.qScale);
					} else if (r.dtype === 'float16') {
						const bytes = folder.files.get(shard.dataPath)!.subarray(r.byteOffset, r.byteOffset + r.nbytes);
						expect(decodeRecordF32(r, bytes)).toEqual(p.values);
					}
				}
			}
		}
	});

	test('MLC names use the fused layouts of the family', () => {
		const folder = buildMlcFolder(arch, 'q0f16', buildHfOriginal(arch, { dtype: 'F16' }));
		const attn = kind === 'llama' ? 'qkv_proj' : 'c_attn';
		const qkv = folder.params.get(`model.layers.0.self_attn.${attn}.weight`)!;
		expect(qkv.shape).toEqual([(arch.heads + 2 * arch.kvHeads) * arch.headDim, arch.hidden]);
		expect(folder.params.get('model.layers.1.mlp.gate_up_proj.weight')!.shape).toEqual([2 * arch.intermediate, arch.hidden]);
		expect(folder.params.has(`model.layers.0.self_attn.${attn}.bias`)).toBe(kind === 'qwen2');
		expect(folder.params.has('model.layers.0.self_attn.q_norm.weight')).toBe(kind === 'qwen3');
		expect(folder.params.has('lm_head.weight')).toBe(!arch.tied);
		const cfg = folder.mlcConfig as { model_type: string; quantization: string };
		expect([cfg.model_type, cfg.quantization]).toEqual([kind, 'q0f16']);
	});
});

test('PEFT adapter: keys, shapes, rank_pattern and layers', async () => {
	const arch = tinyArch('qwen2');
	const adapter = buildPeftAdapter(arch, {
		targets: ['q_proj', 'down_proj', 'embed_tokens'],
		rank: 4,
		alpha: 8,
		dtype: 'F16',
		rankPattern: { down_proj: 2 },
		layers: [1]
	});
	const file = adapter.files.get('adapter_model.safetensors')!;
	const header = await readSafetensorsHeader(bytesSource(file));
	const shapes = Object.fromEntries([...header.entries].map(([k, e]) => [k, e.shape]));
	expect(shapes).toEqual({
		'base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight': [4, 64],
		'base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight': [64, 4],
		'base_model.model.model.layers.1.mlp.down_proj.lora_A.weight': [2, 128],
		'base_model.model.model.layers.1.mlp.down_proj.lora_B.weight': [64, 2],
		'base_model.model.model.embed_tokens.lora_embedding_A': [4, 96],
		'base_model.model.model.embed_tokens.lora_embedding_B': [64, 4]
	});
	for (const m of adapter.modules) {
		expect(await readTensorF32(bytesSource(file), header.entries.get(m.keyA)!)).toEqual(m.a);
		expect(m.b.some((v) => v !== 0)).toBe(true);
	}
	const config = JSON.parse(new TextDecoder().decode(adapter.files.get('adapter_config.json')));
	expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, rank_pattern: { down_proj: 2 }, layers_to_transform: [1] });
});
