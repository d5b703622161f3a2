// The one engine protocol the whole UI uses. Implemented by the web-llm worker client
// (src/workers/llm-client.ts) and by the OpenAI-compatible endpoint client
// (src/engines/openai-endpoint.ts). Plain data only: no Svelte, DOM or web-llm imports.

export type EngineKind = 'webllm' | 'endpoint';

export interface ChatMessage {
	role: 'system' | 'user' | 'assistant';
	content: string;
}

/** Sampling settings; undefined means "the model's default". */
export interface SamplingSettings {
	temperature?: number;
	topP?: number;
	maxTokens?: number;
	seed?: number;
	presencePenalty?: number;
	frequencyPenalty?: number;
	repetitionPenalty?: number;
	stop?: string[];
}

/** How an endpoint applies a LoRA adapter. */
export type EndpointAdapter =
	/** vLLM `--lora-modules name=path`: the adapter is served under its own model name. */
	| { convention: 'vllm'; name: string }
	/** llama.cpp server: per-request `lora: [{id, scale}]`; scale 0 is the base. */
	| { convention: 'llamacpp'; id: number; scale: number; name?: string };

export interface GenerateRequest {
	/** The model this request expects to be loaded; the engine reloads (web-llm) or routes (endpoint) by it. */
	modelId: string;
	/**
	 * Every model the caller expects resident while this request runs (web-llm). When given, the
	 * engine rejects instead of reloading if they are not all resident; absent = today's behaviour.
	 */
	resident?: string[];
	/** Endpoint engines: the LoRA adapter to apply (llama.cpp's per-request `lora`, vLLM's model name). */
	adapter?: EndpointAdapter;
	messages: ChatMessage[];
	sampling: SamplingSettings;
}

/** Per-answer figures. Times in milliseconds, rates in tokens per second. */
export interface AnswerStats {
	promptTokens: number;
	completionTokens: number;
	timeToFirstTokenMs: number;
	totalMs: number;
	prefillTokensPerSec?: number;
	decodeTokensPerSec?: number;
	/** 'engine' when the figures come from the engine's own usage report, 'measured' when timed by us. */
	source: 'engine' | 'measured';
}

export type FinishReason = 'stop' | 'length' | 'abort';

export interface GenerateResult {
	text: string;
	finishReason: FinishReason;
	stats: AnswerStats;
}

export interface LoadProgress {
	/** 0..1 */
	fraction: number;
	loadedBytes?: number;
	totalBytes?: number;
	/** Estimated time left, from the observed rate. */
	etaSeconds?: number;
	text: string;
}

export interface EngineInfo {
	kind: EngineKind;
	/** e.g. "@mlc-ai/web-llm 0.2.86" or the endpoint's base URL. */
	version: string;
}

export interface Engine {
	readonly info: EngineInfo;
	/** Loads (web-llm: downloads/caches and compiles) a model. Rejects with an EngineError; honours the signal. */
	load(modelId: string, opts?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<void>;
	/** Streams text deltas through onDelta; resolves with the full text and stats. Abort resolves with finishReason 'abort'. */
	generate(request: GenerateRequest, opts: { signal?: AbortSignal; onDelta: (delta: string) => void }): Promise<GenerateResult>;
	/** Exact token count when the model's tokenizer is available, else null (caller estimates). */
	countTokens(modelId: string, text: string): Promise<number | null>;
	unload(modelId?: string): Promise<void>;
	dispose(): void;
	/**
	 * Optional (web-llm): loads several models to stay resident together, replacing whatever was
	 * resident. Rejects like `load`; a failure (e.g. 'out-of-memory' on the second model) leaves
	 * nothing resident, so the caller can fall back to loading them one after the other.
	 */
	loadMany?(modelIds: string[], opts?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<void>;
	/** Optional (web-llm): the model ids resident now, as the engine itself reports them. */
	residentIds?(): Promise<string[]>;
	/**
	 * Optional (web-llm): stops every generate in flight or waiting, engine-wide; each of them
	 * resolves with finishReason 'abort' and its text so far. Loads are not affected.
	 */
	cancelAll?(): Promise<void>;
}
