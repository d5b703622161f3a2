// Reading and writing model folders in web-llm's Cache API scopes ('webllm/model', 'webllm/config'):
// base files as Blob-backed ByteSources, a DeriveIo that writes a derived model and commits
// tensor-cache.json last (rollback deletes what it wrote), downloading a missing base as web-llm
// would, and deleting one folder's URLs. Browser/worker only; no svelte/dexie/web-llm imports.
// The app uses web-llm's Cache API backend only (the IndexedDB backend is not offered).

import type { DeriveIo } from '../../domain/merge/index.ts';
import { blobSource, parseTensorCache, type ByteSource, type TensorLocator } from '../../domain/weights/index.ts';
import {
	CONFIG_SCOPE,
	DerivedStorageFullError,
	MODEL_SCOPE,
	availableBytes,
	isUnderFolder,
	isWebLlmFile,
	modelFileUrl,
	scopeOfFile
} from '../../domain/webllm-cache/index.ts';

/** A base model file is missing from the cache and could not be downloaded. */
export class BaseDownloadError extends Error {
	override name = 'BaseDownloadError';
}

/** Opens one file of a cached model folder as a ByteSource (reads slice the cached Blob). */
export async function openCachedFile(storage: CacheStorage, folderUrl: string, fileName: string): Promise<ByteSource | undefined> {
	const cache = await storage.open(scopeOfFile(fileName));
	const res = await cache.match(modelFileUrl(folderUrl, fileName));
	return res ? blobSource(await res.blob()) : undefined;
}

function isQuotaError(e: unknown): boolean {
	return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);
}

async function putFile(storage: CacheStorage, url: string, scope: string, body: Blob): Promise<void> {
	const cache = await storage.open(scope);
	const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
	await cache.put(url, new Response(body, { status: 200, headers: { 'Content-Type': type, 'Content-Length': String(body.size) } }));
}

