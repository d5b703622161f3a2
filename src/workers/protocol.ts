// The page ↔ LLM worker message protocol. Types only: no runtime code, no web-llm import.
// Requests are a union discriminated on `type`, each with an `id`; the worker answers with
// `progress | chunk | result | error` messages carrying the same id. `cancel` names the id to stop;
// `cancelAll` stops every generate. Generates on different resident models stream concurrently.

import type { CachedModel, ModelRecordLike } from '../domain/catalog/index.ts';
import type { GenerateRequest, GenerateResult, LoadProgress, SerializedEngineError } from '../domain/engine/index.ts';

export type RequestId = number;

export type LlmRequest =
	/** Load one model, or several to keep resident at once (web-llm reload([a, b])). */
	| { type: 'load'; id: RequestId; modelIds: string[] }
	/**
	 * Generate. With `request.resident` it never reloads: a model that is not resident is refused
	 * with 'not-resident'. Without it (the playground) it reloads request.modelId when needed, after
	 * every other generate has finished.
	 */
	| { type: 'generate'; id: RequestId; request: GenerateRequest }
	/** Stop request `id` (a load or a generate) only. Answered by that request's own reply. */
	| { type: 'cancel'; id: RequestId }
	/** Stop every generate, running or waiting (engine-wide interrupt); loads are left alone. */
	| { type: 'cancelAll'; id: RequestId }
	/** The model ids resident now. Answered at once, outside the engine queue. */
	| { type: 'residentModels'; id: RequestId }
	| { type: 'unload'; id: RequestId; modelId?: string }
	| { type: 'countTokens'; id: RequestId; modelId: string; text: string }
	/** Add or replace model records (e.g. derived LoRA models) in the engine's appConfig. */
	| { type: 'registerModels'; id: RequestId; records: ModelRecordLike[] }
	| { type: 'listCached'; id: RequestId }
	| { type: 'hasInCache'; id: RequestId; modelId: string }
	| { type: 'deleteCached'; id: RequestId; modelId: string };

export type LlmRequestType = Exclude<LlmRequest['type'], 'cancel'>;

/** What each request resolves with. */
export interface LlmResultMap {
	load: { modelIds: string[] };
	generate: GenerateResult;
	unload: { modelIds: string[] };
	countTokens: number | null;
	registerModels: { registered: string[] };
	listCached: CachedModel[];
	hasInCache: boolean;
	deleteCached: { deletedWasm: boolean; alsoRemoved: string[] };
	/** The ids of the generates that were stopped. */
	cancelAll: { cancelled: RequestId[] };
	residentModels: string[];
}

export type LlmResultMessage = {
	[K in LlmRequestType]: { type: 'result'; id: RequestId; kind: K; value: LlmResultMap[K] };
}[LlmRequestType];

export type LlmWorkerMessage =
	| { type: 'progress'; id: RequestId; progress: LoadProgress }
	| { type: 'chunk'; id: RequestId; delta: string }
	| LlmResultMessage
	| { type: 'error'; id: RequestId; error: SerializedEngineError };

/** A request's payload (no type, no id), as the client builds it. */
export type LlmRequestPayload<K extends LlmRequestType> = Omit<Extract<LlmRequest, { type: K }>, 'id' | 'type'>;
