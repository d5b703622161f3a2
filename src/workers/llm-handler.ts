// Worker-side handler of the LLM protocol (src/workers/protocol.ts): a plain class built with an
// engine factory (web-llm's MLCEngine by default) and a `post` function, so Node tests can drive it
// with web-llm mocked. Engine work (load, generate, unload, countTokens) runs one at a time;
// cancel and cache requests bypass the queue. Must not import Svelte, Dexie or the DOM.

import {
	MLCEngine,
	deleteChatConfigInCache,
	prebuiltAppConfig,
	type AppConfig,
	type ChatCompletionChunk,
	type ChatCompletionRequestStreaming,
	type InitProgressReport
} from '@mlc-ai/web-llm';
// Not the catalog barrel: it re-exports load-catalog.ts, whose virtual module exists only on the page.
import { parseRecord } from '../domain/catalog/parse-record.ts';
import type { ModelRecordLike } from '../domain/catalog/types.ts';
import {
	EngineError,
	adviceFor,
	answerStatsFrom,
	classifyEngineError,
	openAiSamplingFields,
	serializeEngineError,
	toLoadProgress,
	type FinishReason,
	type GenerateRequest,
	type GenerateResult,
	type UsageLike
} from '../domain/engine/index.ts';
import { WebLlmCache } from './llm-cache.ts';
import type {
	LlmRequest,
	LlmResultMap,
	LlmRequestType,
	LlmWorkerMessage,
	RequestId
} from './protocol.ts';

/** The part of web-llm's MLCEngine the handler uses. */
export interface EngineLike {
	reload(modelId: string | string[]): Promise<void>;
	unload(): Promise<void>;
	interruptGenerate(): Promise<void> | void;
	setAppConfig(appConfig: AppConfig): void;
	chatCompletion(
		request: ChatCompletionRequestStreaming
	): Promise<AsyncIterable<ChatCompletionChunk>>;
}

export type EngineFactory = (config: {
	appConfig: AppConfig;
	initProgressCallback: (report: InitProgressReport) => void;
}) => EngineLike;

export interface LlmHandlerOptions {
	post: (message: LlmWorkerMessage) => void;
	createEngine?: EngineFactory;
	/** Cache Storage for size figures; defaults to globalThis.caches. */
	cacheStorage?: CacheStorage;
}

const defaultFactory: EngineFactory = (c) =>
	new MLCEngine({
		appConfig: c.appConfig,
		initProgressCallback: c.initProgressCallback,
		logLevel: 'WARN'
	});

const aborted = () => new EngineError('aborted', 'Cancelled', adviceFor('aborted'));

interface Tokenizing {
	loadedModelIdToPipeline?: Map<
		string,
		{ tokenizer?: { encode(text: string): ArrayLike<number> } }
	>;
}

export class LlmHandler {
	readonly #post: LlmHandlerOptions['post'];
	readonly #createEngine: EngineFactory;
	readonly #cache: WebLlmCache;
	#engine: EngineLike | undefined;
	#appConfig: AppConfig = { model_list: [...prebuiltAppConfig.model_list], cacheBackend: 'cache' };
	#loaded: string[] = [];
	#queue: Promise<unknown> = Promise.resolve();
	#active: { id: RequestId; kind: 'load' | 'generate' } | undefined;
	readonly #cancelled = new Set<RequestId>();
	readonly #replied = new Set<RequestId>();

	constructor(opts: LlmHandlerOptions) {
		this.#post = opts.post;
		this.#createEngine = opts.createEngine ?? defaultFactory;
		this.#cache = new WebLlmCache(() => this.#appConfig, opts.cacheStorage ?? globalThis.caches);
	}

	/** Model ids currently resident. */
	get loadedModelIds(): readonly string[] {
		return this.#loaded;
	}