export interface CacheDeriveIoOptions {
	storage: CacheStorage;
	baseFolderUrl: string;
	outFolderUrl: string;
	original?: TensorLocator;
	/** Bytes the whole output will take, for the storage-full message. */
	expectedBytes: number;
	/** navigator.storage.estimate, when available. */
	estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

/** A DeriveIo over Cache Storage that only becomes visible to web-llm on commit(). */
export interface CacheDeriveIo extends DeriveIo {
	/** Writes the held tensor-cache.json: from here on hasModelInCache is true. */
	commit(): Promise<void>;
	/** Deletes every URL this io wrote (and a held tensor-cache.json is dropped). */
	rollback(): Promise<void>;
	readonly writtenBytes: number;
}

/**
 * A DeriveIo reading the base from web-llm's cache and writing the derived model under outFolderUrl.
 * tensor-cache.json is held back until commit(), so an interrupted derivation is never "cached".
 * @throws DerivedStorageFullError from write() when the browser's quota is exceeded
 */
export function cacheDeriveIo(opts: CacheDeriveIoOptions): CacheDeriveIo {
	const written: { url: string; scope: string }[] = [];
	let held: Uint8Array | null = null;
	let writtenBytes = 0;
	const write = async (name: string, bytes: Uint8Array) => {
		const url = modelFileUrl(opts.outFolderUrl, name);
		const scope = scopeOfFile(name);
		written.push({ url, scope });
		try {
			await putFile(opts.storage, url, scope, new Blob([bytes as Uint8Array<ArrayBuffer>]));
		} catch (e) {
			if (!isQuotaError(e)) throw e;
			const est = opts.estimate ? availableBytes(await opts.estimate().catch(() => ({}))) : null;
			throw new DerivedStorageFullError(opts.expectedBytes, est);
		}
		writtenBytes += bytes.byteLength;
	};
	return {
		original: opts.original,
		get writtenBytes() {
			return writtenBytes;
		},
		openBase: (name) => openCachedFile(opts.storage, opts.baseFolderUrl, name),
		async write(name, bytes) {
			if (!isWebLlmFile(name)) return;
			if (name === 'tensor-cache.json') held = bytes.slice();
			else await write(name, bytes);
		},
		async commit() {
			if (!held) throw new Error('commit() before tensor-cache.json was written; the derivation did not finish.');
			await write('tensor-cache.json', held);
			held = null;
		},
		async rollback() {
			held = null;
			for (const w of written) await (await opts.storage.open(w.scope)).delete(w.url);
			await deleteFolderFromCaches(opts.storage, opts.outFolderUrl);
		}
	};
}

/** Deletes every cached URL under folderUrl in the model and config scopes (never the wasm scope). */
export async function deleteFolderFromCaches(storage: CacheStorage, folderUrl: string): Promise<number> {
	let n = 0;
	for (const scope of [MODEL_SCOPE, CONFIG_SCOPE]) {
		if (!(await storage.has(scope))) continue;
		const cache = await storage.open(scope);
		for (const req of await cache.keys()) {
			if (isUnderFolder(req.url, folderUrl) && (await cache.delete(req))) n++;
		}
	}
	return n;
}

/** Every file name of a cached model folder: config, tokenizer files, tensor-cache.json, shards. */
export async function folderFileNames(storage: CacheStorage, folderUrl: string): Promise<string[] | undefined> {
	const cfg = await readCachedJson(storage, folderUrl, 'mlc-chat-config.json');
	const tc = await readCachedJson(storage, folderUrl, 'tensor-cache.json');
	if (cfg === undefined || tc === undefined) return undefined;
	return ['mlc-chat-config.json', ...tokenizerFiles(cfg), 'tensor-cache.json', ...parseTensorCache(tc).records.map((s) => s.dataPath)];
}

/** A cached JSON file of a model folder, parsed; undefined when absent. */
export async function readCachedJson(storage: CacheStorage, folderUrl: string, name: string): Promise<unknown> {
	const res = await (await storage.open(scopeOfFile(name))).match(modelFileUrl(folderUrl, name));
	return res ? res.json() : undefined;
}

function tokenizerFiles(mlcConfig: unknown): string[] {
	const tok = (mlcConfig as { tokenizer_files?: unknown } | null)?.tokenizer_files;
	return Array.isArray(tok) ? tok.filter((t): t is string => typeof t === 'string') : ['tokenizer.json'];
}

export interface EnsureBaseOptions {
	storage: CacheStorage;
	folderUrl: string;
	fetch: typeof fetch;
	signal?: AbortSignal;
	/** `fetched` is true once any file had to be downloaded (false while everything comes from the cache). */
	onProgress?: (doneBytes: number, totalBytes: number, file: string, fetched: boolean) => void;
}

/**
 * Makes sure a base model's files are in web-llm's cache, downloading the missing ones into the same
 * scopes and URLs web-llm uses (config, tokenizer, shards, tensor-cache.json).
 * @returns bytes downloaded (0 when everything was cached)
 * @throws BaseDownloadError when a file cannot be fetched
 */
export async function ensureBaseCached(o: EnsureBaseOptions): Promise<number> {
	const get = async (name: string): Promise<Blob> => {
		const url = modelFileUrl(o.folderUrl, name);
		let res: Response;
		try {
			res = await o.fetch(url, { signal: o.signal });
		} catch (e) {
			if (o.signal?.aborted) throw e;
			throw new BaseDownloadError(
				`Could not download ${url} (${e instanceof Error ? e.message : String(e)}); check the connection and try again.`
			);
		}
		if (!res.ok) throw new BaseDownloadError(`Downloading ${url} failed with HTTP ${res.status}; the base model is not available there.`);
		return res.blob();
	};
	const cachedOrFetch = async (name: string): Promise<{ blob: Blob | null; json?: unknown }> => {
		const cache = await o.storage.open(scopeOfFile(name));
		const hit = await cache.match(modelFileUrl(o.folderUrl, name));
		if (hit) return { blob: null, json: name.endsWith('.json') ? await hit.json() : undefined };
		const blob = await get(name);
		return { blob, json: name.endsWith('.json') ? JSON.parse(await blob.text()) : undefined };
	};
	let downloaded = 0;
	const cfg = await cachedOrFetch('mlc-chat-config.json');
	const tc = await cachedOrFetch('tensor-cache.json');
	const cache = parseTensorCache(tc.json);
	const names = [...tokenizerFiles(cfg.json), ...cache.records.map((s) => s.dataPath)];
	const sizes = new Map(cache.records.map((s) => [s.dataPath, s.nbytes]));
	const totalBytes = cache.records.reduce((a, s) => a + s.nbytes, 0);
	let doneBytes = 0;
	for (const name of names) {
		const scope = await o.storage.open(scopeOfFile(name));
		const url = modelFileUrl(o.folderUrl, name);
		if (!(await scope.match(url))) {
			const blob = await get(name);
			await putFile(o.storage, url, scopeOfFile(name), blob);
			downloaded += blob.size;
		}
		doneBytes += sizes.get(name) ?? 0;
		o.onProgress?.(doneBytes, totalBytes, name, downloaded > 0);
	}
	// The config and tensor-cache.json go in last, like a finished web-llm download.
	if (cfg.blob) await putFile(o.storage, modelFileUrl(o.folderUrl, 'mlc-chat-config.json'), CONFIG_SCOPE, cfg.blob);
	if (tc.blob) await putFile(o.storage, modelFileUrl(o.folderUrl, 'tensor-cache.json'), MODEL_SCOPE, tc.blob);
	downloaded += (cfg.blob?.size ?? 0) + (tc.blob?.size ?? 0);
	return downloaded;
}

/**
 * Copies a cached folder's files to another folder (used by the benchmark as the "plain copy" baseline).
 * @returns bytes copied
 */
export async function copyCachedFolder(storage: CacheStorage, fromFolderUrl: string, toFolderUrl: string): Promise<number> {
	const names = await folderFileNames(storage, fromFolderUrl);
	if (!names) throw new BaseDownloadError(`${fromFolderUrl} is not a cached model folder.`);
	let bytes = 0;
	for (const name of names) {
		const cache = await storage.open(scopeOfFile(name));
		const res = await cache.match(modelFileUrl(fromFolderUrl, name));
		if (!res) throw new BaseDownloadError(`${name} is missing from the cached folder ${fromFolderUrl}.`);
		const buf = await res.arrayBuffer();
		await putFile(storage, modelFileUrl(toFolderUrl, name), scopeOfFile(name), new Blob([buf]));
		bytes += buf.byteLength;
	}
	return bytes;
}
