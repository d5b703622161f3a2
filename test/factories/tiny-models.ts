// Builders of tiny, deterministic model folders in memory (Map<fileName, bytes>): Hugging Face
// originals, MLC (web-llm) folders in q0f16/q0f32/q4f16_1/q4f32_1, and PEFT LoRA adapters.
// Names and fused layouts follow webllm-lora-facts.md §5; rounding and q4 codes are computed by the
// NAIVE reference code below (Math-based, no bit tricks), independent of src/domain/weights.
// Test-only; it uses the implementation only to serialise safetensors files.

import { writeSafetensors } from '../../src/domain/weights/index.ts';
import { prng, seedOf } from './prng.ts';

export type ArchKind = 'llama' | 'qwen2' | 'qwen3';
export type MlcQuant = 'q0f16' | 'q0f32' | 'q4f16_1' | 'q4f32_1';
export type HfDtype = 'BF16' | 'F16' | 'F32';
export type FileMap = Map<string, Uint8Array>;

export interface TinyArch {
	kind: ArchKind;
	hidden: number;
	intermediate: number;
	layers: number;
	heads: number;
	kvHeads: number;
	headDim: number;
	vocab: number;
	tied: boolean;
	seed: number;
}

/** Dimensions of a tiny model of the given family (hidden 64, intermediate 128, 2 layers, …). */
export function tinyArch(kind: ArchKind, overrides: Partial<Omit<TinyArch, 'kind'>> = {}): TinyArch {
	return {
		kind,
		hidden: 64,
		intermediate: 128,
		layers: 2,
		heads: 4,
		kvHeads: 2,
		headDim: 16,
		vocab: 96,
		tied: true,
		seed: 1,
		...overrides
	};
}

// ---- naive reference rounding (slow, obviously correct) ----

function roundHalfEven(x: number): number {
	const f = Math.floor(x);
	const d = x - f;
	if (d > 0.5) return f + 1;
	if (d < 0.5) return f;
	return f % 2 === 0 ? f : f + 1;
}

function floorLog2(a: number): number {
	let e = Math.floor(Math.log2(a));
	while (2 ** e > a) e--;
	while (2 ** (e + 1) <= a) e++;
	return e;
}

/** Rounds to a float with `mant` stored mantissa bits and minimum normal exponent `minExp`. */
function naiveRound(x: number, mant: number, minExp: number, maxFinite: number): number {
	if (x === 0 || !Number.isFinite(x)) return x;
	const a = Math.abs(x);
	const ulp = 2 ** (Math.max(floorLog2(a), minExp) - mant);
	const r = roundHalfEven(a / ulp) * ulp;
	return Math.sign(x) * (r > maxFinite ? Infinity : r);
}

export const naiveF16 = (x: number): number => naiveRound(x, 10, -14, 65504);
export const naiveBf16 = (x: number): number => naiveRound(x, 7, -126, 3.3895313892515355e38);

function f16Bits(v: number): number {
	const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
	const a = Math.abs(v);
	if (a === 0) return sign;
	if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24);
	const e = floorLog2(a);
	return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

/** f16 bits → number, straight from the IEEE 754 definition (the inverse of f16Bits). */
export function naiveF16Decode(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const e = (h >> 10) & 0x1f;
	const m = h & 0x3ff;
	if (e === 0) return sign * m * 2 ** -24;
	if (e === 31) return m ? NaN : sign * Infinity;
	return sign * (1 + m / 1024) * 2 ** (e - 15);
}

function bf16Bits(v: number): number {
	const f = new Float32Array([v]);
	return new Uint32Array(f.buffer)[0] >>> 16; // v is already a bf16 value: the low half is zero
}

/** Encodes values (already rounded) as little-endian bytes of the given element type. */
function encode(values: Float32Array, type: 'f16' | 'bf16' | 'f32'): Uint8Array {
	if (type === 'f32') return new Uint8Array(values.slice().buffer);
	const out = new Uint16Array(values.length);
	for (let i = 0; i < values.length; i++) {
		out[i] = type === 'f16' ? f16Bits(values[i]) : bf16Bits(values[i]);
	}
	return new Uint8Array(out.buffer);
}

function roundAll(values: Float32Array, f: (x: number) => number): Float32Array {
	return values.map((v) => f(v));
}

// ---- Hugging Face originals ----

export interface TensorData {
	shape: number[];
	/** Values exactly as stored (already rounded to the file's dtype). */
	values: Float32Array;
}

export interface HfOriginal {
	arch: TinyArch;
	dtype: HfDtype;
	files: FileMap;
	tensors: Map<string, TensorData>;
}

/** HF tensor names and shapes in checkpoint order. */
export function hfTensorShapes(a: TinyArch): [string, number[]][] {
	const q = a.heads * a.headDim;
	const kv = a.kvHeads * a.headDim;
	const list: [string, number[]][] = [['model.embed_tokens.weight', [a.vocab, a.hidden]]];
	for (let i = 0; i < a.layers; i++) {
		const p = `model.layers.${i}`;
		list.push([`${p}.input_layernorm.weight`, [a.hidden]]);
		list.push([`${p}.self_attn.q_proj.weight`, [q, a.hidden]]);
		list.push([`${p}.self_attn.k_proj.weight`, [kv, a.hidden]]);
		list.push([`${p}.self_attn.v_proj.weight`, [kv, a.hidden]]);
		if (a.kind === 'qwen2') {
			list.push([`${p}.self_attn.q_proj.bias`, [q]], [`${p}.self_attn.k_proj.bias`, [kv]], [`${p}.self_attn.v_proj.bias`, [kv]]);
		}
		if (a.kind === 'qwen3') {
			list.push([`${p}.self_attn.q_norm.weight`, [a.headDim]], [`${p}.self_attn.k_norm.weight`, [a.headDim]]);
		}
		list.push([`${p}.self_attn.o_proj.weight`, [a.hidden, q]]);
		list.push([`${p}.post_attention_layernorm.weight`, [a.hidden]]);
		list.push([`${p}.mlp.gate_proj.weight`, [a.intermediate, a.hidden]]);
		list.push([`${p}.mlp.up_proj.weight`, [a.intermediate, a.hidden]]);
		list.push([`${p}.mlp.down_proj.weight`, [a.hidden, a.intermediate]]);
	}
	list.push(['model.norm.weight', [a.hidden]]);
	if (!a.tied) list.push(['lm_head.weight', [a.vocab, a.hidden]]);
	return list;
}

