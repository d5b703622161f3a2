// The shape of an MLC (web-llm) base model read from mlc-chat-config.json, and the mapping of
// Hugging Face module names onto MLC tensors with row ranges for fused layouts
// (webllm-lora-facts.md §5). Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

export type MlcModelType = 'llama' | 'qwen2' | 'qwen3';
export type MlcQuantization = 'q0f16' | 'q0f32' | 'q4f16_1' | 'q4f32_1';
export const SUPPORTED_MODEL_TYPES: readonly MlcModelType[] = ['llama', 'qwen2', 'qwen3'];
export const SUPPORTED_QUANTIZATIONS: readonly MlcQuantization[] = ['q0f16', 'q0f32', 'q4f16_1', 'q4f32_1'];

/** Dimensions of a supported MLC base model. */
export interface MlcModelShape {
	modelType: MlcModelType;
	quantization: MlcQuantization;
	hiddenSize: number;
	intermediateSize: number;
	numLayers: number;
	numHeads: number;
	numKvHeads: number;
	headDim: number;
	vocabSize: number;
	tiedEmbeddings: boolean;
}

/** An MLC base model is not one we can derive from; the message says which field and why. */
export class UnsupportedBaseError extends Error {
	override name = 'UnsupportedBaseError';
}

type Json = Record<string, unknown>;

function int(cfgs: Json[], key: string, fallback?: number): number {
	for (const c of cfgs) {
		const v = c[key];
		if (typeof v === 'number' && Number.isInteger(v) && v > 0) return v;
	}
	if (fallback !== undefined) return fallback;
	throw new UnsupportedBaseError(`mlc-chat-config.json has no positive integer "${key}"; the base model folder looks incomplete`);
}

/**
 * Reads the model shape from mlc-chat-config.json (fields under `model_config`, or top level).
 * @throws UnsupportedBaseError for an unsupported model_type or quantization, or missing sizes.
 */
export function parseMlcModelShape(mlcConfig: unknown): MlcModelShape {
	if (typeof mlcConfig !== 'object' || mlcConfig === null) {
		throw new UnsupportedBaseError('mlc-chat-config.json must hold a JSON object');
	}
	const top = mlcConfig as Json;
	const mc = (typeof top.model_config === 'object' && top.model_config !== null ? top.model_config : {}) as Json;
	const cfgs = [mc, top];
	const modelType = top.model_type ?? mc.model_type;
	if (!SUPPORTED_MODEL_TYPES.includes(modelType as MlcModelType)) {
		throw new UnsupportedBaseError(`model_type ${JSON.stringify(modelType)} is not supported; choose a llama, qwen2 or qwen3 base model`);
	}
	const quantization = top.quantization;
	if (!SUPPORTED_QUANTIZATIONS.includes(quantization as MlcQuantization)) {
		throw new UnsupportedBaseError(
			`quantization ${JSON.stringify(quantization)} is not supported; choose a q0f16, q0f32, q4f16_1 or q4f32_1 base model`
		);
	}
	const hiddenSize = int(cfgs, 'hidden_size');
	const numHeads = int(cfgs, 'num_attention_heads');
	const tie = mc.tie_word_embeddings ?? top.tie_word_embeddings;
	return {
		modelType: modelType as MlcModelType,
		quantization: quantization as MlcQuantization,
		hiddenSize,
		intermediateSize: int(cfgs, 'intermediate_size'),
		numLayers: int(cfgs, 'num_hidden_layers'),
		numHeads,
		numKvHeads: int(cfgs, 'num_key_value_heads', numHeads),
		headDim: int(cfgs, 'head_dim', hiddenSize / numHeads),
		vocabSize: int(cfgs, 'vocab_size'),
		tiedEmbeddings: tie === undefined ? false : tie === true
	};
}

/** Whether the base stores 4-bit group-quantized weights (q_weight + q_scale). */
export function isQuantized4(q: MlcQuantization): boolean {
	return q === 'q4f16_1' || q === 'q4f32_1';
}

export type LoraModuleKind = 'linear' | 'embedding';

