// deriveModel on unquantized bases (q0f16, q0f32), llama- and qwen2-shaped tiny models.
// Covers: merged values = W + s·B·A (naive float64 reference, independent rounding) for every targeted
// fused part (q|k|v, gate|up), o/down, embed_tokens on an untied model; rsLoRA and rank/alpha patterns;
// layer subsets; F32/F16/BF16 adapters; user scale; untouched tensors byte-identical; q0f32 merged
// tensors stored as raw float32; fidelity numbers; output files and derived-model.json written last.

import { describe, expect, test } from 'vitest';
import { deriveModel, derivedModelId } from '../../../src/domain/merge/index.ts';
import { bytesSource } from '../../../src/domain/weights/index.ts';
import {
	buildHfOriginal,
	buildMlcFolder,
	buildPeftAdapter,
	naiveF16,
	type PeftAdapter,
	type PeftModule,
	type PeftOptions,
	tinyArch,
	type TinyArch
} from '../../factories/tiny-models.ts';
import { decodeBytes, memoryIo, naiveDelta, outTensor } from './memory-io.ts';

const HASH = 'ab'.repeat(32);

/** Where a HF module lands in MLC (facts §5), computed here independently of src/domain/lora. */
function place(a: TinyArch, m: PeftModule): { name: string; rowStart: number } {
	const q = a.heads * a.headDim,
		kv = a.kvHeads * a.headDim;
	const p = `model.layers.${m.layer}`;
	const attn = `${p}.self_attn.${a.kind === 'llama' ? 'qkv_proj' : 'c_attn'}`;
	switch (m.target) {
		case 'q_proj':
			return { name: attn, rowStart: 0 };
		case 'k_proj':
			return { name: attn, rowStart: q };
		case 'v_proj':
			return { name: attn, rowStart: q + kv };
		case 'gate_proj':
			return { name: `${p}.mlp.gate_up_proj`, rowStart: 0 };
		case 'up_proj':
			return { name: `${p}.mlp.gate_up_proj`, rowStart: a.intermediate };
		case 'embed_tokens':
			return { name: 'model.embed_tokens', rowStart: 0 };
		default:
			return { name: `${p}.${m.target === 'o_proj' ? 'self_attn' : 'mlp'}.${m.target}`, rowStart: 0 };
	}
}

function scalingOf(m: PeftModule, rslora: boolean): number {
	return rslora ? m.alpha / Math.sqrt(m.rank) : m.alpha / m.rank;
}

async function derive(arch: TinyArch, quant: 'q0f16' | 'q0f32', peft: PeftOptions, scale = 1) {
	const original = buildHfOriginal(arch, { dtype: 'BF16' });
	const base = buildMlcFolder(arch, quant, original);
	const adapter = buildPeftAdapter(arch, peft);
	const io = await memoryIo(base.files);
	const result = await deriveModel(io, {
		baseModelId: `tiny-${arch.kind}-${quant}`,
		adapter: { configJson: adapter.config, tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!), sha256: HASH },
		scale
	});
	return { base, adapter, io, result };
}

/** Checks every targeted tensor against the naive reference; returns the share of exact matches. */
function checkMerged(
	arch: TinyArch,
	quant: 'q0f16' | 'q0f32',
	base: ReturnType<typeof buildMlcFolder>,
	adapter: PeftAdapter,
	out: Map<string, Uint8Array>,
	rslora: boolean,
	scale: number
): number {
	const byTensor = new Map<string, { m: PeftModule; rowStart: number }[]>();
	for (const m of adapter.modules) {
		const p = place(arch, m);
		byTensor.set(p.name, [...(byTensor.get(p.name) ?? []), { m, rowStart: p.rowStart }]);
	}
	let exact = 0,
		total = 0;
	for (const [name, parts] of byTensor) {
		const param = base.params.get(`${name}.weight`)!;
		const cols = param.shape[1];
		// base value as stored: f16 values, or f32 stored as bf16
		const w = Float64Array.from(param.values!, (v) =>
			quant === 'q0f32' ? decodeBytes(new Uint8Array(new Float32Array([v]).buffer).slice(2, 4), 'bf16')[0] : v
		);
		const expected = Float64Array.from(w);
		// magnitude bound for float32 accumulation error: |w| + Σ|s·b·a| ≤ |w| + |s|·rank·max|b|·max|a|
		const mag = Float64Array.from(w, Math.abs);
		for (const { m, rowStart } of parts) {
			const s = scalingOf(m, rslora) * scale;
			const d = naiveDelta(m, s);
			const maxA = Math.max(...m.a.map(Math.abs)),
				maxB = Math.max(...m.b.map(Math.abs));
			for (let i = 0; i < d.length; i++) {
				expected[rowStart * cols + i] += d[i];
				mag[rowStart * cols + i] += Math.abs(s) * m.rank * maxA * maxB * (m.rank + 2) * 2 ** -24;
			}
		}
		const { rec, bytes } = outTensor(out, `${name}.weight`);
		if (quant === 'q0f32') {
			expect(rec).toMatchObject({ dtype: 'float32', format: 'raw', nbytes: w.length * 4 });
		} else {
			expect(rec).toMatchObject({ dtype: 'float16', nbytes: w.length * 2 });
		}
		const got = decodeBytes(bytes, quant === 'q0f32' ? 'f32' : 'f16');
		for (let i = 0; i < got.length; i++) {
			const want = quant === 'q0f32' ? Math.fround(expected[i]) : naiveF16(expected[i]);
			total++;
			if (got[i] === want) exact++;
			// never more than one rounding step away from the correctly rounded value
			// (plus the float32 accumulation error of the delta, bounded by mag)
			const ulp = quant === 'q0f32' ? Math.abs(want) * 2 ** -23 : Math.max(Math.abs(want) * 2 ** -10, 2 ** -24);
			const accErr = mag[i] - Math.abs(w[i]) + Math.abs(w[i]) * 2 ** -24;
			expect(Math.abs(got[i] - want), `${name}[${i}]`).toBeLessThanOrEqual(ulp + accErr);
		}
	}
	return exact / total;
}

