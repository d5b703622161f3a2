// Decisions about web-llm's artifact cache, kept pure so they can be tested: which URL prefix a
// model's files live under, how many cached bytes belong to each model, and whether deleting a
// model may also delete its wasm (model_lib), which other cached models can share.
// Pure: no web-llm, Cache Storage or DOM imports.

import type { ModelRecordLike } from './types.ts';

export interface CachedModel {
	modelId: string;
	/** Bytes of weights, tokenizer and config stored under the model's URL. */
	sizeBytes: number;
	/** Bytes of the model's wasm in the cache (0 when not cached, e.g. localhost libs). */
	wasmBytes: number;
	/** Other cached models using the same wasm. */
	wasmSharedWith: string[];
}

/** One cached URL and its size. */
export interface CacheEntrySize {
	url: string;
	sizeBytes: number;
}

/**
 * The folder URL web-llm fetches a model's files from (same rule as web-llm's cleanModelUrl:
 * add a trailing slash, then "resolve/main/" unless the URL already has /resolve/<x>/).
 * @throws TypeError when the URL is not absolute
 */
export function modelBaseUrl(model: string): string {
	let url = model.endsWith('/') ? model : `${model}/`;
	if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
	return new URL(url).href;
}

/**
 * Sums cached bytes per model: every entry whose URL starts with the model's base URL.
 * @param entries sizes of entries from the model and config caches
 * @param records the models to report on
 */
export function bytesByModel(entries: readonly CacheEntrySize[], records: readonly ModelRecordLike[]): Map<string, number> {
	const out = new Map<string, number>();
	for (const r of records) {
		const base = modelBaseUrl(r.model);
		let sum = 0;
		for (const e of entries) if (e.url.startsWith(base)) sum += e.sizeBytes;
		out.set(r.model_id, sum);
	}
	return out;
}

/**
 * Other cached models that use the same model_lib as `modelId`.
 * @param cachedIds ids currently in the cache (may include modelId itself)
 */
export function modelsSharingWasm(modelId: string, cachedIds: readonly string[], records: readonly ModelRecordLike[]): string[] {
	const lib = records.find((r) => r.model_id === modelId)?.model_lib;
	if (lib === undefined) return [];
	const libOf = new Map(records.map((r) => [r.model_id, r.model_lib]));
	return cachedIds.filter((id) => id !== modelId && libOf.get(id) === lib);
}

/**
 * Other cached models whose weights live in the same folder as `modelId`'s (e.g. a "-1k" context
 * variant and its full-context sibling): deleting one model's files deletes theirs too.
 * @param cachedIds ids currently in the cache (may include modelId itself)
 */
export function modelsSharingWeights(modelId: string, cachedIds: readonly string[], records: readonly ModelRecordLike[]): string[] {
	const model = records.find((r) => r.model_id === modelId)?.model;
	if (model === undefined) return [];
	const folder = modelBaseUrl(model);
	const folderOf = new Map(records.map((r) => [r.model_id, modelBaseUrl(r.model)]));
	return cachedIds.filter((id) => id !== modelId && folderOf.get(id) === folder);
}

/**
 * May deleting `modelId` also delete its wasm? Only when no other cached model shares it.
 * Unknown ids return false: never delete what we cannot attribute.
 */
export function mayDeleteWasm(modelId: string, cachedIds: readonly string[], records: readonly ModelRecordLike[]): boolean {
	if (!records.some((r) => r.model_id === modelId)) return false;
	return modelsSharingWasm(modelId, cachedIds, records).length === 0;
}
