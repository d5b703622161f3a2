// Downloads from the Hugging Face Hub that the user asked for: a PEFT adapter's two files with
// progress, and original weights opened as Range-read ByteSources (single or sharded). The only
// network traffic of the LoRA feature. Browser/worker only (fetch); no svelte/dexie/web-llm imports.

import { hubFileUrl, type HubRef } from '../../domain/webllm-cache/index.ts';
import {
	SAFETENSORS_INDEX_FILE,
	bytesSource,
	openSafetensorsSet,
	type ByteSource,
	type TensorLocator
} from '../../domain/weights/index.ts';
import { httpRangeSource } from './http-range-source.ts';

/** A Hub download failed; the message names the file and what to check. */
export class HubFetchError extends Error {
	override name = 'HubFetchError';
}

export interface FetchOptions {
	fetch?: typeof fetch;
	signal?: AbortSignal;
	onProgress?: (doneBytes: number, totalBytes: number | null, file: string) => void;
}

/**
 * fetch() that turns a network failure ("Failed to fetch": offline, DNS, CORS, a blocked host) into a
 * HubFetchError naming the URL and what to do. A cancel stays the AbortError it is.
 * @throws HubFetchError, or the AbortError of `init.signal`
 */
export async function hubFetch(f: typeof fetch, url: string, init: RequestInit = {}): Promise<Response> {
	try {
		return await f(url, init);
	} catch (e) {
		if (init.signal?.aborted || (e instanceof DOMException && e.name === 'AbortError')) throw e;
		const why = e instanceof Error ? e.message : String(e);
		throw new HubFetchError(
			`Could not reach ${url} (${why}). Check your connection and that huggingface.co is not blocked on this network, then try again; ` +
				'or download the adapter folder yourself and add it with Folder.'
		);
	}
}

/** Fetches a URL into a Blob, reporting bytes as they arrive. @throws HubFetchError on HTTP and network errors */
export async function fetchWithProgress(url: string, file: string, o: FetchOptions = {}): Promise<Blob> {
	const res = await hubFetch(o.fetch ?? fetch, url, { signal: o.signal });
	if (!res.ok) {
		const hint = res.status === 401 || res.status === 403 ? ' (private or gated repos are not supported)' : '';
		throw new HubFetchError(
			`Could not download ${file} from ${url}: HTTP ${res.status}${hint}. Check the repo id and that the file exists.`
		);
	}
	if (res.headers.get('content-type')?.startsWith('text/html')) {
		// A page (a login wall, an SPA fallback) instead of the file: never adapter or weight bytes.
		await res.body?.cancel();
		throw new HubFetchError(
			`Could not download ${file}: the server answered with a web page instead of the file. Check the repo id and that the file exists.`
		);
	}
	const total = Number(res.headers.get('content-length')) || null;
	if (!res.body) return res.blob();
	const reader = res.body.getReader();
	const chunks: Uint8Array<ArrayBuffer>[] = [];
	let done = 0;
	for (;;) {
		let r: ReadableStreamReadResult<Uint8Array<ArrayBuffer>>;
		try {
			r = await reader.read();
		} catch (e) {
			if (o.signal?.aborted) throw e;
			const why = e instanceof Error ? e.message : String(e);
			throw new HubFetchError(`The download of ${url} broke off after ${done} bytes (${why}). Check your connection and try again.`);
		}
		if (r.done) break;
		chunks.push(r.value);
		done += r.value.byteLength;
		o.onProgress?.(done, total, file);
	}
	return new Blob(chunks);
}

/** adapter_config.json and adapter_model.safetensors of a Hub repo. @throws HubFetchError */
export async function fetchHubAdapter(ref: HubRef, o: FetchOptions = {}): Promise<File[]> {
	const out: File[] = [];
	for (const name of ['adapter_config.json', 'adapter_model.safetensors']) {
		const blob = await fetchWithProgress(hubFileUrl(ref, name), name, o);
		out.push(new File([blob], name));
	}
	return out;
}

/**
 * Opens a Hub repo's original safetensors weights with Range requests: model.safetensors.index.json
 * when there is one (sharded), else model.safetensors. Only tensor headers are read here; tensor
 * bytes are fetched later, each as its own Range request. A server that ignores Range is refused
 * (RangeRequestError), never downloaded whole.
 * @throws HubFetchError, RangeRequestError
 */
export async function openHubOriginal(ref: HubRef, o: FetchOptions = {}): Promise<TensorLocator> {
	const f = o.fetch ?? fetch;
	const files = new Map<string, ByteSource>();
	const indexRes = await hubFetch(f, hubFileUrl(ref, SAFETENSORS_INDEX_FILE), { signal: o.signal });
	if (indexRes.ok && !indexRes.headers.get('content-type')?.startsWith('text/html')) {
		const bytes = new Uint8Array(await indexRes.arrayBuffer());
		let index: { weight_map?: Record<string, string> };
		try {
			index = JSON.parse(new TextDecoder().decode(bytes)) as typeof index;
		} catch {
			throw new HubFetchError(`${SAFETENSORS_INDEX_FILE} of ${ref.repo} is not valid JSON; check the repo's files.`);
		}
		files.set(SAFETENSORS_INDEX_FILE, bytesSource(bytes));
		for (const shard of new Set(Object.values(index.weight_map ?? {}))) {
			files.set(shard, await httpRangeSource(hubFileUrl(ref, shard), { fetch: f, signal: o.signal }));
		}
	} else {
		await indexRes.body?.cancel();
		files.set('model.safetensors', await httpRangeSource(hubFileUrl(ref, 'model.safetensors'), { fetch: f, signal: o.signal }));
	}
	return openSafetensorsSet(files);
}
