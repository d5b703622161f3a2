// Generator of the derivation benchmarks' synthetic model: SmolLM2-360M-shaped q0f16 MLC weights
// (random f16 packed into ~32 MiB raw shards) and a rank-16 PEFT adapter on the seven linear modules.
// Shared by scripts/bench-derive.ts (Node, writes files) and test/bench/derive.bench-browser.ts
// (writes Cache Storage): plain TS, imports no node:, DOM or Cache APIs; callers store the bytes.
import { writeSafetensors } from '../../src/domain/weights/index.ts';

export const H = 960,
	I = 2560,
	HQ = 15,
	HKV = 5,
	D = 64,
	VOCAB = 49152,
	RANK = 16;
export const SHARD_BYTES = 32 * 1024 * 1024;

/**
 * A xorshift32 filler of plausible f16 weights: sign + exponent 9..12 (≈ 2^-6 .. 2^-3) + random
 * mantissa. Each call continues the same sequence.
 */
export function createF16Filler(seed = 0x9e3779b9): (out: Uint16Array) => void {
	let x = seed;
	return (out) => {
		for (let i = 0; i < out.length; i++) {
			x ^= x << 13;
			x ^= x >>> 17;
			x ^= x << 5;
			out[i] = (x & 0x83ff) | ((9 + ((x >>> 10) & 3)) << 10);
		}
	};
}

/** The model's mlc-chat-config `model_config` (tied embeddings). */
export function syntheticModelConfig(layers: number) {
	return {
		hidden_size: H,
		intermediate_size: I,
		num_hidden_layers: layers,
		num_attention_heads: HQ,
		num_key_value_heads: HKV,
		head_dim: D,
		vocab_size: VOCAB,
		tie_word_embeddings: true
	};
}

/** One raw shard: its tensor-cache.json entry and the bytes of its params, in order. */
export interface SyntheticShard {
	entry: { dataPath: string; format: 'raw-shard'; nbytes: number; records: unknown[] };
	chunks: Uint8Array<ArrayBuffer>[];
}

/**
 * The model's params (MLC names, fused qkv / gate_up) as random f16, packed into shards of at most
 * SHARD_BYTES (a larger param gets its own shard); yields one shard at a time to bound memory.
 */
export function* syntheticShards(layers: number, fill: (out: Uint16Array) => void): Generator<SyntheticShard> {
	const params: [string, number[]][] = [['model.embed_tokens.weight', [VOCAB, H]]];
	for (let l = 0; l < layers; l++) {
		const p = `model.layers.${l}`;
		params.push([`${p}.self_attn.qkv_proj.weight`, [(HQ + 2 * HKV) * D, H]]);
		params.push([`${p}.self_attn.o_proj.weight`, [H, HQ * D]]);
		params.push([`${p}.mlp.gate_up_proj.weight`, [2 * I, H]]);
		params.push([`${p}.mlp.down_proj.weight`, [H, I]]);
		params.push([`${p}.input_layernorm.weight`, [H]]);
		params.push([`${p}.post_attention_layernorm.weight`, [H]]);
	}
	params.push(['model.norm.weight', [H]]);
	let index = 0;
	let chunks: Uint8Array<ArrayBuffer>[] = [];
	let records: unknown[] = [];
	let size = 0;
	const take = (): SyntheticShard => {
		const shard: SyntheticShard = {
			entry: { dataPath: `params_shard_${index++}.bin`, format: 'raw-shard', nbytes: size, records },
			chunks
		};
		chunks = [];
		records = [];
		size = 0;
		return shard;
	};
	for (const [name, shape] of params) {
		const v = new Uint16Array(shape.reduce((a, b) => a * b, 1));
		fill(v);
		const bytes = new Uint8Array(v.buffer);
		if (size > 0 && size + bytes.length > SHARD_BYTES) yield take();
		records.push({ name, shape, dtype: 'float16', format: 'f32-to-bf16', nbytes: bytes.length, byteOffset: size });
		chunks.push(bytes);
		size += bytes.length;
	}
	if (chunks.length) yield take();
}

/** Module → [parent, in features, out features] of the adapter's targets. */
const ADAPTER_DIMS: Record<string, [string, number, number]> = {
	q_proj: ['self_attn', H, HQ * D],
	k_proj: ['self_attn', H, HKV * D],
	v_proj: ['self_attn', H, HKV * D],
	o_proj: ['self_attn', HQ * D, H],
	gate_proj: ['mlp', H, I],
	up_proj: ['mlp', H, I],
	down_proj: ['mlp', I, H]
};

/**
 * A rank-RANK PEFT adapter on all seven linear modules of every layer: adapter_config.json's object
 * and adapter_model.safetensors' bytes. `rand(n)` gives the bytes of n values in `dtype`.
 */
export function syntheticAdapter(
	layers: number,
	dtype: 'F32' | 'BF16',
	rand: (n: number) => Uint8Array
): { config: Record<string, unknown>; safetensors: Uint8Array } {
	const tensors = [];
	for (let l = 0; l < layers; l++) {
		for (const [m, [parent, inF, outF]] of Object.entries(ADAPTER_DIMS)) {
			const base = `base_model.model.model.layers.${l}.${parent}.${m}`;
			tensors.push({ name: `${base}.lora_A.weight`, dtype, shape: [RANK, inF], data: rand(RANK * inF) });
			tensors.push({ name: `${base}.lora_B.weight`, dtype, shape: [outF, RANK], data: rand(outF * RANK) });
		}
	}
	const config = {
		peft_type: 'LORA',
		task_type: 'CAUSAL_LM',
		base_model_name_or_path: 'HuggingFaceTB/SmolLM2-360M-Instruct',
		r: RANK,
		lora_alpha: 32,
		target_modules: Object.keys(ADAPTER_DIMS),
		bias: 'none'
	};
	return { config, safetensors: writeSafetensors(tensors) };
}
