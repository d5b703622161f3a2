// deriveModel on 4-bit bases (q4f16_1, q4f32_1): re-quantization from the original HF weights + ΔW.
// Covers: touched rows equal the factory's naive reference quantizer applied to original + s·B·A;
// untouched rows and tensors keep their codes; the stochastic route without originals (labelled); refusal with
// originals of another model ("original weights don't match this base"); fidelity reported.

import { expect, test } from 'vitest';
import { deriveModel, METHOD_LABELS, OriginalMismatchError } from '../../../src/domain/merge/index.ts';
import { bytesSource } from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, naiveQuantizeQ4, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo, naiveDelta, outTensor } from './memory-io.ts';

const HASH = 'cd'.repeat(32);

test.each(['q4f16_1', 'q4f32_1'] as const)('%s: touched rows re-quantized from original + ΔW', async (quant) => {
	const arch = tinyArch('qwen2');
	const original = buildHfOriginal(arch, { dtype: 'BF16', sharded: true });
	const base = buildMlcFolder(arch, quant, original);
	const adapter = buildPeftAdapter(arch, {
		targets: ['k_proj', 'down_proj'],
		rank: 4,
		alpha: 8,
		dtype: 'F32',
		layers: [1],
		valueScale: 0.3
	});
	const io = await memoryIo(base.files, original.files);
	const result = await deriveModel(io, {
		baseModelId: 'tiny',
		adapter: { configJson: adapter.config, tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!), sha256: HASH }
	});
	const f16 = quant === 'q4f16_1';
	const q = arch.heads * arch.headDim,
		kv = arch.kvHeads * arch.headDim;
	// k_proj: rows [q, q+kv) of c_attn; expected = naive quantize of (original + Δ)
	const k = adapter.modules.find((m) => m.target === 'k_proj')!;
	const wk = original.tensors.get('model.layers.1.self_attn.k_proj.weight')!.values;
	const dk = naiveDelta(k, k.alpha / k.rank);
	const merged = Float32Array.from(wk, (v, i) => v + dk[i]);
	const want = naiveQuantizeQ4(merged, kv, arch.hidden, f16);
	const words = arch.hidden / 8;
	const got = new Uint32Array(outTensor(io.out, 'model.layers.1.self_attn.c_attn.q_weight').bytes.slice().buffer);
	const baseWords = base.params.get('model.layers.1.self_attn.c_attn.q_weight')!.words!;
	const gotK = got.subarray(q * words, (q + kv) * words);
	let same = 0;
	for (let i = 0; i < gotK.length; i++) if (gotK[i] === want.qWeight[i]) same++;
	expect(same / gotK.length).toBeGreaterThan(0.99);
	// the adapter really moved codes (otherwise this test could not fail)
	let moved = 0;
	for (let i = 0; i < gotK.length; i++) if (gotK[i] !== baseWords[q * words + i]) moved++;
	expect(moved).toBeGreaterThan(0);
	// q and v rows keep the base codes
	expect(got.subarray(0, q * words)).toEqual(baseWords.subarray(0, q * words));
	expect(got.subarray((q + kv) * words)).toEqual(baseWords.subarray((q + kv) * words));
	// untouched layer 0 keeps its bytes
	expect(outTensor(io.out, 'model.layers.0.self_attn.c_attn.q_weight').bytes).toEqual(
		new Uint8Array(base.params.get('model.layers.0.self_attn.c_attn.q_weight')!.words!.slice().buffer)
	);
	// scales: stored in the model dtype (f16) or as bf16 for f32 models, rounding checked loosely
	const scaleRec = outTensor(io.out, 'model.layers.1.self_attn.c_attn.q_scale');
	expect(scaleRec.rec.nbytes).toBe(base.params.get('model.layers.1.self_attn.c_attn.q_scale')!.shape.reduce((a, b) => a * b) * 2);
	expect(result.manifest.method).toBe('requantized-from-original');
	expect(result.fidelity.summary.modules).toBe(2);
	expect(result.fidelity.summary.medianCosine).toBeGreaterThan(0.5);
});

test('a 4-bit base without original weights takes the stochastic route, labelled as such', async () => {
	const arch = tinyArch('llama');
	const base = buildMlcFolder(arch, 'q4f16_1', buildHfOriginal(arch, { dtype: 'BF16' }));
	const adapter = buildPeftAdapter(arch, { targets: ['q_proj'], rank: 2, alpha: 2, dtype: 'F32' });
	const io = await memoryIo(base.files);
	const result = await deriveModel(io, {
		baseModelId: 'tiny',
		adapter: { configJson: adapter.config, tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!), sha256: HASH }
	});
	expect(result.manifest.method).toBe('stochastic-rounding');
	expect(METHOD_LABELS[result.manifest.method]).toBe("stochastic rounding into the base's 4-bit grid; adds weight noise");
	// scales are the base's own
	for (const name of ['model.layers.0.self_attn.qkv_proj.q_scale', 'model.layers.1.self_attn.qkv_proj.q_scale']) {
		expect(outTensor(io.out, name).bytes).toEqual(outTensor(base.files, name).bytes);
	}
	// and the adapter moved codes of q's rows
	const qw = 'model.layers.0.self_attn.qkv_proj.q_weight';
	expect(outTensor(io.out, qw).bytes).not.toEqual(outTensor(base.files, qw).bytes);
	expect(result.fidelity.summary.extraNoise).not.toBeNull();
	expect(io.out.has('derived-model.json')).toBe(true);
});

test("originals of another model are refused: original weights don't match this base", async () => {
	const arch = tinyArch('llama');
	const base = buildMlcFolder(arch, 'q4f32_1', buildHfOriginal(arch, { dtype: 'BF16' }));
	const other = buildHfOriginal(tinyArch('llama', { seed: 99 }), { dtype: 'BF16' });
	const adapter = buildPeftAdapter(arch, { targets: ['q_proj'], rank: 2, alpha: 2, dtype: 'F32' });
	const io = await memoryIo(base.files, other.files);
	const run = deriveModel(io, {
		baseModelId: 'tiny',
		adapter: { configJson: adapter.config, tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!), sha256: HASH }
	});
	await expect(run).rejects.toBeInstanceOf(OriginalMismatchError);
	await expect(run).rejects.toThrow(/don't match this base/);
	expect(io.out.has('derived-model.json')).toBe(false);
});
