// MLC (web-llm) folder builder for the tiny models: tensor-cache.json, several small shards,
// mlc-chat-config.json and a dummy tokenizer.json, converted from an HF original the way mlc-llm's
// convert_weight does (fused qkv / gate_up, cast to the model dtype, q4 via the naive quantizer).
// Test-only; re-exported from tiny-models.ts.

import {
	encodeRounded,
	hfConfig,
	jsonBytes,
	naiveBf16,
	naiveF16,
	naiveQuantizeQ4,
	type FileMap,
	type HfOriginal,
	type MlcQuant,
	type TinyArch
} from './tiny-models.ts';

export interface MlcParam {
	name: string;
	shape: number[];
	dtype: 'float16' | 'float32' | 'uint32';
	format: 'f32-to-bf16' | 'raw';
	/** Float params: values in the model dtype (before bf16 storage for float32). */
	values?: Float32Array;
	/** q_weight params. */
	words?: Uint32Array;
}

export interface MlcFolder {
	arch: TinyArch;
	quant: MlcQuant;
	files: FileMap;
	/** The parsed tensor-cache.json object as written. */
	tensorCache: { metadata: Record<string, unknown>; records: unknown[] };
	mlcConfig: Record<string, unknown>;
	params: Map<string, MlcParam>;
}

const SHARD_BYTES = 4096;

function concatRows(parts: Float32Array[]): Float32Array {
	const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}

/** MLC parameters (unquantized, model dtype) in mlc-llm's order, fused per webllm-lora-facts.md §5. */
function fuseParams(o: HfOriginal): [string, number[], Float32Array, boolean][] {
	const a = o.arch;
	const t = (n: string) => o.tensors.get(n)!.values;
	const attn = a.kind === 'llama' ? 'qkv_proj' : 'c_attn';
	const qkvRows = (a.heads + 2 * a.kvHeads) * a.headDim;
	// [name, shape, values, isLinearOrEmbedding]
	const list: [string, number[], Float32Array, boolean][] = [
		['model.embed_tokens', [a.vocab, a.hidden], t('model.embed_tokens.weight'), true]
	];
	for (let i = 0; i < a.layers; i++) {
		const p = `model.layers.${i}`;
		const s = `${p}.self_attn`;
		const qkv = ['q_proj', 'k_proj', 'v_proj'].map((m) => t(`${s}.${m}.weight`));
		list.push([`${s}.${attn}`, [qkvRows, a.hidden], concatRows(qkv), true]);
		if (a.kind === 'qwen2') {
			const b = ['q_proj', 'k_proj', 'v_proj'].map((m) => t(`${s}.${m}.bias`));
			list.push([`${s}.${attn}.bias`, [qkvRows], concatRows(b), false]);
		}
		if (a.kind === 'qwen3') {
			list.push([`${s}.q_norm.weight`, [a.headDim], t(`${s}.q_norm.weight`), false]);
			list.push([`${s}.k_norm.weight`, [a.headDim], t(`${s}.k_norm.weight`), false]);
		}
		list.push([`${s}.o_proj`, [a.hidden, a.heads * a.headDim], t(`${s}.o_proj.weight`), true]);
		const gu = [t(`${p}.mlp.gate_proj.weight`), t(`${p}.mlp.up_proj.weight`)];
		list.push([`${p}.mlp.gate_up_proj`, [2 * a.intermediate, a.hidden], concatRows(gu), true]);
		list.push([`${p}.mlp.down_proj`, [a.hidden, a.intermediate], t(`${p}.mlp.down_proj.weight`), true]);
		list.push([`${p}.input_layernorm.weight`, [a.hidden], t(`${p}.input_layernorm.weight`), false]);
		list.push([`${p}.post_attention_layernorm.weight`, [a.hidden], t(`${p}.post_attention_layernorm.weight`), false]);
	}
	list.push(['model.norm.weight', [a.hidden], t('model.norm.weight'), false]);
	if (!a.tied) list.push(['lm_head', [a.vocab, a.hidden], t('lm_head.weight'), true]);
	return list;
}

