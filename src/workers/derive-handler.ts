// DeriveHandler: runs derivations inside the derive worker. Reads the base model from web-llm's Cache
// API scopes (downloading it first when missing), merges the adapter with the domain's deriveModel,
// writes the derived model under its own URL as an overlay of the base's cached shards (tensor-cache.json
// last) and deletes everything it wrote on cancel or failure. A plain class (post, storage, fetch injected); imports no web-llm code.

import { PeftConfigError } from '../domain/lora/index.ts';
import { BaseModelError, DeriveAbortedError, adapterSha256, deriveModel, derivedModelId } from '../domain/merge/index.ts';
import { derivedFolderUrl, derivedRecord, modelFolderUrl, parseHubRef } from '../domain/webllm-cache/index.ts';
import {
	blobSource,
	bytesSource,
	openSafetensorsSet,
	parseTensorCache,
	type ByteSource,
	type TensorLocator
} from '../domain/weights/index.ts';
import {
	cacheDeriveIo,
	copyCachedFolder,
	deleteFolderFromCaches,
	ensureBaseCached,
	openCachedFile,
	readCachedJson
} from '../util/browser/cache-storage-io.ts';
import { openHubOriginal } from '../util/browser/hub-fetch.ts';
import type {
	DeriveJob,
	DeriveOutcome,
	DeriveProgressEvent,
	DeriveRequest,
	DeriveRequestId,
	DeriveRequestType,
	DeriveResultMap,
	DeriveWorkerMessage,
	OriginalSource,
	SerializedDeriveError
} from './derive-protocol.ts';

export interface DeriveHandlerDeps {
	post: (m: DeriveWorkerMessage) => void;
	storage: CacheStorage;
	fetch: typeof fetch;
	estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

/** Error → plain object that survives postMessage; rebuilt by name on the page. */
export function serializeDeriveError(e: unknown): SerializedDeriveError {
	if (e instanceof Error) {
		const reasons = (e as { reasons?: unknown }).reasons;
		return {
			name: e.name,
			message: e.message,
			stack: e.stack,
			...(Array.isArray(reasons) ? { reasons: reasons.map(String) } : {})
		};
	}
	return { name: 'Error', message: String(e) };
}

async function openOriginal(src: OriginalSource, f: typeof fetch, signal: AbortSignal): Promise<TensorLocator> {
	if (src.kind === 'hub') {
		const ref = parseHubRef(src.revision ? `https://huggingface.co/${src.repo}/tree/${src.revision}` : src.repo);
		return openHubOriginal(ref, { fetch: f, signal });
	}
	const files = new Map<string, ByteSource>();
	for (const file of src.files) {
		const base = file.name.split('/').pop()!;
		if (base.endsWith('.safetensors') || base.endsWith('.json')) files.set(base, blobSource(file.blob));
	}
	return openSafetensorsSet(files);
}

export class DeriveHandler {
	readonly #deps: DeriveHandlerDeps;
	readonly #running = new Map<DeriveRequestId, AbortController>();

	constructor(deps: DeriveHandlerDeps) {
		this.#deps = deps;
	}

