// Worker-side handler of the LLM protocol (src/workers/protocol.ts): a plain class built with an
// engine factory (web-llm's MLCEngine by default) and a `post` function, so Node tests can drive it
// with web-llm mocked. Several models may be resident at once (web-llm reload([a, b])). Generates on
// different resident models stream concurrently, two on the same model one after the other; loads,
// unloads, countTokens and playground generates that must reload wait until the engine is idle and
// keep it to themselves. Cancel, cancelAll, residency and cache requests bypass the queue.
// Must not import Svelte, Dexie or the DOM.
//
// What web-llm 0.2.86 does (lib/index.js): every loaded model has its own pipeline and its own lock
// (loadedModelIdToLock), taken by a stream's first next() and released in the stream generator's
// `finally`; so streams on different models interleave, streams on one model queue. Calling
// `return()` on an abandoned stream runs that `finally` (triggerStop, seed reset, lock release) once
// the pending decode step yields; the next request on that model sees finishReason 'abort' and
// rebuilds its conversation (preparePrefillInput resets the chat), so nothing needs draining.
// interruptGenerate() sets ONE engine-wide flag that every stream's decode loop reads; it is only
// used when a single stream is active, or for cancelAll.

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
import type { LlmRequest, LlmResultMap, LlmRequestType, LlmWorkerMessage, RequestId } from './protocol.ts';

/** The part of web-llm's MLCEngine the handler uses. */
export interface EngineLike {
	reload(modelId: string | string[]): Promise<void>;
	unload(): Promise<void>;
	interruptGenerate(): Promise<void> | void;
	setAppConfig(appConfig: AppConfig): void;
	chatCompletion(request: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>>;
}

export type EngineFactory = (config: { appConfig: AppConfig; initProgressCallback: (report: InitProgressReport) => void }) => EngineLike;

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
const ignore = () => undefined;

interface Tokenizing {
	loadedModelIdToPipeline?: Map<string, { tokenizer?: { encode(text: string): ArrayLike<number> } }>;
}

/** A request waiting for the engine. */
interface Job {
	id: RequestId;
	kind: LlmRequestType;
	/** The generate's request; null for work that needs the whole engine (load, unload, countTokens). */
	generate: GenerateRequest | null;
	run(slot: Slot): Promise<void>;
	/** Resolves the promise handle() returned. */
	settle(): void;
}

/** A request holding the engine: the whole engine, or (a streaming generate) one model. */
interface Slot {
	id: RequestId;
	kind: LlmRequestType;
	/** The model this slot's stream occupies; undefined while it has the engine to itself. */
	modelId?: string;
	/** Set while the slot streams: stops consuming the stream. */
	stop?: () => void;
	/** True once the stream was asked to stop. */
	stopped: boolean;
}

const STOP = Symbol('stop');

export class LlmHandler {
	readonly #post: LlmHandlerOptions['post'];
	readonly #createEngine: EngineFactory;
	readonly #cache: WebLlmCache;
	#engine: EngineLike | undefined;
	#appConfig: AppConfig = { model_list: [...prebuiltAppConfig.model_list], cacheBackend: 'cache' };
	readonly #resident = new Set<string>();
	readonly #waiting: Job[] = [];
	readonly #running: Slot[] = [];
	/** The request whose reload is under way (its progress reports go to this id). */
	#loadingId: RequestId | undefined;
	readonly #cancelled = new Set<RequestId>();
	readonly #replied = new Set<RequestId>();

	constructor(opts: LlmHandlerOptions) {
		this.#post = opts.post;
		this.#createEngine = opts.createEngine ?? defaultFactory;
		this.#cache = new WebLlmCache(() => this.#appConfig, opts.cacheStorage ?? globalThis.caches);
	}

