// Catalog types: the web-llm model record as plain JSON (no web-llm import), and the parsed entry
// the UI shows. Pure types only.

/** A web-llm ModelRecord as plain data; also what derived (e.g. LoRA-merged) models register. */
export interface ModelRecordLike {
	model: string;
	model_id: string;
	model_lib: string;
	overrides?: Record<string, unknown> & { context_window_size?: number };
	vram_required_MB?: number;
	low_resource_required?: boolean;
	buffer_size_required_bytes?: number;
	required_features?: string[];
	/** web-llm ModelType: 0 LLM, 1 embedding, 2 VLM. */
	model_type?: number;
}

export interface CatalogEntry {
	id: string;
	record: ModelRecordLike;
	/** e.g. "SmolLM2", "Qwen2.5", "Llama-3.2". */
	family: string;
	/** As written in the id, normalised: "360M", "1.5B"; null when unknown. */
	paramSize: string | null;
	paramCount: number | null;
	/** e.g. "q4f16_1", "q0f32"; null when the id has none. */
	quantization: string | null;
	contextWindowTokens: number | null;
	vramMB: number | null;
	/** paramCount × stored bits per parameter / 8 (see estimateDownloadBytes). */
	downloadSizeBytesEstimate: number | null;
	lowResource: boolean;
	/** True when the id contains "f16" or the record lists shader-f16. */
	needsShaderF16: boolean;
	vision: boolean;
}

export interface CatalogFamily {
	family: string;
	entries: CatalogEntry[];
}
