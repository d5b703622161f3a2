// PEFT LoRA adapter builder for the tiny models: adapter_config.json + adapter_model.safetensors with
// PEFT's key names (webllm-lora-facts.md §6), plus the raw A/B values so tests compute ΔW themselves.
// Test-only; re-exported from tiny-models.ts.

import { writeSafetensors } from '../../src/domain/weights/index.ts';
import { prng, seedOf } from './prng.ts';
import { encodeRounded, jsonBytes, naiveBf16, naiveF16, type FileMap, type HfDtype, type TinyArch } from './tiny-models.ts';

export type PeftTarget = 'q_proj' | 'k_proj' | 'v_proj' | 'o_proj' | 'gate_proj' | 'up_proj' | 'down_proj' | 'embed_tokens';

export interface PeftModule {
	/** HF module path, e.g. model.layers.0.self_attn.q_proj. */
	module: string;
	target: PeftTarget;
	layer: number | null;
	rank: number;
	alpha: number;
	inFeatures: number;
	outFeatures: number;
	/** lora_A [rank, in] (embedding: lora_embedding_A [rank, vocab]), values as stored. */
	a: Float32Array;
	/** lora_B [out, rank] (embedding: lora_embedding_B [hidden, rank]), values as stored. */
	b: Float32Array;
	keyA: string;
	keyB: string;
}

export interface PeftAdapter {
	files: FileMap;
	config: Record<string, unknown>;
	modules: PeftModule[];
}

export interface PeftOptions {
	targets: PeftTarget[];
	rank: number;
	alpha: number;
	dtype: HfDtype;
	rslora?: boolean;
	rankPattern?: Record<string, number>;
	alphaPattern?: Record<string, number>;
	layers?: number[];
	extraConfig?: Record<string, unknown>;
	/** Magnitude of the A and B entries (uniform in ±scale); default 0.05. */
	valueScale?: number;
}

/** PEFT's pattern lookup: the first key whose regex matches the end of the module name. */
function fromPattern(pattern: Record<string, number> | undefined, module: string, fallback: number): number {
	for (const [key, value] of Object.entries(pattern ?? {})) {
		if (new RegExp(`^(.*\\.)?(${key})$`).test(module)) return value;
	}
	return fallback;
}

function dims(a: TinyArch, t: PeftTarget): [inF: number, outF: number] {
	const q = a.heads * a.headDim;
	const kv = a.kvHeads * a.headDim;
	const table: Record<PeftTarget, [number, number]> = {
		q_proj: [a.hidden, q],
		k_proj: [a.hidden, kv],
		v_proj: [a.hidden, kv],
		o_proj: [q, a.hidden],
		gate_proj: [a.hidden, a.intermediate],
		up_proj: [a.hidden, a.intermediate],
		down_proj: [a.intermediate, a.hidden],
		embed_tokens: [a.vocab, a.hidden]
	};
	return table[t];
}

const PARENT: Record<PeftTarget, string> = {
	q_proj: 'self_attn',
	k_proj: 'self_attn',
	v_proj: 'self_attn',
	o_proj: 'self_attn',
	gate_proj: 'mlp',
	up_proj: 'mlp',
	down_proj: 'mlp',
	embed_tokens: ''
};

/** A PEFT LoRA adapter for `arch` with random (non-zero) A and B. */
export function buildPeftAdapter(arch: TinyArch, opts: PeftOptions): PeftAdapter {
	const rnd = { BF16: naiveBf16, F16: naiveF16, F32: Math.fround }[opts.dtype];
	const enc = ({ BF16: 'bf16', F16: 'f16', F32: 'f32' } as const)[opts.dtype];
	const layers = opts.layers ?? Array.from({ length: arch.layers }, (_, i) => i);
	const scale = opts.valueScale ?? 0.05;
	const modules: PeftModule[] = [];
	for (const target of opts.targets) {
		const sites: (number | null)[] = target === 'embed_tokens' ? [null] : layers;
		for (const layer of sites) {
			const module = layer === null ? 'model.embed_tokens' : `model.layers.${layer}.${PARENT[target]}.${target}`;
			const rank = fromPattern(opts.rankPattern, module, opts.rank);
			const alpha = fromPattern(opts.alphaPattern, module, opts.alpha);
			const [inF, outF] = dims(arch, target);
			const r = prng(arch.seed ^ seedOf(`lora:${module}`));
			const a = r.floats(rank * inF, -scale, scale).map(rnd);
			const b = r.floats(outF * rank, -scale, scale).map(rnd);
			const base = `base_model.model.${module}`;
			const emb = target === 'embed_tokens';
			modules.push({
				module,
				target,
				layer,
				rank,
				alpha,
				inFeatures: inF,
				outFeatures: outF,
				a,
				b,
				keyA: emb ? `${base}.lora_embedding_A` : `${base}.lora_A.weight`,
				keyB: emb ? `${base}.lora_embedding_B` : `${base}.lora_B.weight`
			});
		}
	}
	const tensors = modules.flatMap((m) => [
		{ name: m.keyA, dtype: opts.dtype, shape: [m.rank, m.inFeatures], data: encodeRounded(m.a, enc) },
		{ name: m.keyB, dtype: opts.dtype, shape: [m.outFeatures, m.rank], data: encodeRounded(m.b, enc) }
	]);
	const config: Record<string, unknown> = {
		peft_type: 'LORA',
		task_type: 'CAUSAL_LM',
		base_model_name_or_path: `tiny/${arch.kind}`,
		r: opts.rank,
		lora_alpha: opts.alpha,
		target_modules: [...opts.targets],
		use_rslora: opts.rslora ?? false,
		rank_pattern: opts.rankPattern ?? {},
		alpha_pattern: opts.alphaPattern ?? {},
		layers_to_transform: opts.layers ?? null,
		lora_dropout: 0,
		bias: 'none',
		fan_in_fan_out: false,
		use_dora: false,
		modules_to_save: null,
		init_lora_weights: true,
		...opts.extraConfig
	};
	const files: FileMap = new Map([
		['adapter_config.json', jsonBytes(config)],
		['adapter_model.safetensors', writeSafetensors(tensors, { format: 'pt' })]
	]);
	return { files, config, modules };
}
