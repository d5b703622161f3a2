// Page-side proxy for the LLM worker: implements Engine over the protocol in protocol.ts, turning
// AbortSignals into `cancel` messages and replies into promises. Imports no web-llm code (types
// only), so web-llm ships once, inside the worker. A load that does not stop after a cancel is
// ended by terminating and recreating the worker (the cache keeps finished shards). Several models
// may be resident at once (loadMany); generates on different ones stream concurrently, each
// cancelled by its own signal, all of them by cancelAll().

import { webllmVersion } from 'virtual:webllm-version';
import type { CachedModel, ModelRecordLike } from '../domain/catalog/index.ts';
import {
	EngineError,
	adviceFor,
	fromSerialized,
	type Engine,
	type GenerateRequest,
	type GenerateResult,
	type LoadProgress
} from '../domain/engine/index.ts';
import type { LlmRequestPayload, LlmRequestType, LlmResultMap, LlmWorkerMessage, RequestId } from './protocol.ts';

export interface WebLlmExtras {
	/** Adds or replaces model records (e.g. merged LoRA models); kept across worker restarts. */
	registerModels(records: ModelRecordLike[]): Promise<string[]>;
	listCached(): Promise<CachedModel[]>;
	/** Deletes a model's files; its wasm only when no other cached model shares it. */
	deleteCached(modelId: string): Promise<{ deletedWasm: boolean; alsoRemoved: string[] }>;
	hasInCache(modelId: string): Promise<boolean>;
	/**
	 * Loads several models to keep resident at once (each costs its own GPU memory), replacing what
	 * was resident. An 'out-of-memory' rejection leaves nothing resident: fall back to one at a time.
	 */
	loadMany(modelIds: string[], opts?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<void>;
	/** The model ids resident in the worker now. */
	residentIds(): Promise<string[]>;
	/** Stops every generate in flight or waiting; each resolves with finishReason 'abort'. */
	cancelAll(): Promise<void>;
}

export interface WebLlmClientOptions {
	/** Builds the worker; tests may pass their own. */
	createWorker?: () => Worker;
	/** How long a cancelled load may take to stop before the worker is replaced. */
	cancelGraceMs?: number;
}

interface Pending {
	resolve(value: unknown): void;
	reject(error: EngineError): void;
	onProgress?: (p: LoadProgress) => void;
	onDelta?: (d: string) => void;
}

const defaultWorker = () => new Worker(new URL('./llm.worker.ts', import.meta.url), { type: 'module' });
const abortedError = (why = 'Cancelled') => new EngineError('aborted', why, adviceFor('aborted'));

function emptyAbortResult(): GenerateResult {
	return {
		text: '',
		finishReason: 'abort',
		stats: {
			promptTokens: 0,
			completionTokens: 0,
			timeToFirstTokenMs: 0,
			totalMs: 0,
			source: 'measured'
		}
	};
}

/**
 * Creates the web-llm engine that runs in a dedicated module worker.
 * @returns an Engine plus cache and registration extras
 */
export function createWebLlmEngine(opts: WebLlmClientOptions = {}): Engine & WebLlmExtras {
	const makeWorker = opts.createWorker ?? defaultWorker;
	const graceMs = opts.cancelGraceMs ?? 3000;
	const pending = new Map<RequestId, Pending>();
	let records: ModelRecordLike[] = [];
	let nextId = 1;
	let worker: Worker | undefined;

	function onMessage(msg: LlmWorkerMessage): void {
		const p = pending.get(msg.id);
		if (!p) return;
		if (msg.type === 'progress') p.onProgress?.(msg.progress);
		else if (msg.type === 'chunk') p.onDelta?.(msg.delta);
		else {
			pending.delete(msg.id);
			if (msg.type === 'result') p.resolve(msg.value);
			else p.reject(fromSerialized(msg.error));
		}
	}

	function failAll(error: EngineError): void {
		for (const p of pending.values()) p.reject(error);
		pending.clear();
	}

	function ensureWorker(): Worker {
		if (worker) return worker;
		const w = makeWorker();
		w.onmessage = (e: MessageEvent<LlmWorkerMessage>) => onMessage(e.data);
		w.onerror = (e: ErrorEvent) => {
			e.preventDefault();
			failAll(new EngineError('unknown', `The LLM worker crashed: ${e.message}`, adviceFor('unknown')));
			restart();
		};
		worker = w;
		if (records.length > 0) w.postMessage({ type: 'registerModels', id: nextId++, records });
		return w;
	}

	function restart(): void {
		worker?.terminate();
		worker = undefined;
	}

	function send<K extends LlmRequestType>(
		type: K,
		payload: LlmRequestPayload<K>,
		hooks: Omit<Pending, 'resolve' | 'reject'> & { signal?: AbortSignal; forceStop?: boolean } = {}
	): Promise<LlmResultMap[K]> {
		const id = nextId++;
		return new Promise<LlmResultMap[K]>((resolve, reject) => {
			if (hooks.signal?.aborted) return reject(abortedError());
			const w = ensureWorker();
			const onAbort = () => {
				if (!pending.has(id)) return;
				w.postMessage({ type: 'cancel', id });
				if (!hooks.forceStop) return;
				// A load: answer now; replace the worker if it does not settle in time.
				pending.delete(id);
				reject(abortedError());
				restartIfBusy(w);
			};
			pending.set(id, {
				resolve: (v) => {
					hooks.signal?.removeEventListener('abort', onAbort);
					resolve(v as LlmResultMap[K]);
				},
				reject: (e) => {
					hooks.signal?.removeEventListener('abort', onAbort);
					reject(e);
				},
				onProgress: hooks.onProgress,
				onDelta: hooks.onDelta
			});
			hooks.signal?.addEventListener('abort', onAbort, { once: true });
			w.postMessage({ ...payload, type, id });
		});
	}

	/** After a cancelled load, a worker that still has engine work pending is replaced. */
	function restartIfBusy(w: Worker): void {
		const probeId = nextId++;
		const timer = setTimeout(() => {
			pending.delete(probeId);
			if (worker !== w) return;
			failAll(abortedError('Cancelled: the engine was restarted to stop the load'));
			restart();
		}, graceMs);
		// An unload is queued behind the stuck load; if it answers, the worker is free again.
		pending.set(probeId, { resolve: () => clearTimeout(timer), reject: () => clearTimeout(timer) });
		w.postMessage({ type: 'unload', id: probeId });
	}

	async function load(modelIds: string[], o: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {}) {
		await send('load', { modelIds }, { signal: o.signal, onProgress: o.onProgress, forceStop: true });
	}

	return {
		info: { kind: 'webllm', version: `@mlc-ai/web-llm ${webllmVersion}` },
		load: (modelId, o) => load([modelId], o),
		loadMany: load,
		async generate(request: GenerateRequest, o) {
			try {
				return await send('generate', { request }, { signal: o.signal, onDelta: o.onDelta });
			} catch (e) {
				if (e instanceof EngineError && e.code === 'aborted') return emptyAbortResult();
				throw e;
			}
		},
		countTokens: (modelId, text) => send('countTokens', { modelId, text }),
		async unload(modelId) {
			await send('unload', { modelId });
		},
		dispose() {
			failAll(abortedError('Engine disposed'));
			restart();
		},
		async registerModels(list) {
			const res = await send('registerModels', { records: list });
			const ids = new Set(res.registered);
			records = [...records.filter((r) => !ids.has(r.model_id)), ...list];
			return res.registered;
		},
		listCached: () => send('listCached', {}),
		deleteCached: (modelId) => send('deleteCached', { modelId }),
		hasInCache: (modelId) => send('hasInCache', { modelId }),
		residentIds: () => send('residentModels', {}),
		async cancelAll() {
			await send('cancelAll', {});
		}
	};
}
