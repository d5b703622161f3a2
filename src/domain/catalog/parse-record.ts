// Parses web-llm model records (plain JSON) into catalog entries: family, parameter size,
// quantization, context window, GPU memory and an estimated download size.
// Pure: no web-llm, DOM or worker imports.

import type { CatalogEntry, ModelRecordLike } from './types.ts';

export class CatalogRecordError extends Error {
	override name = 'CatalogRecordError';
	constructor(detail: string) {
		super(`Invalid model record: ${detail}. Each record needs string model, model_id and model_lib.`);
	}
}

/** Ordered: the first pattern that matches the id names the family. */
const FAMILIES: [RegExp, string][] = [
	[/^SmolLM2-/i, 'SmolLM2'],
	[/^Qwen3\.5-/i, 'Qwen3.5'],
	[/^Qwen3-/i, 'Qwen3'],
	[/^Qwen2\.5-/i, 'Qwen2.5'],
	[/^Qwen2-/i, 'Qwen2'],
	[/^Llama-3\.2-/i, 'Llama-3.2'],
	[/^Llama-3\.1-/i, 'Llama-3.1'],
	[/^Llama-3-/i, 'Llama-3'],
	[/^Llama-2-/i, 'Llama-2'],
	[/^TinyLlama-/i, 'TinyLlama'],
	[/^DeepSeek-R1-/i, 'DeepSeek-R1'],
	[/^(?:Open|Neural)?Hermes-/i, 'Hermes'],
	[/^Phi-4-/i, 'Phi-4'],
	[/^Phi-3\.5-/i, 'Phi-3.5'],
	[/^Phi-3-/i, 'Phi-3'],
	[/^phi-2-/i, 'Phi-2'],
	[/^phi-1_5-/i, 'Phi-1.5'],
	[/^Ministral-/i, 'Ministral'],
	[/^(?:Mistral|WizardMath)-/i, 'Mistral'],
	[/^gemma-4-/i, 'Gemma-4'],
	[/^gemma3-/i, 'Gemma-3'],
	[/^gemma-2-/i, 'Gemma-2'],
	[/^gemma-/i, 'Gemma'],
	[/^OLMo-2-/i, 'OLMo-2'],
	[/^stablelm-2-/i, 'StableLM-2'],
	[/^RedPajama-/i, 'RedPajama']
];

/** Sizes of models whose id does not say it (from their model cards). */
const KNOWN_SIZES: [RegExp, string][] = [
	[/^phi-2-/i, '2.7B'],
	[/^phi-1_5-/i, '1.4B'],
	[/^Phi-3(?:\.5)?-mini-/i, '3.8B'],
	[/^Phi-4-mini-/i, '3.8B'],
	[/^Phi-3\.5-vision-/i, '4.2B']
];

/**
 * Stored bits per parameter on disk. Group quantization q4*_1 keeps one 16-bit scale per 32 weights
 * (4 + 16/32); q3*_1 one per 40 (3 + 16/40). Float32 tensors are stored as bf16 by mlc-llm, so q0f32
 * downloads like q0f16 (see shared/docs/webllm-lora-facts.md §3).
 */
const BITS_PER_PARAM: Record<string, number> = {
	q0f16: 16,
	q0f32: 16,
	q4f16_1: 4.5,
	q4f32_1: 4.5,
	q3f16_1: 3.4
};

