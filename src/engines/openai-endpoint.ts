// Engine implementation for any OpenAI-compatible endpoint (llama.cpp server, vLLM, Ollama, OpenAI):
// POST /v1/chat/completions with stream:true over server-sent events, GET /v1/models.
// Stats are timed by us; token counts come from the final usage chunk when the server sends one.
// LoRA adapters, two conventions: vLLM serves an adapter under its own model name (the request's
// `model`); llama.cpp's server takes a per-request `lora: [{id, scale}]` that replaces its global
// scales, so every llama.cpp request lists every adapter of GET <server root>/lora-adapters, the
// chosen one with its scale and all others with 0 (a base request: all 0). checkProvenance verifies
// before a batch that the server serves the model and the adapter asked for.
// Must not import web-llm, Svelte or workers.

import { createParser } from 'eventsource-parser';
import {
	EngineError,
	adviceFor,
	answerStatsFrom,
	openAiSamplingFields,
	type Engine,
	type EndpointAdapter,
	type FinishReason,
	type GenerateRequest,
	type GenerateResult,
	type UsageLike
} from '../domain/engine/index.ts';

export interface EndpointOptions {
	/** e.g. "http://localhost:8080" or "https://api.example.com/v1". */
	baseUrl: string;
	apiKey?: string;
	/** Injected for tests of odd transports; defaults to the global fetch. */
	fetch?: typeof fetch;
	/**
	 * 'llamacpp': a request without an adapter is a deliberate base request and sends every adapter
	 * the server has with scale 0 (llama.cpp would otherwise apply its global scales). Requests that
	 * carry an adapter follow the adapter's own convention whatever this says.
	 */
	loraConvention?: 'llamacpp' | 'vllm';
}

/** One entry of GET /v1/models; vLLM gives adapters a `parent` (the base model) and a `root` (path). */
export interface ModelInfo {
	id: string;
	parent?: string;
	root?: string;
}

/** One entry of llama.cpp's GET /lora-adapters (newer builds add fields, which are ignored). */
export interface LoraAdapterInfo {
	id: number;
	path?: string;
	/** The global scale, applied to requests that send no `lora` field. */
	scale?: number;
}

/** What checkProvenance could not check (e.g. a server without /v1/models); empty when all was checked. */
export interface ProvenanceReport {
	warnings: string[];
}

export interface EndpointEngine extends Engine {
	/** Model ids from GET /v1/models. */
	listModels(opts?: { signal?: AbortSignal }): Promise<string[]>;
	/** Models from GET /v1/models with their parent and root when the server gives them. */
	listModelInfo(opts?: { signal?: AbortSignal }): Promise<ModelInfo[]>;
	/** llama.cpp: the adapters from GET <server root>/lora-adapters (fetched anew; refreshes the cache). */
	listLoraAdapters(opts?: { signal?: AbortSignal }): Promise<LoraAdapterInfo[]>;
	/**
	 * Verifies against the server, before a batch, that it serves `modelId` and the adapter.
	 * @returns warnings for checks the server gave no means to do
	 * @throws EngineError 'endpoint-refused' naming what is missing and what the server has
	 */
	checkProvenance(target: { modelId: string; adapter?: EndpointAdapter }, opts?: { signal?: AbortSignal }): Promise<ProvenanceReport>;
}

interface ChunkJson {
	choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
	usage?: UsageLike | null;
	error?: { message?: string };
}

const EXCERPT_CHARS = 300;

/** Normalises a base URL so that it ends in "/v1" (no trailing slash). */
export function apiRoot(baseUrl: string): string {
	let url: URL;
	try {
		url = new URL(baseUrl.trim());
	} catch {
		throw new EngineError('endpoint-refused', `"${baseUrl}" is not a valid URL`, 'Enter a full URL such as http://localhost:8080.');
	}
	const path = url.pathname.replace(/\/+$/, '');
	url.pathname = path.endsWith('/v1') ? path : `${path}/v1`;
	return url.href.replace(/\/+$/, '');
}

/** The server root (the API root without its "/v1"), where llama.cpp serves /lora-adapters. */
export function serverRoot(baseUrl: string): string {
	return apiRoot(baseUrl).replace(/\/v1$/, '');
}

/**
 * The llama.cpp `lora` field for a request: every adapter id the server has, with scale 0 except
 * the chosen one (none chosen = the base: all 0).
 * @throws EngineError 'endpoint-refused' when the chosen id is not among the server's adapters
 */
