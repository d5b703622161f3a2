// Test helpers for the browser LoRA tests: puts a tiny MLC folder into web-llm's Cache API scopes
// under a unique localhost URL (the way a finished web-llm download leaves it), lists what lies under
// a folder, reads cached tensors back and drops folders.

import type { ModelRecordLike } from '../../../src/domain/catalog/types.ts';
import type { FileMap } from '../../factories/tiny-models.ts';

export const SCOPES = ['webllm/model', 'webllm/config', 'webllm/wasm'] as const;

const scopeOf = (name: string) => (name === 'mlc-chat-config.json' ? 'webllm/config' : 'webllm/model');

/** Writes every file of `files` under `${origin}/test-base/<tag>/resolve/main/`; returns the base record. */
export async function cacheBase(files: FileMap, tag: string, withWasm = true): Promise<ModelRecordLike> {
	const folder = `${location.origin}/test-base/${tag}/resolve/main/`;
	for (const [name, bytes] of files) {
		const cache = await caches.open(scopeOf(name));
		await cache.put(new URL(name, folder).href, new Response(bytes as Uint8Array<ArrayBuffer>, { status: 200 }));
	}
	const record: ModelRecordLike = {
		model: folder,
		model_id: `tiny-${tag}`,
		// An absolute non-localhost lib URL is what web-llm caches in webllm/wasm (facts §1); nothing serves it.
		model_lib: `https://unreachable.invalid/libs/${tag}.wasm`,
		vram_required_MB: 12,
		low_resource_required: true,
		overrides: { context_window_size: 512 }
	};
	if (withWasm) {
		await (await caches.open('webllm/wasm')).put(record.model_lib, new Response(new Uint8Array([0, 97, 115, 109]), { status: 200 }));
	}
	return record;
}

/** Every cached URL (all three scopes) starting with `prefix`. */
export async function urlsUnder(prefix: string): Promise<string[]> {
	const out: string[] = [];
	for (const s of SCOPES) {
		if (!(await caches.has(s))) continue;
		for (const r of await (await caches.open(s)).keys()) if (r.url.startsWith(prefix)) out.push(r.url);
	}
	return out.sort();
}

/** A fresh tag per test so parallel files never share URLs. */
export function uniqueTag(label: string): string {
	return `${label}-${crypto.randomUUID().slice(0, 8)}`;
}

export interface CachedTensorRecord {
	name: string;
	shape: number[];
	dtype: string;
	nbytes: number;
	byteOffset: number;
}

/** Reads every tensor of a cached model folder back from Cache Storage: name → {rec, bytes}. */
export async function readCachedTensors(folder: string): Promise<Map<string, { rec: CachedTensorRecord; bytes: Uint8Array }>> {
	const model = await caches.open('webllm/model');
	const tc = (await (await model.match(new URL('tensor-cache.json', folder).href))!.json()) as {
		records: { dataPath: string; records: CachedTensorRecord[] }[];
	};
	const out = new Map<string, { rec: CachedTensorRecord; bytes: Uint8Array }>();
	for (const shard of tc.records) {
		const buf = new Uint8Array(await (await model.match(new URL(shard.dataPath, folder).href))!.arrayBuffer());
		for (const rec of shard.records) out.set(rec.name, { rec, bytes: buf.slice(rec.byteOffset, rec.byteOffset + rec.nbytes) });
	}
	return out;
}

/** Deletes every cached URL under `prefix` in the model and config scopes (the wasm scope is left alone). */
export async function dropFolder(prefix: string): Promise<void> {
	for (const s of ['webllm/model', 'webllm/config']) {
		const cache = await caches.open(s);
		for (const r of await cache.keys()) if (r.url.startsWith(prefix)) await cache.delete(r);
	}
}

/** Total bytes cached under `prefix` (all three scopes). */
export async function bytesUnder(prefix: string): Promise<number> {
	let n = 0;
	for (const s of SCOPES) {
		const cache = await caches.open(s);
		for (const r of await cache.keys()) if (r.url.startsWith(prefix)) n += (await (await cache.match(r))!.blob()).size;
	}
	return n;
}