const ALL = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;

describe.each(['llama', 'qwen2'] as const)('%s', (kind) => {
	test.each(['q0f16', 'q0f32'] as const)('%s: all seven linears merged as W + s·B·A', async (quant) => {
		const arch = tinyArch(kind);
		const { base, adapter, io, result } = await derive(arch, quant, { targets: [...ALL], rank: 4, alpha: 8, dtype: 'F32' });
		const share = checkMerged(arch, quant, base, adapter, io.out, false, 1);
		// f16 results are nearly always the correctly rounded value; f32 keeps its accumulation noise
		expect(share).toBeGreaterThan(quant === 'q0f16' ? 0.999 : 0.8);
		expect(result.modelId).toBe(derivedModelId(`tiny-${kind}-${quant}`, HASH));
		// q0f32 is exact up to f32 rounding; q0f16 loses a little of the delta to f16 rounding
		if (quant === 'q0f32') expect(result.fidelity.summary.maxRelError).toBeLessThan(1e-4);
		else expect(result.fidelity.summary.minCosine).toBeGreaterThan(0.95);
		expect(result.fidelity.summary.modules).toBe(adapter.modules.length);
	});
});

test('untouched tensors keep their bytes and records; untouched q0f32 tensors stay bf16', async () => {
	const arch = tinyArch('qwen2');
	for (const quant of ['q0f16', 'q0f32'] as const) {
		const { base, io } = await derive(arch, quant, { targets: ['q_proj'], rank: 2, alpha: 4, dtype: 'F32', layers: [1] });
		const cache = base.tensorCache as {
			records: { dataPath: string; records: { name: string; byteOffset: number; nbytes: number; format: string }[] }[];
		};
		for (const shard of cache.records) {
			for (const r of shard.records) {
				if (r.name === 'model.layers.1.self_attn.c_attn.weight') continue;
				const { rec, bytes } = outTensor(io.out, r.name);
				expect(rec.format, r.name).toBe(r.format);
				expect(bytes, r.name).toEqual(base.files.get(shard.dataPath)!.subarray(r.byteOffset, r.byteOffset + r.nbytes));
			}
		}
		// the qwen2 bias of the targeted c_attn is untouched too
		expect(outTensor(io.out, 'model.layers.1.self_attn.c_attn.bias').rec.format).toBe('f32-to-bf16');
	}
});

test.each([
	['rsLoRA, F16 tensors', { rslora: true, dtype: 'F16' as const }],
	[
		'rank and alpha patterns, BF16 tensors',
		{ dtype: 'BF16' as const, rankPattern: { 'layers\\.1\\..*q_proj': 2 }, alphaPattern: { down_proj: 3 } }
	],
	['layer subset', { dtype: 'F32' as const, layers: [0] }]
])('%s', async (_, extra) => {
	const arch = tinyArch('llama');
	const rslora = 'rslora' in extra && extra.rslora === true;
	const opts: PeftOptions = { targets: ['q_proj', 'v_proj', 'down_proj'], rank: 4, alpha: 6, ...extra };
	const { base, adapter, io } = await derive(arch, 'q0f16', opts, 1);
	expect(checkMerged(arch, 'q0f16', base, adapter, io.out, rslora, 1)).toBeGreaterThan(0.999);
});

test('user scale multiplies every delta and appears in the id', async () => {
	const arch = tinyArch('llama');
	const { base, adapter, io, result } = await derive(arch, 'q0f32', { targets: ['o_proj'], rank: 2, alpha: 2, dtype: 'F32' }, 0.5);
	expect(checkMerged(arch, 'q0f32', base, adapter, io.out, false, 0.5)).toBeGreaterThan(0.8);
	expect(result.modelId.endsWith('-x0.5')).toBe(true);
	expect(result.manifest.scale).toBe(0.5);
});

test('embed_tokens LoRA on an untied model: delta is (B·A)ᵀ', async () => {
	const arch = tinyArch('llama', { tied: false });
	const { base, adapter, io } = await derive(arch, 'q0f32', { targets: ['embed_tokens', 'k_proj'], rank: 3, alpha: 3, dtype: 'F32' });
	expect(checkMerged(arch, 'q0f32', base, adapter, io.out, false, 1)).toBeGreaterThan(0.8);
});

test('writes shards, tensor-cache.json, config and tokenizer, and derived-model.json last', async () => {
	const arch = tinyArch('llama');
	const { base, io, result } = await derive(arch, 'q0f16', { targets: ['q_proj'], rank: 2, alpha: 2, dtype: 'F32' });
	const shards = [...base.files.keys()].filter((n) => n.startsWith('params_shard_'));
	expect(shards.length).toBeGreaterThan(2);
	expect(io.order.at(-1)).toBe('derived-model.json');
	expect(new Set(io.order)).toEqual(
		new Set([...shards, 'tensor-cache.json', 'mlc-chat-config.json', 'tokenizer.json', 'derived-model.json'])
	);
	expect(io.out.get('mlc-chat-config.json')).toEqual(base.files.get('mlc-chat-config.json'));
	const manifest = JSON.parse(new TextDecoder().decode(io.out.get('derived-model.json')));
	expect(manifest).toMatchObject({
		baseModelId: 'tiny-llama-q0f16',
		adapterSha256: HASH,
		scale: 1,
		modelId: result.modelId,
		method: 'merged'
	});
	expect(manifest.fidelity.modules).toHaveLength(arch.layers);
});
