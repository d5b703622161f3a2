// Engine implementation for any OpenAI-compatible endpoint (llama.cpp server, vLLM, Ollama, OpenAI):
// POST /v1/chat/completions with stream:true over server-sent events, GET /v1/models.
// Stats are timed by us; token counts come from the final usage chunk when the server sends one.
// Must not import web-llm, Svelte or workers.

import { createParser } from 'eventsource-parser';
import {
	EngineError,
	adviceFor,
	answerStatsFrom,
	openAiSamplingFields,
	type Engine,
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
}

export interface EndpointEngine extends Engine {
	/** Model ids from GET /v1/models. */
	listModels(opts?: { signal?: AbortSignal }): Promise<string[]>;
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
		throw new EngineError(
			'endpoint-refused',
			`"${baseUrl}" is not a valid URL`,
			'Enter a full URL such as http://localhost:8080.'
		);
	}
	const path = url.pathname.replace(/\/+$/, '');
	url.pathname = path.endsWith('/v1') ? path : `${path}/v1`;
	return url.href.replace(/\/+$/, '');
}

function isAbort(e: unknown): boolean {
	return e instanceof DOMException
		? e.name === 'AbortError'
		: (e as { name?: string })?.name === 'AbortError';
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

async function refused(url: string, res: Response): Promise<EngineError> {
	const body = (await res.text().catch(() => '')).slice(0, EXCERPT_CHARS);
	const auth = res.status === 401 || res.status === 403;
	return new EngineError(
		'endpoint-refused',
		`HTTP ${res.status} from ${url}${body ? `: ${body}` : ''}`,
		auth
			? 'The endpoint rejected the API key. Check the key and its permissions.'
			: adviceFor('endpoint-refused')
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
	const doFetch =
		opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
	const headers = (json: boolean): Record<string, string> => ({
		...(json ? { 'Content-Type': 'application/json' } : {}),
		...(opts.apiKey ? { Authorization: `Bearer ${opts.apiKey}` } : {})
	});

	async function call(path: string, init: RequestInit): Promise<Response> {
		const url = `${root}${path}`;
		let res: Response;
		try {
			res = await doFetch(url, init);
		} catch (e) {
			throw networkError(url, e);
		}
		if (!res.ok) throw await refused(url, res);
		return res;
	}

	async function listModels(o: { signal?: AbortSignal } = {}): Promise<string[]> {
		const res = await call('/models', { headers: headers(false), signal: o.signal });
		const body = (await res.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
		if (!body || !Array.isArray(body.data))
			throw new EngineError(
				'endpoint-refused',
				`${root}/models did not return a model list`,
				adviceFor('endpoint-refused')
			);
		return body.data.map((m) => m.id).filter((id): id is string => typeof id === 'string');
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
			res = await call('/chat/completions', {
				method: 'POST',
				headers: headers(true),
				signal: o.signal,
				body: JSON.stringify({
					model: request.modelId,
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
		if (!res.body)
			throw new EngineError(
				'endpoint-refused',
				'The endpoint sent no response body',
				adviceFor('endpoint-refused')
			);
		const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
		try {
			for (;;) {
				const { value, done: end } = await reader.read();
				if (end) break;
				parser.feed(value);
				if (streamError)
					throw new EngineError('endpoint-refused', streamError, adviceFor('endpoint-refused'));
			}
		} catch (e) {
			if (isAbort(e) || o.signal?.aborted) return done('abort');
			if (e instanceof EngineError) throw e;
			throw networkError(`${root}/chat/completions`, e);
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
				if (
					e instanceof EngineError &&
					e.code === 'endpoint-refused' &&
					/ 404 /.test(` ${e.message} `)
				)
					return;
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
		listModels
	};
}