function isRecordObject(x: unknown): x is Record<string, unknown> {
	return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Checks one raw record and returns it typed.
 * @throws CatalogRecordError when a required field is missing or of the wrong type
 */
export function parseRecord(raw: unknown): ModelRecordLike {
	if (!isRecordObject(raw)) throw new CatalogRecordError('not an object');
	for (const key of ['model', 'model_id', 'model_lib'] as const) {
		if (typeof raw[key] !== 'string' || raw[key] === '') throw new CatalogRecordError(`"${key}" is missing or not a string`);
	}
	if (raw.vram_required_MB !== undefined && typeof raw.vram_required_MB !== 'number')
		throw new CatalogRecordError(`"vram_required_MB" of ${String(raw.model_id)} is not a number`);
	if (raw.required_features !== undefined && !Array.isArray(raw.required_features))
		throw new CatalogRecordError(`"required_features" of ${String(raw.model_id)} is not a list`);
	if (raw.overrides !== undefined && !isRecordObject(raw.overrides))
		throw new CatalogRecordError(`"overrides" of ${String(raw.model_id)} is not an object`);
	return raw as unknown as ModelRecordLike;
}

/** Family name for a model id (falls back to the id's first dash-separated part). */
export function familyOf(modelId: string): string {
	return FAMILIES.find(([re]) => re.test(modelId))?.[1] ?? modelId.split('-')[0];
}

/** Parameter size as written ("360M", "1.5B"; "1_6b" becomes "1.6B"), or null. */
export function paramSizeOf(modelId: string): string | null {
	const known = KNOWN_SIZES.find(([re]) => re.test(modelId));
	if (known) return known[1];
	const m = modelId.match(/(?:^|[-_])E?(\d+(?:[._]\d+)?)([MB])(?=[-_]|$)/i);
	return m ? `${m[1].replace('_', '.')}${m[2].toUpperCase()}` : null;
}

/** "360M" → 360e6, "1.5B" → 1.5e9. */
export function paramCountOf(size: string | null): number | null {
	const m = size?.match(/^(\d+(?:\.\d+)?)([MB])$/);
	if (!m) return null;
	return Number(m[1]) * (m[2] === 'B' ? 1e9 : 1e6);
}

/** Quantization code in the id, e.g. "q4f16_1", or null. */
export function quantizationOf(modelId: string): string | null {
	return modelId.match(/q\d+f\d+(?:_\d+)?/i)?.[0] ?? null;
}

/**
 * Every model whose id contains "f16" needs shader-f16, whatever its record declares. Lower case on
 * purpose: f16 compute shows in the quantization code (q4f16_1, q0f16); an upper-case "BF16" names
 * only the source checkpoint (e.g. Ministral-…-BF16-q4f32_1-MLC runs in f32).
 */
export function needsShaderF16(record: ModelRecordLike): boolean {
	return record.model_id.includes('f16') || (record.required_features ?? []).includes('shader-f16');
}

/** Embedding models are not chat models (model_type 1, or "embed"/"snowflake" in the id). */
export function isEmbeddingModel(record: ModelRecordLike): boolean {
	return record.model_type === 1 || /embed|snowflake/i.test(record.model_id);
}

/** Vision-language models (model_type 2, or "vision" in the id). */
export function isVisionModel(record: ModelRecordLike): boolean {
	return record.model_type === 2 || /vision/i.test(record.model_id);
}

/**
 * Estimated download size in bytes: parameter count × stored bits per parameter / 8.
 * @returns null when the size or the quantization is unknown
 */
export function estimateDownloadBytes(paramCount: number | null, quantization: string | null): number | null {
	const bits = quantization ? BITS_PER_PARAM[quantization.toLowerCase()] : undefined;
	if (paramCount === null || bits === undefined) return null;
	return Math.round((paramCount * bits) / 8);
}

/** Builds the catalog entry for one record. */
export function toCatalogEntry(record: ModelRecordLike): CatalogEntry {
	const paramSize = paramSizeOf(record.model_id);
	const paramCount = paramCountOf(paramSize);
	const quantization = quantizationOf(record.model_id);
	const ctx = record.overrides?.context_window_size;
	return {
		id: record.model_id,
		record,
		family: familyOf(record.model_id),
		paramSize,
		paramCount,
		quantization,
		contextWindowTokens: typeof ctx === 'number' ? ctx : null,
		vramMB: record.vram_required_MB ?? null,
		downloadSizeBytesEstimate: estimateDownloadBytes(paramCount, quantization),
		lowResource: record.low_resource_required === true,
		needsShaderF16: needsShaderF16(record),
		vision: isVisionModel(record)
	};
}

/**
 * Validates raw records and keeps chat models only (embedding models dropped; vision flagged).
 * @throws CatalogRecordError on the first malformed record
 */
export function buildCatalog(rawRecords: readonly unknown[]): CatalogEntry[] {
	return rawRecords
		.map(parseRecord)
		.filter((r) => !isEmbeddingModel(r))
		.map(toCatalogEntry);
}