/** Where one Hugging Face module's weight lives inside the MLC model. */
export interface MlcTarget {
	/** Hugging Face module, e.g. "model.layers.3.self_attn.k_proj". */
	hfModule: string;
	/** MLC module, e.g. "model.layers.3.self_attn.qkv_proj"; tensors are `${mlcModule}.weight` etc. */
	mlcModule: string;
	/** Short HF name, e.g. "k_proj", "embed_tokens", "lm_head". */
	shortName: string;
	/** Part of a fused tensor ("q", "k", "v", "gate", "up") or null for a whole tensor. */
	part: string | null;
	layer: number | null;
	kind: LoraModuleKind;
	/** Rows [rowStart, rowEnd) of the MLC weight [rows, inFeatures] that this module owns. */
	rowStart: number;
	rowEnd: number;
	/** Total rows of the MLC weight (all fused parts). */
	totalRows: number;
	inFeatures: number;
	/** Whether the MLC model has a bias tensor `${mlcModule}.bias` for these rows. */
	hasBias: boolean;
}

const LAYER_RE = /^model\.layers\.(\d+)\.(self_attn|mlp)\.([a-z_]+)$/;

/**
 * Maps a Hugging Face module name onto its MLC tensor and rows, or undefined when the module is
 * not a mergeable linear/embedding of this architecture (facts §5).
 */
export function mapHfModule(shape: MlcModelShape, hfModule: string): MlcTarget | undefined {
	const { hiddenSize: h, intermediateSize: inter, headDim: d, numHeads: hq, numKvHeads: hkv } = shape;
	if (hfModule === 'model.embed_tokens') {
		return whole(hfModule, 'model.embed_tokens', 'embed_tokens', null, 'embedding', shape.vocabSize, h);
	}
	if (hfModule === 'lm_head') {
		if (shape.tiedEmbeddings) return undefined;
		return whole(hfModule, 'lm_head', 'lm_head', null, 'linear', shape.vocabSize, h);
	}
	const m = LAYER_RE.exec(hfModule);
	if (!m) return undefined;
	const layer = Number(m[1]);
	if (layer >= shape.numLayers) return undefined;
	const prefix = `model.layers.${layer}.${m[2]}`;
	const name = m[3];
	const qkv = `${prefix}.${shape.modelType === 'llama' ? 'qkv_proj' : 'c_attn'}`;
	const qkvRows = (hq + 2 * hkv) * d;
	const qkvBias = shape.modelType === 'qwen2';
	const fused = (mlc: string, part: string, start: number, end: number, total: number, inF: number, bias: boolean): MlcTarget => ({
		hfModule,
		mlcModule: mlc,
		shortName: name,
		part,
		layer,
		kind: 'linear',
		rowStart: start,
		rowEnd: end,
		totalRows: total,
		inFeatures: inF,
		hasBias: bias
	});
	if (m[2] === 'self_attn') {
		if (name === 'q_proj') return fused(qkv, 'q', 0, hq * d, qkvRows, h, qkvBias);
		if (name === 'k_proj') return fused(qkv, 'k', hq * d, (hq + hkv) * d, qkvRows, h, qkvBias);
		if (name === 'v_proj') return fused(qkv, 'v', (hq + hkv) * d, qkvRows, qkvRows, h, qkvBias);
		if (name === 'o_proj') return whole(hfModule, `${prefix}.o_proj`, name, layer, 'linear', h, hq * d);
		return undefined;
	}
	if (name === 'gate_proj') return fused(`${prefix}.gate_up_proj`, 'gate', 0, inter, 2 * inter, h, false);
	if (name === 'up_proj') return fused(`${prefix}.gate_up_proj`, 'up', inter, 2 * inter, 2 * inter, h, false);
	if (name === 'down_proj') return whole(hfModule, `${prefix}.down_proj`, name, layer, 'linear', h, inter);
	return undefined;
}

function whole(
	hfModule: string,
	mlcModule: string,
	shortName: string,
	layer: number | null,
	kind: LoraModuleKind,
	rows: number,
	inFeatures: number
): MlcTarget {
	return {
		hfModule,
		mlcModule,
		shortName,
		part: null,
		layer,
		kind,
		rowStart: 0,
		rowEnd: rows,
		totalRows: rows,
		inFeatures,
		hasBias: false
	};
}

/** Names of the MLC tensors holding one module's weight for a quantization. */
export function mlcWeightNames(mlcModule: string, q: MlcQuantization): string[] {
	return isQuantized4(q) ? [`${mlcModule}.q_weight`, `${mlcModule}.q_scale`] : [`${mlcModule}.weight`];
}