/** Converts an HF original into an MLC folder with the given quantization. */
export function buildMlcFolder(arch: TinyArch, quant: MlcQuant, original: HfOriginal): MlcFolder {
	const f16 = quant.endsWith('f16') || quant === 'q4f16_1';
	const q4 = quant.startsWith('q4');
	const modelDtype = f16 ? 'float16' : 'float32';
	const rnd = f16 ? naiveF16 : Math.fround;
	const params = new Map<string, MlcParam>();
	const add = (p: MlcParam) => params.set(p.name, p);
	for (const [name, shape, raw, isMatrix] of fuseParams(original)) {
		const values = raw.map((v) => rnd(v));
		if (isMatrix && q4) {
			const { qWeight, qScale } = naiveQuantizeQ4(values, shape[0], shape[1], f16);
			add({ name: `${name}.q_weight`, shape: [shape[0], shape[1] / 8], dtype: 'uint32', format: 'f32-to-bf16', words: qWeight });
			add({ name: `${name}.q_scale`, shape: [shape[0], shape[1] / 32], dtype: modelDtype, format: 'f32-to-bf16', values: qScale });
		} else {
			add({ name: isMatrix ? `${name}.weight` : name, shape, dtype: modelDtype, format: 'f32-to-bf16', values });
		}
	}
	const files: FileMap = new Map();
	const shards: { dataPath: string; format: 'raw-shard'; nbytes: number; records: unknown[] }[] = [];
	let cur: Uint8Array[] = [];
	let recs: Record<string, unknown>[] = [];
	let size = 0;
	const flush = () => {
		if (cur.length === 0) return;
		const dataPath = `params_shard_${shards.length}.bin`;
		const bytes = new Uint8Array(size);
		let at = 0;
		for (const c of cur) {
			bytes.set(c, at);
			at += c.length;
		}
		files.set(dataPath, bytes);
		shards.push({ dataPath, format: 'raw-shard', nbytes: size, records: recs });
		cur = [];
		recs = [];
		size = 0;
	};
	for (const p of params.values()) {
		const bytes = p.words
			? new Uint8Array(p.words.slice().buffer)
			: encodeRounded(p.dtype === 'float32' ? p.values!.map(naiveBf16) : p.values!, p.dtype === 'float32' ? 'bf16' : 'f16');
		if (size > 0 && size + bytes.length > SHARD_BYTES) flush();
		recs.push({ name: p.name, shape: p.shape, dtype: p.dtype, format: p.format, nbytes: bytes.length, byteOffset: size });
		cur.push(bytes);
		size += bytes.length;
	}
	flush();
	const paramCount = [...params.values()].reduce((n, p) => n + p.shape.reduce((x, y) => x * y, 1), 0);
	const paramBytes = shards.reduce((n, s) => n + s.nbytes, 0);
	const tensorCache = {
		metadata: { ParamSize: params.size, ParamBytes: paramBytes, BitsPerParam: (paramBytes * 8) / paramCount },
		records: shards
	};
	files.set('tensor-cache.json', jsonBytes(tensorCache));
	const mlcConfig = {
		model_type: arch.kind,
		quantization: quant,
		model_config: { ...hfConfig(arch, f16 ? 'F16' : 'F32'), context_window_size: 512, prefill_chunk_size: 128 },
		vocab_size: arch.vocab,
		context_window_size: 512,
		prefill_chunk_size: 128,
		tensor_parallel_shards: 1,
		tokenizer_files: ['tokenizer.json'],
		conv_template: { name: 'chatml', system_template: '{system_message}', roles: { user: 'user', assistant: 'assistant' } },
		bos_token_id: 1,
		eos_token_id: 2,
		pad_token_id: 0
	};
	files.set('mlc-chat-config.json', jsonBytes(mlcConfig));
	files.set('tokenizer.json', jsonBytes({ version: '1.0', model: { type: 'BPE', vocab: {}, merges: [] } }));
	return { arch, quant, files, tensorCache, mlcConfig, params };
}