	/** Handles one request; never throws (errors are posted). */
	handle(msg: DeriveRequest): Promise<void> {
		switch (msg.type) {
			case 'cancel':
				this.#running.get(msg.id)?.abort();
				return Promise.resolve();
			case 'run':
				return this.#reply(msg.id, 'run', (signal) => this.#run(msg.id, msg.job, signal));
			case 'delete':
				return this.#reply(msg.id, 'delete', async () => ({
					deletedUrls: await deleteFolderFromCaches(this.#deps.storage, modelFolderUrl(msg.folderUrl))
				}));
			case 'copy':
				return this.#reply(msg.id, 'copy', async () => {
					const t0 = performance.now();
					const bytes = await copyCachedFolder(this.#deps.storage, modelFolderUrl(msg.fromFolderUrl), modelFolderUrl(msg.toFolderUrl));
					return { bytes, elapsedMs: performance.now() - t0 };
				});
			default: {
				const bad = msg as { id?: unknown; type?: unknown };
				const id = typeof bad.id === 'number' ? bad.id : -1;
				this.#deps.post({ type: 'error', id, error: { name: 'Error', message: `Unknown derive request type ${String(bad.type)}` } });
				return Promise.resolve();
			}
		}
	}

	async #reply<K extends DeriveRequestType>(
		id: DeriveRequestId,
		kind: K,
		run: (signal: AbortSignal) => Promise<DeriveResultMap[K]>
	): Promise<void> {
		const abort = new AbortController();
		this.#running.set(id, abort);
		try {
			const value = await run(abort.signal);
			this.#deps.post({ type: 'result', id, kind, value } as DeriveWorkerMessage);
		} catch (e) {
			const err = abort.signal.aborted ? new DeriveAbortedError() : e;
			this.#deps.post({ type: 'error', id, error: serializeDeriveError(err) });
		} finally {
			this.#running.delete(id);
		}
	}

	async #run(id: DeriveRequestId, job: DeriveJob, signal: AbortSignal): Promise<DeriveOutcome> {
		const t0 = performance.now();
		const { storage } = this.#deps;
		const progress = (p: DeriveProgressEvent) => this.#deps.post({ type: 'progress', id, progress: p });
		const baseFolderUrl = modelFolderUrl(job.baseRecord.model);
		const scale = job.scale ?? 1;

		const configBytes = new Uint8Array(await job.adapter.config.arrayBuffer());
		const tensorBytes = new Uint8Array(await job.adapter.tensors.arrayBuffer());
		let configJson: unknown;
		try {
			configJson = JSON.parse(new TextDecoder().decode(configBytes));
		} catch {
			throw new PeftConfigError('adapter_config.json is not valid JSON; add the file PEFT saved next to adapter_model.safetensors.');
		}
		const sha256 = await adapterSha256(configBytes, tensorBytes);
		const modelId = derivedModelId(job.baseRecord.model_id, sha256, scale);
		const outFolderUrl = derivedFolderUrl(job.origin, modelId);

		if (!(await openCachedFile(storage, baseFolderUrl, 'tensor-cache.json'))) {
			if (job.fetchBaseIfMissing === false) {
				throw new BaseModelError(`The base model ${job.baseRecord.model_id} is not downloaded; load it once, then derive.`);
			}
		}
		await ensureBaseCached({
			storage,
			folderUrl: baseFolderUrl,
			fetch: this.#deps.fetch,
			signal,
			onProgress: (doneBytes, totalBytes, item, fetched) =>
				progress({ phase: fetched ? 'download-base' : 'check-base', doneBytes, totalBytes, item })
		});
		const baseCache = parseTensorCache(await readCachedJson(storage, baseFolderUrl, 'tensor-cache.json'));
		const expectedBytes = baseCache.records.reduce((a, s) => a + s.nbytes, 0);
		const original = job.original ? await openOriginal(job.original, this.#deps.fetch, signal) : undefined;

		// Leftovers of an earlier interrupted run (e.g. a closed tab) under the same URL go first.
		await deleteFolderFromCaches(storage, outFolderUrl);
		const io = cacheDeriveIo({ storage, baseFolderUrl, outFolderUrl, original, expectedBytes, estimate: this.#deps.estimate });
		try {
			const result = await deriveModel(io, {
				baseModelId: job.baseRecord.model_id,
				adapter: { configJson, tensors: bytesSource(tensorBytes), sha256 },
				scale,
				signal,
				createdBy: 'tune-or-prompt (browser)',
				// An overlay: only the changed tensors are read and stored; the rest stay the base's cached shards.
				overlayOf: baseFolderUrl,
				onProgress: (p) => progress({ phase: 'derive', doneBytes: p.doneBytes, totalBytes: p.totalBytes, item: p.tensor })
			});
			if (signal.aborted) throw new DeriveAbortedError();
			progress({ phase: 'commit', doneBytes: expectedBytes, totalBytes: expectedBytes, item: 'tensor-cache.json' });
			await io.commit();
			return {
				modelId,
				record: derivedRecord(job.baseRecord, modelId, outFolderUrl),
				adapterSha256: sha256,
				fidelity: result.fidelity,
				method: result.manifest.method,
				sizeBytes: io.writtenBytes,
				baseShardBytes: result.baseShardBytes,
				warnings: result.warnings,
				elapsedMs: performance.now() - t0
			};
		} catch (e) {
			await io.rollback();
			throw e;
		}
	}
}