export function llamaCppLoraField(
	adapters: readonly LoraAdapterInfo[],
	chosen?: { id: number; scale: number },
	where = 'the server'
): { id: number; scale: number }[] {
	if (chosen && !adapters.some((a) => a.id === chosen.id)) throw missingLlamaCppAdapter(where, chosen.id, adapters);
	return adapters.map((a) => ({ id: a.id, scale: chosen && a.id === chosen.id ? chosen.scale : 0 }));
}

function describeAdapters(adapters: readonly LoraAdapterInfo[]): string {
	return adapters.length ? adapters.map((a) => (a.path ? `${a.id} = ${a.path}` : String(a.id))).join(', ') : 'none';
}

function missingLlamaCppAdapter(where: string, id: number, adapters: readonly LoraAdapterInfo[]): EngineError {
	return new EngineError(
		'endpoint-refused',
		`The server at ${where} has no LoRA adapter with id ${id} (it has: ${describeAdapters(adapters)}).`,
		adapters.length
			? 'Pick one of those ids, or restart llama-server with one --lora <adapter.gguf> per adapter (ids count from 0 in that order).'
			: 'Restart llama-server with --lora <adapter.gguf> (ids count from 0 in the order given).'
	);
}

/** An 'endpoint-refused' error for an HTTP 404 (the route does not exist on this server). */
function isNotFound(e: unknown): boolean {
	return e instanceof EngineError && e.code === 'endpoint-refused' && /^HTTP 404 /.test(e.message);
}

function isAbort(e: unknown): boolean {
	return e instanceof DOMException ? e.name === 'AbortError' : (e as { name?: string })?.name === 'AbortError';
}

function networkError(url: string, e: unknown): EngineError {
	if (isAbort(e)) return new EngineError('aborted', 'Request cancelled', adviceFor('aborted'));
	const msg = e instanceof Error ? e.message : String(e);
	return new EngineError(
		'network',
		`Could not reach ${url}: ${msg}`,
		'Check that the server is running, the URL is right, and that it allows CORS from this page.'
	);
}

/** The server answered, then the stream stopped: not a "could not reach". */
function streamBroke(url: string, chars: number, e: unknown): EngineError {
	const msg = e instanceof Error ? e.message : String(e);
	return new EngineError(
		'network',
		`The connection to ${url} broke after ${chars} characters of the answer${msg ? ` (${msg})` : ''}`,
		'The server answered, then the stream stopped: it may have crashed or restarted, or a proxy or the network cut the connection. Check the server log and run the request again.'
	);
}

async function refused(url: string, res: Response): Promise<EngineError> {
	const body = (await res.text().catch(() => '')).slice(0, EXCERPT_CHARS);
	const auth = res.status === 401 || res.status === 403;
	return new EngineError(
		'endpoint-refused',
		`HTTP ${res.status} from ${url}${body ? `: ${body}` : ''}`,
		auth ? 'The endpoint rejected the API key. Check the key and its permissions.' : adviceFor('endpoint-refused')
	);
}

function finishReasonOf(raw: string | null | undefined): FinishReason {
	return raw === 'length' ? 'length' : 'stop';
}

/**
 * Creates an engine that talks to an OpenAI-compatible server.
 * @param opts base URL and optional API key
 * @throws EngineError 'endpoint-refused' when the base URL is not a URL
 */
