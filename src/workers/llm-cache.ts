// Worker-side cache manager over web-llm's artifact caches (Cache API backend): which models are
// cached, how many bytes each holds, and deleting one model without deleting a wasm another cached
// model still uses. Runs inside the LLM worker only (imports web-llm); decisions live in
// src/domain/catalog/cache-plan.ts.

import { deleteChatConfigInCache, deleteModelInCache, deleteModelWasmInCache, hasModelInCache, type AppConfig } from '@mlc-ai/web-llm';
// Not the catalog barrel: it re-exports load-catalog.ts, whose virtual module exists only on the page.
import {
	bytesByModel,
	mayDeleteWasm,
	modelBaseUrl,
	modelsSharingWasm,
	modelsSharingWeights,
	type CacheEntrySize,
	type CachedModel
} from '../domain/catalog/cache-plan.ts';
import { isEmbeddingModel } from '../domain/catalog/parse-record.ts';
import type { ModelRecordLike } from '../domain/catalog/types.ts';

/** web-llm's Cache API scopes (cache_util.ts). */
const SCOPES = { model: 'webllm/model', config: 'webllm/config', wasm: 'webllm/wasm' } as const;

async function entrySize(cache: Cache, req: Request): Promise<number> {
	const res = await cache.match(req);
	if (!res) return 0;
	const header = Number(res.headers.get('content-length'));
	if (Number.isFinite(header) && header > 0) return header;
	return (await res.blob()).size;
}

async function sizesIn(storage: CacheStorage, scope: string, wanted: (url: string) => boolean): Promise<CacheEntrySize[]> {
	if (!(await storage.has(scope))) return [];
	const cache = await storage.open(scope);
	const out: CacheEntrySize[] = [];
	for (const req of await cache.keys()) {
		if (wanted(req.url)) out.push({ url: req.url, sizeBytes: await entrySize(cache, req) });
	}
	return out;
}

export class WebLlmCache {
	readonly #appConfig: () => AppConfig;
	readonly #storage: CacheStorage | undefined;

	/**
	 * @param appConfig returns the engine's current appConfig (records registered at run time included)
	 * @param storage Cache Storage; undefined where there is none (sizes then read as 0)
	 */
	constructor(appConfig: () => AppConfig, storage: CacheStorage | undefined) {
		this.#appConfig = appConfig;
		this.#storage = storage;
	}

	get #records(): ModelRecordLike[] {
		return this.#appConfig().model_list as ModelRecordLike[];
	}

	/** True when the model's tensor-cache.json and every shard it names are cached. */
	has(modelId: string): Promise<boolean> {
		return hasModelInCache(modelId, this.#appConfig());
	}

	async #cachedIds(records: readonly ModelRecordLike[]): Promise<string[]> {
		const flags = await Promise.all(records.map((r) => this.has(r.model_id).catch(() => false)));
		return records.filter((_, i) => flags[i]).map((r) => r.model_id);
	}

	/** Every cached chat model with its size in bytes. */
	async list(): Promise<CachedModel[]> {
		const records = this.#records.filter((r) => !isEmbeddingModel(r));
		const cachedIds = await this.#cachedIds(records);
		const cached = records.filter((r) => cachedIds.includes(r.model_id));
		if (cached.length === 0) return [];
		let sizes = new Map<string, number>();
		const wasmSizes = new Map<string, number>();
		if (this.#storage) {
			const prefixes = cached.map((r) => modelBaseUrl(r.model));
			const wanted = (url: string) => prefixes.some((p) => url.startsWith(p));
			const entries = [...(await sizesIn(this.#storage, SCOPES.model, wanted)), ...(await sizesIn(this.#storage, SCOPES.config, wanted))];
			sizes = bytesByModel(entries, cached);
			const libs = new Set(cached.map((r) => r.model_lib));
			for (const e of await sizesIn(this.#storage, SCOPES.wasm, (u) => libs.has(u))) wasmSizes.set(e.url, e.sizeBytes);
		}
		return cached.map((r) => ({
			modelId: r.model_id,
			sizeBytes: sizes.get(r.model_id) ?? 0,
			wasmBytes: wasmSizes.get(r.model_lib) ?? 0,
			wasmSharedWith: modelsSharingWasm(r.model_id, cachedIds, records)
		}));
	}

	/**
	 * Deletes a model's weights, tokenizer and config; its wasm only when no other cached model uses it.
	 * Models whose weights share the folder (e.g. "-1k" variants) lose them too: they are reported.
	 * @returns whether the wasm was deleted, and which other models' files went with it
	 */
	async delete(modelId: string): Promise<{ deletedWasm: boolean; alsoRemoved: string[] }> {
		const records = this.#records;
		const record = records.find((r) => r.model_id === modelId);
		if (!record) throw new Error(`Cannot delete ${modelId}: no such model record. Register it or pick one from the catalog.`);
		const folder = modelBaseUrl(record.model);
		const related = records.filter((r) => r.model_id !== modelId && (r.model_lib === record.model_lib || modelBaseUrl(r.model) === folder));
		const cachedRelated = await this.#cachedIds(related);
		const alsoRemoved = modelsSharingWeights(modelId, cachedRelated, records);
		const stillCached = cachedRelated.filter((id) => !alsoRemoved.includes(id));
		const deleteWasm = mayDeleteWasm(modelId, stillCached, records);
		const appConfig = this.#appConfig();
		await deleteModelInCache(modelId, appConfig);
		await deleteChatConfigInCache(modelId, appConfig);
		if (deleteWasm) await deleteModelWasmInCache(modelId, appConfig);
		return { deletedWasm: deleteWasm, alsoRemoved };
	}
}