const HF_ROUND: Record<HfDtype, (x: number) => number> = { BF16: naiveBf16, F16: naiveF16, F32: Math.fround };
const HF_ENC: Record<HfDtype, 'bf16' | 'f16' | 'f32'> = { BF16: 'bf16', F16: 'f16', F32: 'f32' };

/** Random values for an HF tensor: norms near 1, biases and weights small and signed. */
function hfValues(a: TinyArch, name: string, n: number): Float32Array {
	const r = prng(a.seed ^ seedOf(name));
	return name.includes('norm') ? r.floats(n, 0.8, 1.2) : r.floats(n, -0.1, 0.1);
}

/** A Hugging Face checkpoint: config.json and model.safetensors, or 2 shards + index when sharded. */
export function buildHfOriginal(arch: TinyArch, opts: { dtype: HfDtype; sharded?: boolean }): HfOriginal {
	const tensors = new Map<string, TensorData>();
	const entries = hfTensorShapes(arch).map(([name, shape]) => {
		const values = roundAll(
			hfValues(
				arch,
				name,
				shape.reduce((x, y) => x * y, 1)
			),
			HF_ROUND[opts.dtype]
		);
		tensors.set(name, { shape, values });
		return { name, dtype: opts.dtype, shape, data: encode(values, HF_ENC[opts.dtype]) };
	});
	const files: FileMap = new Map();
	if (opts.sharded) {
		const half = Math.ceil(entries.length / 2);
		const parts = [entries.slice(0, half), entries.slice(half)];
		const weightMap: Record<string, string> = {};
		parts.forEach((part, i) => {
			const file = `model-0000${i + 1}-of-00002.safetensors`;
			files.set(file, writeSafetensors(part, { format: 'pt' }));
			for (const e of part) weightMap[e.name] = file;
		});
		files.set('model.safetensors.index.json', json({ metadata: { total_size: 0 }, weight_map: weightMap }));
	} else {
		files.set('model.safetensors', writeSafetensors(entries, { format: 'pt' }));
	}
	files.set('config.json', json(hfConfig(arch, opts.dtype)));
	return { arch, dtype: opts.dtype, files, tensors };
}

function hfConfig(a: TinyArch, dtype: HfDtype): Record<string, unknown> {
	const archName = { llama: 'LlamaForCausalLM', qwen2: 'Qwen2ForCausalLM', qwen3: 'Qwen3ForCausalLM' }[a.kind];
	return {
		architectures: [archName],
		model_type: a.kind,
		hidden_size: a.hidden,
		intermediate_size: a.intermediate,
		num_hidden_layers: a.layers,
		num_attention_heads: a.heads,
		num_key_value_heads: a.kvHeads,
		head_dim: a.headDim,
		vocab_size: a.vocab,
		tie_word_embeddings: a.tied,
		rms_norm_eps: 1e-6,
		torch_dtype: { BF16: 'bfloat16', F16: 'float16', F32: 'float32' }[dtype]
	};
}

function json(value: unknown): Uint8Array {
	return new TextEncoder().encode(JSON.stringify(value, null, 1));
}

// ---- naive q4 reference (mlc-llm GroupQuantize, see src/domain/weights/group-quant.ts header) ----

/** Naive q4 group quantization of a [rows, cols] weight, cols a multiple of 32. */
export function naiveQuantizeQ4(w: Float32Array, rows: number, cols: number, f16: boolean) {
	const rnd = f16 ? naiveF16 : Math.fround;
	const groups = cols / 32;
	const qWeight = new Uint32Array(rows * groups * 4);
	const qScale = new Float32Array(rows * groups);
	for (let r = 0; r < rows; r++) {
		for (let g = 0; g < groups; g++) {
			const vals = Array.from({ length: 32 }, (_, i) => rnd(w[r * cols + g * 32 + i]));
			const scale = rnd(Math.max(...vals.map(Math.abs)) / 7);
			qScale[r * groups + g] = scale;
			vals.forEach((v, i) => {
				const x = rnd(rnd(v / scale) + 7);
				const code = Number.isNaN(x) ? 0 : Math.min(Math.max(Math.sign(x) * Math.round(Math.abs(x)), 0), 14);
				const word = r * groups * 4 + g * 4 + Math.floor(i / 8);
				qWeight[word] = (qWeight[word] + code * 16 ** (i % 8)) >>> 0;
			});
		}
	}
	return { qWeight, qScale };
}

export { buildMlcFolder, type MlcFolder, type MlcParam } from './tiny-mlc.ts';
export { buildPeftAdapter, type PeftAdapter, type PeftModule, type PeftOptions, type PeftTarget } from './tiny-peft.ts';
export { encode as encodeRounded, hfConfig, json as jsonBytes };