export function createEndpointEngine(opts: EndpointOptions): EndpointEngine {
	const root = apiRoot(opts.baseUrl);
	if (/^[a-z]+:\/\/[^/]*@/i.test(root))
		throw new EngineError(
			'endpoint-refused',
			'The base URL contains a user name or password, which fetch refuses to send',
			'Remove the "user:password@" part from the URL; put an API key in the API key field instead.'
		);
	const server = serverRoot(opts.baseUrl);
	/** llama.cpp adapters, fetched once and kept (a failed fetch is not kept). */
	let adaptersCache: Promise<LoraAdapterInfo[]> | undefined;
	const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
	const headers = (json: boolean): Record<string, string> => ({
		...(json ? { 'Content-Type': 'application/json' } : {}),
		...(opts.apiKey ? { Authorization: `Bearer ${opts.apiKey}` } : {})
	});

	async function call(path: string, init: RequestInit, base = root): Promise<Response> {
		const url = `${base}${path}`;
		let res: Response;
		try {
			res = await doFetch(url, init);
		} catch (e) {
			throw networkError(url, e);
		}
		if (!res.ok) throw await refused(url, res);
		return res;
	}

	async function listModelInfo(o: { signal?: AbortSignal } = {}): Promise<ModelInfo[]> {
		const res = await call('/models', { headers: headers(false), signal: o.signal });
		const body = (await res.json().catch(() => null)) as {
			data?: { id?: unknown; parent?: unknown; root?: unknown }[];
		} | null;
		if (!body || !Array.isArray(body.data))
			throw new EngineError('endpoint-refused', `${root}/models did not return a model list`, adviceFor('endpoint-refused'));
		const out: ModelInfo[] = [];
		for (const m of body.data) {
			if (!m || typeof m.id !== 'string') continue;
			const info: ModelInfo = { id: m.id };
			if (typeof m.parent === 'string' && m.parent) info.parent = m.parent;
			if (typeof m.root === 'string' && m.root) info.root = m.root;
			out.push(info);
		}
		return out;
	}

	async function listModels(o: { signal?: AbortSignal } = {}): Promise<string[]> {
		return (await listModelInfo(o)).map((m) => m.id);
	}

	async function fetchLoraAdapters(o: { signal?: AbortSignal }): Promise<LoraAdapterInfo[]> {
		const res = await call('/lora-adapters', { headers: headers(false), signal: o.signal }, server);
		const body = (await res.json().catch(() => null)) as unknown;
		if (!Array.isArray(body))
			throw new EngineError(
				'endpoint-refused',
				`${server}/lora-adapters did not return a list of LoRA adapters`,
				'Point the endpoint at a llama.cpp server (llama-server) started with --lora <adapter.gguf>.'
			);
		const out: LoraAdapterInfo[] = [];
		for (const a of body as { id?: unknown; path?: unknown; scale?: unknown }[]) {
			if (!a || typeof a.id !== 'number' || !Number.isInteger(a.id)) continue;
			const info: LoraAdapterInfo = { id: a.id };
			if (typeof a.path === 'string') info.path = a.path;
			if (typeof a.scale === 'number') info.scale = a.scale;
			out.push(info);
		}
		return out;
	}

	async function listLoraAdapters(o: { signal?: AbortSignal } = {}): Promise<LoraAdapterInfo[]> {
		const p = fetchLoraAdapters(o);
		adaptersCache = p;
		p.catch(() => {
			if (adaptersCache === p) adaptersCache = undefined;
		});
		return p;
	}

	function cachedLoraAdapters(o: { signal?: AbortSignal }): Promise<LoraAdapterInfo[]> {
		return adaptersCache ?? listLoraAdapters(o);
	}

	/** Turns a 404 from /lora-adapters into advice: this is not a llama.cpp server with adapters. */
	async function withLoraEndpoint<T>(p: Promise<T>, what: string): Promise<T> {
		try {
			return await p;
		} catch (e) {
			if (!isNotFound(e)) throw e;
			throw new EngineError(
				'endpoint-refused',
				`The server at ${server} has no /lora-adapters endpoint, so it cannot apply the llama.cpp LoRA ${what}.`,
				"Use llama.cpp's llama-server started with --lora <adapter.gguf>; for vLLM choose the vLLM adapter convention (the adapter's model name) instead."
			);
		}
	}

	/** The request's `model` and, for llama.cpp, its `lora` field. */
	async function routing(
		request: GenerateRequest,
		o: { signal?: AbortSignal }
	): Promise<{ model: string; lora?: { id: number; scale: number }[] }> {
		const a = request.adapter;
		if (a?.convention === 'vllm') return { model: a.name };
		if (a?.convention === 'llamacpp' || opts.loraConvention === 'llamacpp') {
			const adapters = await withLoraEndpoint(
				cachedLoraAdapters(o),
				a?.convention === 'llamacpp' ? `adapter ${a.id}` : 'base (all adapters at scale 0)'
			);
			const chosen = a?.convention === 'llamacpp' ? { id: a.id, scale: a.scale } : undefined;
			const lora = llamaCppLoraField(adapters, chosen, server);
			return { model: request.modelId, ...(lora.length ? { lora } : {}) };
		}
		return { model: request.modelId };
	}

	async function checkProvenance(
		target: { modelId: string; adapter?: EndpointAdapter },
		o: { signal?: AbortSignal } = {}
	): Promise<ProvenanceReport> {
		const warnings: string[] = [];
		let models: ModelInfo[] | undefined;
		try {
			models = await listModelInfo(o);
		} catch (e) {
			if (!isNotFound(e)) throw e;
			const what =
				target.adapter?.convention === 'vllm' ? `"${target.modelId}" and the LoRA adapter "${target.adapter.name}"` : `"${target.modelId}"`;
			warnings.push(
				`The server at ${root} does not list its models (GET /v1/models answered 404), so it was not checked that it serves ${what}.`
			);
		}
		if (models) {
			const names = models.map((m) => m.id).join(', ') || 'nothing';
			if (!models.some((m) => m.id === target.modelId))
				throw new EngineError(
					'endpoint-refused',
					`The server at ${root} does not serve the model "${target.modelId}" (it serves: ${names}).`,
					'Check the model name, or pick one of those.'
				);
			const a = target.adapter;
			if (a?.convention === 'vllm') {
				const card = models.find((m) => m.id === a.name);
				if (!card)
					throw new EngineError(
						'endpoint-refused',
						`The server at ${root} does not serve the LoRA adapter "${a.name}" (it serves: ${names}).`,
						`Start vLLM with --enable-lora --lora-modules ${a.name}=<path>, or pick one of those.`
					);
				if (card.parent !== undefined && card.parent !== target.modelId)
					throw new EngineError(
						'endpoint-refused',
						`The LoRA adapter "${a.name}" at ${root} is applied to "${card.parent}", not to "${target.modelId}".`,
						`Compare it against its own base "${card.parent}", or start vLLM with --model ${target.modelId} --lora-modules ${a.name}=<path>.`
					);
			}
		}
		const a = target.adapter;
		if (a?.convention === 'llamacpp') {
			const adapters = await withLoraEndpoint(listLoraAdapters(o), `adapter ${a.id}`);
			if (!adapters.some((x) => x.id === a.id)) throw missingLlamaCppAdapter(server, a.id, adapters);
		}
		return { warnings };
	}

	async function generate(
		request: GenerateRequest,
		o: { signal?: AbortSignal; onDelta: (delta: string) => void }
	): Promise<GenerateResult> {
		const startedAtMs = performance.now();
		let firstTokenAtMs: number | undefined;
		let text = '';
		let chunks = 0;
		let usage: UsageLike | undefined;
		let finish: FinishReason = 'stop';
		let streamError: string | undefined;
		const done = (reason: FinishReason): GenerateResult => ({
			text,
			finishReason: reason,
			stats: answerStatsFrom(usage, {
				startedAtMs,
				firstTokenAtMs,
				finishedAtMs: performance.now(),
				fallbackCompletionTokens: chunks
			})
		});
		let res: Response;
		try {
			const route = await routing(request, o);
			res = await call('/chat/completions', {
				method: 'POST',
				headers: headers(true),
				signal: o.signal,
				body: JSON.stringify({
					model: route.model,
					...(route.lora ? { lora: route.lora } : {}),
					messages: request.messages,
					stream: true,
					stream_options: { include_usage: true },
					...openAiSamplingFields(request.sampling)
				})
			});
		} catch (e) {
			if (e instanceof EngineError && e.code === 'aborted') return done('abort');
			throw e;
		}
		const parser = createParser({
			onEvent(ev) {
				if (ev.data === '[DONE]') return;
				let json: ChunkJson;
				try {
					json = JSON.parse(ev.data) as ChunkJson;
				} catch {
					streamError = `Malformed stream event: ${ev.data.slice(0, 100)}`;
					return;
				}
				if (json.error) streamError = json.error.message ?? 'Error event in stream';
				if (json.usage) usage = json.usage;
				const choice = json.choices?.[0];
				const delta = choice?.delta?.content;
				if (delta) {
					firstTokenAtMs ??= performance.now();
					chunks++;
					text += delta;
					o.onDelta(delta);
				}
				if (choice?.finish_reason) finish = finishReasonOf(choice.finish_reason);
			}
		});
		if (!res.body) throw new EngineError('endpoint-refused', 'The endpoint sent no response body', adviceFor('endpoint-refused'));
		const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
		try {
			for (;;) {
				const { value, done: end } = await reader.read();
				if (end) break;
				parser.feed(value);
				if (streamError) throw new EngineError('endpoint-refused', streamError, adviceFor('endpoint-refused'));
			}
		} catch (e) {
			if (isAbort(e) || o.signal?.aborted) return done('abort');
			if (e instanceof EngineError) throw e;
			throw streamBroke(`${root}/chat/completions`, text.length, e);
		}
		return done(finish);
	}

	return {
		info: { kind: 'endpoint', version: root },
		/** Checks that the server answers; a server without /v1/models (404) is accepted. */
		async load(_modelId, o = {}) {
			try {
				await listModels({ signal: o.signal });
			} catch (e) {
				if (isNotFound(e)) return;
				throw e;
			}
			o.onProgress?.({ fraction: 1, text: `Connected to ${root}` });
		},
		generate,
		async countTokens() {
			return null;
		},
		async unload() {},
		dispose() {},
		listModels,
		listModelInfo,
		listLoraAdapters,
		checkProvenance
	};
}