	/** Handles one request; resolves once its reply (result or error) has been posted. */
	handle(msg: LlmRequest): Promise<void> {
		switch (msg.type) {
			case 'cancel':
				return this.#cancel(msg.id);
			case 'load':
				return this.#queued(msg.id, 'load', () => this.#load(msg.id, msg.modelIds));
			case 'generate':
				return this.#queued(msg.id, 'generate', () => this.#generate(msg.id, msg.request));
			case 'unload':
				return this.#queued(msg.id, 'unload', () => this.#unload());
			case 'countTokens':
				return this.#queued(msg.id, 'countTokens', async () =>
					this.#countTokens(msg.modelId, msg.text)
				);
			case 'registerModels':
				return this.#reply(msg.id, 'registerModels', async () => this.#register(msg.records));
			case 'listCached':
				return this.#reply(msg.id, 'listCached', () => this.#cache.list());
			case 'hasInCache':
				return this.#reply(msg.id, 'hasInCache', () => this.#cache.has(msg.modelId));
			case 'deleteCached':
				return this.#reply(msg.id, 'deleteCached', () => this.#cache.delete(msg.modelId));
			default: {
				const bad = msg as { id?: unknown; type?: unknown };
				const id = typeof bad.id === 'number' ? bad.id : -1;
				const err = new EngineError(
					'unknown',
					`Unknown request type ${String(bad.type)}`,
					adviceFor('unknown')
				);
				this.#send(id, { type: 'error', id, error: serializeEngineError(err) });
				return Promise.resolve();
			}
		}
	}

	#queued<K extends LlmRequestType>(
		id: RequestId,
		kind: K,
		run: () => Promise<LlmResultMap[K]>
	): Promise<void> {
		const next = this.#queue.then(() => this.#reply(id, kind, run));
		this.#queue = next;
		return next;
	}

	async #reply<K extends LlmRequestType>(
		id: RequestId,
		kind: K,
		run: () => Promise<LlmResultMap[K]>
	): Promise<void> {
		try {
			const value = await run();
			this.#send(id, { type: 'result', id, kind, value } as LlmWorkerMessage);
		} catch (e) {
			this.#send(id, { type: 'error', id, error: serializeEngineError(classifyEngineError(e)) });
		} finally {
			this.#cancelled.delete(id);
		}
	}

	/** Posts the final reply for `id` once; later replies (superseded by a cancel) are dropped. */
	#send(id: RequestId, msg: LlmWorkerMessage): void {
		if (this.#replied.has(id)) return;
		this.#replied.add(id);
		this.#post(msg);
	}

	#engineOrCreate(): EngineLike {
		this.#engine ??= this.#createEngine({
			appConfig: this.#appConfig,
			initProgressCallback: (r) => {
				const id = this.#active?.id;
				if (id !== undefined && !this.#replied.has(id))
					this.#post({ type: 'progress', id, progress: toLoadProgress(r) });
			}
		});
		return this.#engine;
	}

	async #cancel(id: RequestId): Promise<void> {
		this.#cancelled.add(id);
		if (this.#active?.id !== id) return;
		if (this.#active.kind === 'generate') {
			await this.#engine?.interruptGenerate();
			return;
		}
		// web-llm has no reload abort, but unload() aborts its in-flight fetches (reloadController).
		this.#send(id, { type: 'error', id, error: serializeEngineError(aborted()) });
		this.#loaded = [];
		await this.#engine?.unload().catch(() => undefined);
	}

	#register(records: ModelRecordLike[]): { registered: string[] } {
		if (!Array.isArray(records)) throw new Error('registerModels expects a list of model records');
		const parsed = records.map(parseRecord);
		for (const r of parsed) {
			if (!/^https?:\/\//.test(r.model))
				throw new Error(
					`Model ${r.model_id}: "model" must be an absolute http(s) URL (web-llm cannot resolve ${r.model}).`
				);
		}
		const ids = new Set(parsed.map((r) => r.model_id));
		this.#appConfig = {
			...this.#appConfig,
			model_list: [
				...this.#appConfig.model_list.filter((r) => !ids.has(r.model_id)),
				...(parsed as AppConfig['model_list'])
			]
		};
		this.#engine?.setAppConfig(this.#appConfig);
		return { registered: [...ids] };
	}

	async #load(id: RequestId, modelIds: string[]): Promise<{ modelIds: string[] }> {
		if (this.#cancelled.has(id)) throw aborted();
		if (!Array.isArray(modelIds) || modelIds.length === 0)
			throw new Error('load needs at least one model id');
		for (const m of modelIds) {
			if (!this.#appConfig.model_list.some((r) => r.model_id === m))
				throw new EngineError(
					'model-files-missing',
					`Unknown model id "${m}"`,
					'Pick a model from the catalog, or register its record first.'
				);
		}
		const engine = this.#engineOrCreate();
		this.#active = { id, kind: 'load' };
		this.#loaded = [];
		try {
			await engine.reload(modelIds.length === 1 ? modelIds[0] : modelIds);
		} catch (e) {
			const err = classifyEngineError(e);
			if (err.code !== 'model-files-missing') throw err;
			// A failed config fetch may have cached an HTML page under the config URL; drop it.
			await this.#forgetConfigs(modelIds);
			const where = modelIds
				.map((m) => this.#appConfig.model_list.find((r) => r.model_id === m)?.model)
				.join(', ');
			throw new EngineError(
				err.code,
				`The files of ${modelIds.join(', ')} are missing or unreadable at ${where} (${err.message})`,
				err.advice
			);
		} finally {
			this.#active = undefined;
		}
		if (this.#cancelled.has(id)) throw aborted();
		this.#loaded = [...modelIds];
		return { modelIds: [...modelIds] };
	}

	async #forgetConfigs(modelIds: string[]): Promise<void> {
		for (const m of modelIds)
			await deleteChatConfigInCache(m, this.#appConfig).catch(() => undefined);
	}

	async #generate(id: RequestId, req: GenerateRequest): Promise<GenerateResult> {
		const startedAtMs = performance.now();
		if (!this.#loaded.includes(req.modelId)) await this.#load(id, [req.modelId]);
		let text = '';
		let chunks = 0;
		let firstTokenAtMs: number | undefined;
		let usage: UsageLike | undefined;
		let finish: FinishReason = 'stop';
		if (!this.#cancelled.has(id)) {
			const engine = this.#engineOrCreate();
			this.#active = { id, kind: 'generate' };
			try {
				const stream = await engine.chatCompletion({
					model: req.modelId,
					messages: req.messages,
					stream: true,
					stream_options: { include_usage: true },
					...openAiSamplingFields(req.sampling)
				});
				for await (const chunk of stream) {
					if (chunk.usage) usage = chunk.usage as UsageLike;
					const choice = chunk.choices[0];
					const delta = choice?.delta?.content;
					if (delta) {
						firstTokenAtMs ??= performance.now();
						chunks++;
						text += delta;
						this.#post({ type: 'chunk', id, delta });
					}
					if (choice?.finish_reason)
						finish =
							choice.finish_reason === 'length'
								? 'length'
								: choice.finish_reason === 'abort'
									? 'abort'
									: 'stop';
				}
			} finally {
				this.#active = undefined;
			}
		}
		if (this.#cancelled.has(id)) finish = 'abort';
		const stats = answerStatsFrom(usage, {
			startedAtMs,
			firstTokenAtMs,
			finishedAtMs: performance.now(),
			fallbackCompletionTokens: chunks
		});
		return { text, finishReason: finish, stats };
	}

	/** web-llm unloads every resident model at once, so `unload` always unloads all. */
	async #unload(): Promise<{ modelIds: string[] }> {
		const was = this.#loaded;
		this.#loaded = [];
		await this.#engine?.unload();
		return { modelIds: was };
	}

	/** Exact count from the loaded model's tokenizer; null when that model is not resident. */
	#countTokens(modelId: string, text: string): number | null {
		if (!this.#loaded.includes(modelId)) return null;
		const pipeline = (
			this.#engine as unknown as Tokenizing | undefined
		)?.loadedModelIdToPipeline?.get(modelId);
		const tokenizer = pipeline?.tokenizer;
		return tokenizer ? tokenizer.encode(text).length : null;
	}
}
