// Page-side proxy for the derive worker: sends derive-protocol requests, turns AbortSignals into
// `cancel` messages and replies into promises, and rebuilds worker errors by name. Imports no
// web-llm code and no domain runtime beyond the error classes.

import { DeriveAbortedError } from '../domain/merge/errors.ts';
import type {
	DeriveJob,
	DeriveOutcome,
	DeriveProgressEvent,
	DeriveRequest,
	DeriveRequestId,
	DeriveWorkerMessage,
	SerializedDeriveError
} from './derive-protocol.ts';

/** A derivation failed in the worker; `errorName` is the worker-side class (e.g. PeftConfigError). */
export class DeriveFailedError extends Error {
	override name = 'DeriveFailedError';
	constructor(
		readonly errorName: string,
		message: string,
		readonly reasons: string[] = []
	) {
		super(message);
	}
}

/** Rebuilds a serialized worker error: cancellation as DeriveAbortedError, the rest as DeriveFailedError. */
export function rebuildDeriveError(e: SerializedDeriveError): Error {
	if (e.name === 'DeriveAbortedError') return new DeriveAbortedError();
	return new DeriveFailedError(e.name, e.message, e.reasons ?? []);
}

export interface DeriveClient {
	/** Derives a model into web-llm's cache. @throws DeriveAbortedError, DeriveFailedError */
	derive(job: DeriveJob, opts?: { signal?: AbortSignal; onProgress?: (p: DeriveProgressEvent) => void }): Promise<DeriveOutcome>;
	/** Deletes a derived model's cached files (model/config scopes only). */
	deleteDerived(folderUrl: string): Promise<number>;
	/** Benchmark baseline: plain Cache→Cache copy of a folder in the worker. */
	copyFolder(fromFolderUrl: string, toFolderUrl: string): Promise<{ bytes: number; elapsedMs: number }>;
	dispose(): void;
}

interface Pending {
	resolve(v: unknown): void;
	reject(e: Error): void;
	onProgress?: (p: DeriveProgressEvent) => void;
}

const defaultWorker = () => new Worker(new URL('./derive.worker.ts', import.meta.url), { type: 'module' });

/** Creates the derive worker client (the worker starts on the first request). */
export function createDeriveClient(opts: { createWorker?: () => Worker } = {}): DeriveClient {
	const pending = new Map<DeriveRequestId, Pending>();
	let worker: Worker | undefined;
	let nextId = 1;

	const ensure = (): Worker => {
		if (worker) return worker;
		const w = (opts.createWorker ?? defaultWorker)();
		w.onmessage = (ev: MessageEvent<DeriveWorkerMessage>) => {
			const msg = ev.data;
			const p = pending.get(msg.id);
			if (!p) return;
			if (msg.type === 'progress') p.onProgress?.(msg.progress);
			else {
				pending.delete(msg.id);
				if (msg.type === 'result') p.resolve(msg.value);
				else p.reject(rebuildDeriveError(msg.error));
			}
		};
		w.onerror = (ev) => {
			for (const p of pending.values()) p.reject(new DeriveFailedError('WorkerError', `The derive worker failed: ${ev.message}`));
			pending.clear();
		};
		worker = w;
		return w;
	};

	function send<T>(req: DeriveRequest, extra: { signal?: AbortSignal; onProgress?: (p: DeriveProgressEvent) => void } = {}): Promise<T> {
		return new Promise<T>((resolve, reject) => {
			if (extra.signal?.aborted) return reject(new DeriveAbortedError());
			const w = ensure();
			const onAbort = () => w.postMessage({ type: 'cancel', id: req.id } satisfies DeriveRequest);
			extra.signal?.addEventListener('abort', onAbort, { once: true });
			pending.set(req.id, {
				resolve: (v) => {
					extra.signal?.removeEventListener('abort', onAbort);
					resolve(v as T);
				},
				reject: (e) => {
					extra.signal?.removeEventListener('abort', onAbort);
					reject(e);
				},
				onProgress: extra.onProgress
			});
			w.postMessage(req);
		});
	}

	return {
		derive: (job, o = {}) => send<DeriveOutcome>({ type: 'run', id: nextId++, job }, o),
		deleteDerived: async (folderUrl) => (await send<{ deletedUrls: number }>({ type: 'delete', id: nextId++, folderUrl })).deletedUrls,
		copyFolder: (fromFolderUrl, toFolderUrl) => send({ type: 'copy', id: nextId++, fromFolderUrl, toFolderUrl }),
		dispose() {
			worker?.terminate();
			worker = undefined;
			for (const p of pending.values()) p.reject(new DeriveAbortedError());
			pending.clear();
		}
	};
}