	/** Model ids currently resident. */
	get loadedModelIds(): readonly string[] {
		return [...this.#resident];
	}

	/**
	 * Handles one request; resolves once its reply (result or error) has been posted and, for a
	 * generate, once web-llm has released its stream.
	 */
	handle(msg: LlmRequest): Promise<void> {
		switch (msg.type) {
			case 'cancel':
				return this.#cancel(msg.id);
			case 'cancelAll':
				return this.#reply(msg.id, 'cancelAll', () => this.#cancelAll());
			case 'residentModels':
				return this.#reply(msg.id, 'residentModels', async () => [...this.#resident]);
			case 'load':
				return this.#exclusive(msg.id, 'load', () => this.#load(msg.id, msg.modelIds));
			case 'generate':
				return this.#enqueue({
					id: msg.id,
					kind: 'generate',
					generate: msg.request ?? null,
					run: (slot) => this.#generate(slot, msg.request),
					settle: ignore
				});
			case 'unload':
				return this.#exclusive(msg.id, 'unload', () => this.#unload());
			case 'countTokens':
				return this.#exclusive(msg.id, 'countTokens', async () => this.#countTokens(msg.modelId, msg.text));
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
				const err = new EngineError('unknown', `Unknown request type ${String(bad.type)}`, adviceFor('unknown'));
				this.#send(id, { type: 'error', id, error: serializeEngineError(err) });
				return Promise.resolve();
			}
		}
	}

	#exclusive<K extends LlmRequestType>(id: RequestId, kind: K, run: () => Promise<LlmResultMap[K]>): Promise<void> {
		return this.#enqueue({
			id,
			kind,
			generate: null,
			run: () => this.#reply(id, kind, run),
			settle: ignore
		});
	}

	#enqueue(job: Job): Promise<void> {
		return new Promise<void>((resolve) => {
			job.settle = resolve;
			this.#waiting.push(job);
			this.#pump();
		});
	}

	/** Does this job need the engine to itself when it starts? */
	#needsEngine(job: Job): boolean {
		const g = job.generate;
		if (g === null) return true;
		// A playground generate reloads when its model is not resident; a `resident` one never does.
		return !Array.isArray(g.resident) && !this.#resident.has(g.modelId);
	}

	/**
	 * Starts every waiting job that may run now, in arrival order: nothing starts while a job holds
	 * the whole engine; a job that needs the whole engine waits for every running job and holds back
	 * everything behind it; a generate waits for running and earlier generates on its model.
	 */
	#pump(): void {
		const heldBack = new Set<string>();
		for (let i = 0; i < this.#waiting.length;) {
			if (this.#running.some((s) => s.modelId === undefined)) return;
			const job = this.#waiting[i];
			if (this.#needsEngine(job)) {
				if (this.#running.length === 0) this.#start(i, undefined);
				return;
			}
			const model = String(job.generate?.modelId);
			if (heldBack.has(model) || this.#running.some((s) => s.modelId === model)) {
				heldBack.add(model);
				i++;
				continue;
			}
			this.#start(i, model);
		}
	}

	#start(index: number, modelId: string | undefined): void {
		const [job] = this.#waiting.splice(index, 1);
		const slot: Slot = { id: job.id, kind: job.kind, modelId, stopped: false };
		this.#running.push(slot);
		void job
			.run(slot)
			.catch(ignore)
			.finally(() => {
				this.#running.splice(this.#running.indexOf(slot), 1);
				this.#cancelled.delete(job.id);
				this.#pump();
				job.settle();
			});
	}

	async #reply<K extends LlmRequestType>(id: RequestId, kind: K, run: () => Promise<LlmResultMap[K]>): Promise<void> {
		try {
			const value = await run();
			this.#send(id, { type: 'result', id, kind, value } as LlmWorkerMessage);
		} catch (e) {
			this.#send(id, { type: 'error', id, error: serializeEngineError(classifyEngineError(e)) });
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
				const id = this.#loadingId;
				if (id !== undefined && !this.#replied.has(id)) this.#post({ type: 'progress', id, progress: toLoadProgress(r) });
			}
		});
		return this.#engine;
	}

	/** Streams that are consuming chunks and have not been asked to stop. */
	#activeStreams(): Slot[] {
		return this.#running.filter((s) => s.stop !== undefined && !s.stopped);
	}

	/**
	 * Stops request `id` only. A waiting request is answered at once; a reload (a load, or a
	 * playground generate reloading) is answered 'aborted' and web-llm's fetches are aborted by
	 * unload(); a stream stops being consumed and answers 'abort' with its text so far. Only when it
	 * is the one active stream is web-llm's engine-wide interruptGenerate() also called: that flag is
	 * checked inside web-llm's decode loop, so the GPU stops after the current step even while our
	 * return() is still queued behind a pending next(); with other streams active the flag would stop
	 * them too, so it is not raised and return() alone ends this stream.
	 */
	async #cancel(id: RequestId, interrupt = true): Promise<void> {
		const w = this.#waiting.findIndex((j) => j.id === id);
		if (w >= 0) {
			const job = this.#waiting[w];
			if (job.kind !== 'load' && job.kind !== 'generate') return;
			this.#waiting.splice(w, 1);
			if (job.kind === 'generate') this.#send(id, this.#abortResult(id, '', performance.now()));
			else this.#send(id, { type: 'error', id, error: serializeEngineError(aborted()) });
			job.settle();
			this.#pump();
			return;
		}
		const slot = this.#running.find((s) => s.id === id);
		if (!slot) return;
		this.#cancelled.add(id);
		if (this.#loadingId === id) {
			// web-llm has no reload abort, but unload() aborts its in-flight fetches (reloadController).
			this.#send(id, { type: 'error', id, error: serializeEngineError(aborted()) });
			this.#resident.clear();
			await this.#engine?.unload().catch(ignore);
			return;
		}
		if (slot.stop && !slot.stopped) {
			const alone = this.#activeStreams().length === 1;
			slot.stop();
			if (interrupt && alone) await this.#engine?.interruptGenerate();
		}
	}

	/** Stops every generate, running or waiting: one engine-wide interrupt, then each stream. */
	async #cancelAll(): Promise<{ cancelled: RequestId[] }> {
		const ids = [
			...this.#running.filter((s) => s.kind === 'generate').map((s) => s.id),
			...this.#waiting.filter((j) => j.kind === 'generate').map((j) => j.id)
		];
		if (this.#activeStreams().length > 0) await this.#engine?.interruptGenerate();
		for (const id of ids) await this.#cancel(id, false);
		return { cancelled: ids };
	}

	#register(records: ModelRecordLike[]): { registered: string[] } {
		if (!Array.isArray(records)) throw new Error('registerModels expects a list of model records');
		const parsed = records.map(parseRecord);
		for (const r of parsed) {
			if (!/^https?:\/\//.test(r.model))
				throw new Error(`Model ${r.model_id}: "model" must be an absolute http(s) URL (web-llm cannot resolve ${r.model}).`);
		}
		const ids = new Set(parsed.map((r) => r.model_id));
		this.#appConfig = {
			...this.#appConfig,
			model_list: [...this.#appConfig.model_list.filter((r) => !ids.has(r.model_id)), ...(parsed as AppConfig['model_list'])]
		};
		this.#engine?.setAppConfig(this.#appConfig);
		return { registered: [...ids] };
	}

	/**
	 * Replaces the resident set with `modelIds` (web-llm reload of the list). On failure nothing is
	 * resident: web-llm loads the list one by one and keeps the models before the failing one, so
	 * those are unloaded too, freeing their GPU memory for a one-after-the-other fallback.
	 */
	async #load(id: RequestId, modelIds: string[]): Promise<{ modelIds: string[] }> {
		if (this.#cancelled.has(id)) throw aborted();
		if (!Array.isArray(modelIds) || modelIds.length === 0) throw new Error('load needs at least one model id');
		const dup = modelIds.find((m, i) => modelIds.indexOf(m) !== i);
		if (dup !== undefined) throw new Error(`load: model "${dup}" is listed twice; list each model once`);
		for (const m of modelIds) {
			if (!this.#appConfig.model_list.some((r) => r.model_id === m))
				throw new EngineError(
					'model-files-missing',
					`Unknown model id "${m}"`,
					'Pick a model from the catalog, or register its record first.'
				);
		}
		const engine = this.#engineOrCreate();
		this.#loadingId = id;
		this.#resident.clear();
		try {
			await engine.reload(modelIds.length === 1 ? modelIds[0] : modelIds);
		} catch (e) {
			const err = classifyEngineError(e);
			if (modelIds.length > 1) await engine.unload().catch(ignore);
			if (err.code === 'out-of-memory' && modelIds.length > 1)
				throw new EngineError(
					err.code,
					`${modelIds.join(' + ')} do not fit in GPU memory together (${err.message}); nothing is loaded now.`,
					'Run these models one after the other instead of together, or pick smaller (q4) models.'
				);
			if (err.code !== 'model-files-missing') throw err;
			// A failed config fetch may have cached an HTML page under the config URL; drop it.
			await this.#forgetConfigs(modelIds);
			const where = modelIds.map((m) => this.#appConfig.model_list.find((r) => r.model_id === m)?.model).join(', ');
			throw new EngineError(
				err.code,
				`The files of ${modelIds.join(', ')} are missing or unreadable at ${where} (${err.message})`,
				err.advice
			);
		} finally {
			this.#loadingId = undefined;
		}
		if (this.#cancelled.has(id)) throw aborted();
		for (const m of modelIds) this.#resident.add(m);
		return { modelIds: [...modelIds] };
	}

	async #forgetConfigs(modelIds: string[]): Promise<void> {
		for (const m of modelIds) await deleteChatConfigInCache(m, this.#appConfig).catch(() => undefined);
	}

	#abortResult(id: RequestId, text: string, startedAtMs: number): LlmWorkerMessage {
		const stats = answerStatsFrom(undefined, {
			startedAtMs,
			finishedAtMs: performance.now(),
			fallbackCompletionTokens: 0
		});
		return {
			type: 'result',
			id,
			kind: 'generate',
			value: { text, finishReason: 'abort', stats }
		};
	}

	/** Refuses a `resident` generate whose models are not all resident. */
	#checkResident(req: GenerateRequest): void {
		if (!Array.isArray(req.resident) || req.resident.some((m) => typeof m !== 'string'))
			throw new Error('generate: "resident" must be a list of model ids');
		const wanted = [...new Set([req.modelId, ...req.resident])];
		const missing = wanted.filter((m) => !this.#resident.has(m));
		if (missing.length === 0) return;
		const now = [...this.#resident].join(', ') || 'none';
		throw new EngineError(
			'not-resident',
			`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not loaded (resident: ${now}); this request never reloads models.`,
			adviceFor('not-resident')
		);
	}

	/** One generate from start to closed stream; its reply is posted as soon as it is known. */
	async #generate(slot: Slot, req: GenerateRequest): Promise<void> {
		const startedAtMs = performance.now();
		const id = slot.id;
		let closing: Promise<unknown> = Promise.resolve();
		await this.#reply(id, 'generate', async () => {
			if (!req || typeof req.modelId !== 'string' || !Array.isArray(req.messages))
				throw new Error('generate needs a request with a modelId and a list of messages');
			if (req.resident !== undefined) this.#checkResident(req);
			else if (!this.#resident.has(req.modelId)) {
				// This slot has the engine to itself (see #needsEngine) while it reloads.
				await this.#load(id, [req.modelId]);
				slot.modelId = req.modelId;
				this.#pump();
			}
			const out = await this.#stream(slot, req, startedAtMs);
			closing = out.closing;
			return out.result;
		});
		// The model stays occupied until web-llm has released the abandoned stream.
		await closing;
	}

	async #stream(slot: Slot, req: GenerateRequest, startedAtMs: number): Promise<{ result: GenerateResult; closing: Promise<unknown> }> {
		let text = '';
		let chunks = 0;
		let firstTokenAtMs: number | undefined;
		let usage: UsageLike | undefined;
		let finish: FinishReason = 'stop';
		let closing: Promise<unknown> = Promise.resolve();
		/** Resolves the step being awaited with STOP; replaced at every step. */
		let wake: (v: typeof STOP) => void = ignore;
		slot.stop = () => {
			slot.stopped = true;
			wake(STOP);
		};
		if (this.#cancelled.has(slot.id)) slot.stopped = true;
		/** The next value of `p`, or STOP as soon as the slot is stopped. */
		const orStop = <T>(p: Promise<T>): Promise<T | typeof STOP> =>
			slot.stopped
				? Promise.resolve(STOP)
				: new Promise<T | typeof STOP>((resolve, reject) => {
						wake = resolve;
						p.then(resolve, reject);
					});
		try {
			const engine = this.#engineOrCreate();
			const created = engine.chatCompletion({
				model: req.modelId,
				messages: req.messages,
				stream: true,
				stream_options: { include_usage: true },
				...openAiSamplingFields(req.sampling ?? {})
			});
			const stream = await orStop(created);
			if (stream === STOP) {
				closing = created.then((s) => closeStream(s[Symbol.asyncIterator]()), ignore);
			} else {
				const it = stream[Symbol.asyncIterator]();
				for (;;) {
					const next = it.next();
					const step = await orStop(next);
					if (step === STOP) {
						next.catch(ignore);
						closing = closeStream(it);
						break;
					}
					if (step.done) break;
					const chunk = step.value;
					if (chunk.usage) usage = chunk.usage as UsageLike;
					const choice = chunk.choices[0];
					const delta = choice?.delta?.content;
					if (delta) {
						firstTokenAtMs ??= performance.now();
						chunks++;
						text += delta;
						this.#post({ type: 'chunk', id: slot.id, delta });
					}
					if (choice?.finish_reason)
						finish = choice.finish_reason === 'length' ? 'length' : choice.finish_reason === 'abort' ? 'abort' : 'stop';
				}
			}
		} finally {
			slot.stop = undefined;
			wake = ignore;
		}
		if (slot.stopped || this.#cancelled.has(slot.id)) finish = 'abort';
		const stats = answerStatsFrom(usage, {
			startedAtMs,
			firstTokenAtMs,
			finishedAtMs: performance.now(),
			fallbackCompletionTokens: chunks
		});
		return { result: { text, finishReason: finish, stats }, closing };
	}

	/** web-llm unloads every resident model at once, so `unload` always unloads all. */
	async #unload(): Promise<{ modelIds: string[] }> {
		const was = [...this.#resident];
		this.#resident.clear();
		await this.#engine?.unload();
		return { modelIds: was };
	}

	/** Exact count from the loaded model's tokenizer; null when that model is not resident. */
	#countTokens(modelId: string, text: string): number | null {
		if (!this.#resident.has(modelId)) return null;
		const pipeline = (this.#engine as unknown as Tokenizing | undefined)?.loadedModelIdToPipeline?.get(modelId);
		const tokenizer = pipeline?.tokenizer;
		return tokenizer ? tokenizer.encode(text).length : null;
	}
}

/**
 * Ends an abandoned stream: return() runs web-llm's `finally` (stop, release the model's lock) once
 * the pending step yields. Never rejects.
 */
function closeStream(it: AsyncIterator<unknown>): Promise<unknown> {
	try {
		return Promise.resolve(it.return?.()).catch(ignore);
	} catch {
		return Promise.resolve();
	}
}
