// A small OpenAI-compatible server for tests and benchmarks (node:http, no dependencies besides the
// pure ./oracle.ts). GET /health, GET /v1/models, POST /v1/chat/completions (SSE streaming or JSON),
// CORS, and both LoRA conventions. Output is deterministic; 1 token = 1 word. Models:
//   "echo" (default): "Echo: <last user message>" then filler words. When the request's llama.cpp
//     `lora` field applies adapter 0 with scale s ≠ 0 it says "Echo (lora oracle-lora × s): …"
//     (echo ignores the global scale, so plain echo answers stay as they always were);
//   "slow-<n>": n tokens, streamed at 200 tok/s unless a rate is given; "refuse": HTTP 500;
//   "break-<n>": streams n tokens, then drops the connection mid-answer (no finish, no [DONE]);
//   "oracle-base" / "oracle-lora": a sentiment labeller (see oracle.ts, oracleAnswer) answering one
//     label word. "oracle-lora" is a vLLM-style adapter model (`--lora-modules oracle-lora=…`): listed
//     in /v1/models with parent "oracle-base" and root "/adapters/oracle-lora", adapter strength 1.
//     "oracle-base" has strength = the effective llama.cpp scale of adapter 0: the request's `lora`
//     field when present (ids it leaves out get 0, as in llama.cpp), else the global scale — the trap
//     a client falls into when it omits the field.
// llama.cpp-style adapters: GET /lora-adapters → [{"id":0,"path":"oracle-lora.gguf","scale":<global>}];
// POST /lora-adapters with [{"id":0,"scale":s}] sets the global scale (default 1.0, as llama-server
// loads adapters). A request's `lora: [{"id":0,"scale":s}]` overrides it for that request; an unknown id
// is HTTP 400. CLI:
//   node --import tsx test/server/openai-test-server.ts --port 4174 [--rate 200] [--api-key KEY]
//     [--lora-scale 1.0]

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { oracleAnswer } from './oracle.ts';

export { fnv1a32, keywordLabel, oracleAnswer, type OracleLabel } from './oracle.ts';

export interface TestServerOptions {
	/** 0 picks a free port. */
	port?: number;
	/** Tokens per second while streaming; 0 = as fast as possible. */
	rate?: number;
	/** When set, requests must send "Authorization: Bearer <apiKey>". */
	apiKey?: string;
	host?: string;
	/** The initial global llama.cpp scale of adapter 0 (GET/POST /lora-adapters); default 1.0. */
	loraScale?: number;
}

export interface TestServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

export const TEST_MODELS = ['echo', 'slow-2000', 'refuse', 'oracle-base', 'oracle-lora'] as const;
/** The one llama.cpp-style adapter this server has (id 0). */
export const LORA_ADAPTER_PATH = 'oracle-lora.gguf';
/** vLLM-style adapter models: name → its base model and its path. */
const ADAPTER_MODELS: Record<string, { parent: string; root: string }> = {
	'oracle-lora': { parent: 'oracle-base', root: '/adapters/oracle-lora' }
};
const FILLER = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
const DEFAULT_MAX_TOKENS = 256;
const SLOW_RATE = 200;

interface ChatBody {
	model?: string;
	messages?: { role: string; content: string }[];
	stream?: boolean;
	max_tokens?: number;
	stream_options?: { include_usage?: boolean };
	lora?: unknown;
}

/** Mutable per-server state: the global llama.cpp adapter scale. */
interface LoraState {
	scale: number;
}

/**
 * Parses a llama.cpp `lora` list ([{id, scale}]) for this server's one adapter (id 0).
 * @returns adapter 0's scale (0 when the list leaves it out), or an error message
 */
function parseLora(raw: unknown): { scale: number } | { error: string } {
	if (!Array.isArray(raw)) return { error: 'lora must be an array of {"id": number, "scale": number}' };
	let scale = 0;
	for (const entry of raw) {
		const e = entry as { id?: unknown; scale?: unknown } | null;
		if (!e || typeof e.id !== 'number' || typeof e.scale !== 'number' || !Number.isFinite(e.scale))
			return { error: 'each lora entry must be {"id": number, "scale": number}' };
		if (e.id !== 0) return { error: `invalid adapter id ${e.id}: this server has one LoRA adapter, id 0` };
		scale = e.scale;
	}
	return { scale };
}

/**
 * The words the server answers with: "Echo:", the last user message's words, then filler words up
 * to `length` words in all (default: echo + 8 filler), cut at maxTokens.
 */
export function answerWords(lastUser: string, maxTokens: number, length?: number, prefix = 'Echo:'): string[] {
	const words = [...prefix.split(' '), ...lastUser.split(/\s+/).filter(Boolean)];
	const target = length ?? words.length + FILLER.length;
	for (let i = 0; words.length < target; i++) words.push(FILLER[i % FILLER.length]);
	return words.slice(0, Math.min(target, maxTokens));
}

function cors(res: ServerResponse): void {
	res.setHeader('Access-Control-Allow-Origin', '*');
	res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
	res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
	res.setHeader('Access-Control-Max-Age', '600');
}

function json(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

function errorBody(message: string, type: string): unknown {
	return { error: { message, type } };
}

async function readBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const c of req) chunks.push(c as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

function sleep(ms: number): Promise<void> {
	return new Promise((r) => setTimeout(r, ms));
}

/** The echo prefix when llama.cpp adapter 0 is applied with `scale`: "Echo (lora oracle-lora × 0.5):". */
export function echoPrefix(scale: number): string {
	return scale === 0 ? 'Echo:' : `Echo (lora oracle-lora × ${scale}):`;
}

async function chat(req: IncomingMessage, res: ServerResponse, rate: number, lora: LoraState): Promise<void> {
	let body: ChatBody;
	try {
		body = JSON.parse(await readBody(req)) as ChatBody;
	} catch {
		return json(res, 400, errorBody('Body is not valid JSON', 'invalid_request_error'));
	}
	if (!Array.isArray(body.messages) || body.messages.length === 0)
		return json(res, 400, errorBody('messages must be a non-empty array', 'invalid_request_error'));
	const model = body.model ?? 'echo';
	if (model === 'refuse') return json(res, 500, errorBody('This model always refuses (test)', 'server_error'));
	let requestScale: number | undefined;
	if (body.lora !== undefined) {
		const parsed = parseLora(body.lora);
		if ('error' in parsed) return json(res, 400, errorBody(parsed.error, 'invalid_request_error'));
		requestScale = parsed.scale;
	}
	const slow = model.match(/^slow-(\d+)$/);
	const broken = model.match(/^break-(\d+)$/);
	const maxTokens = body.max_tokens ?? (slow ? Number(slow[1]) : broken ? Number(broken[1]) : DEFAULT_MAX_TOKENS);
	const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
	let words: string[];
	let finish: 'stop' | 'length';
	if (model === 'oracle-base' || model in ADAPTER_MODELS) {
		const strength = model === 'oracle-base' ? (requestScale ?? lora.scale) : 1;
		const full = [oracleAnswer(body.messages, strength)];
		words = full.slice(0, Math.max(0, maxTokens));
		finish = words.length < full.length ? 'length' : 'stop';
	} else {
		const natural = slow ? Number(slow[1]) : broken ? Number(broken[1]) : undefined;
		const prefix = echoPrefix(requestScale ?? 0);
		words = answerWords(lastUser, maxTokens, natural, prefix);
		finish = words.length < (natural ?? answerWords(lastUser, Infinity, undefined, prefix).length) ? 'length' : 'stop';
	}
	// Long mode streams at SLOW_RATE unless a rate was asked for.
	if (slow && rate === 0) rate = SLOW_RATE;
	const promptTokens = body.messages.reduce((n, m) => n + String(m.content).split(/\s+/).filter(Boolean).length, 0);
	const usage = {
		prompt_tokens: promptTokens,
		completion_tokens: words.length,
		total_tokens: promptTokens + words.length
	};
	const id = `chatcmpl-test-${Date.now()}`;
	const created = Math.floor(Date.now() / 1000);
	if (!body.stream) {
		return json(res, 200, {
			id,
			object: 'chat.completion',
			created,
			model,
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: words.join(' ') },
					finish_reason: finish
				}
			],
			usage
		});
	}
	res.writeHead(200, {
		'Content-Type': 'text/event-stream',
		'Cache-Control': 'no-cache',
		Connection: 'keep-alive'
	});
	let closed = false;
	res.on('close', () => (closed = true));
	const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
	const chunk = (delta: Record<string, string>, finish_reason: string | null) =>
		send({
			id,
			object: 'chat.completion.chunk',
			created,
			model,
			choices: [{ index: 0, delta, finish_reason }]
		});
	const start = Date.now();
	chunk({ role: 'assistant', content: '' }, null);
	for (let i = 0; i < words.length && !closed; i++) {
		if (rate > 0) {
			const due = start + (i * 1000) / rate;
			if (due > Date.now()) await sleep(due - Date.now());
		}
		chunk({ content: i === 0 ? words[i] : ` ${words[i]}` }, null);
	}
	if (closed) return;
	if (broken) {
		// Let the tokens already written reach the client, then drop the connection mid-answer.
		await new Promise<void>((r) => res.write('', () => r()));
		await sleep(20);
		res.socket?.destroy();
		return;
	}
	chunk({}, finish);
	if (body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
	res.write('data: [DONE]\n\n');
	res.end();
}

async function setLoraScales(req: IncomingMessage, res: ServerResponse, lora: LoraState): Promise<void> {
	let raw: unknown;
	try {
		raw = JSON.parse(await readBody(req));
	} catch {
		return json(res, 400, errorBody('Body is not valid JSON', 'invalid_request_error'));
	}
	const parsed = parseLora(raw);
	if ('error' in parsed) return json(res, 400, errorBody(parsed.error, 'invalid_request_error'));
	lora.scale = parsed.scale;
	json(res, 200, { success: true });
}

function modelCard(id: string): Record<string, unknown> {
	const adapter = ADAPTER_MODELS[id];
	return {
		id,
		object: 'model',
		created: 0,
		owned_by: 'test',
		root: adapter ? adapter.root : id,
		parent: adapter ? adapter.parent : null
	};
}

function handler(opts: Required<Pick<TestServerOptions, 'rate'>> & TestServerOptions) {
	const lora: LoraState = { scale: opts.loraScale ?? 1 };
	return (req: IncomingMessage, res: ServerResponse): void => {
		cors(res);
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (req.method === 'OPTIONS') {
			res.writeHead(204);
			res.end();
			return;
		}
		if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { status: 'ok' });
		if (opts.apiKey && req.headers.authorization !== `Bearer ${opts.apiKey}`)
			return json(res, 401, errorBody('Invalid or missing API key', 'invalid_api_key'));
		if (req.method === 'GET' && url.pathname === '/v1/models') {
			return json(res, 200, { object: 'list', data: TEST_MODELS.map(modelCard) });
		}
		if (req.method === 'GET' && url.pathname === '/lora-adapters')
			return json(res, 200, [{ id: 0, path: LORA_ADAPTER_PATH, scale: lora.scale }]);
		if (req.method === 'POST' && url.pathname === '/lora-adapters') {
			setLoraScales(req, res, lora).catch(() => res.end());
			return;
		}
		if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
			const rateParam = Number(url.searchParams.get('rate'));
			const rate = Number.isFinite(rateParam) && rateParam > 0 ? rateParam : opts.rate;
			chat(req, res, rate, lora).catch((e: unknown) => {
				if (!res.headersSent) json(res, 500, errorBody(String(e), 'server_error'));
				else res.end();
			});
			return;
		}
		json(res, 404, errorBody(`No route for ${req.method} ${url.pathname}`, 'not_found'));
	};
}

/**
 * Starts the server in-process.
 * @returns its base URL (no trailing slash) and a close() function
 */
export async function startTestServer(opts: TestServerOptions = {}): Promise<TestServer> {
	const host = opts.host ?? '127.0.0.1';
	const server: Server = createServer(handler({ ...opts, rate: opts.rate ?? 0 }));
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port ?? 0, host, resolve);
	});
	const port = (server.address() as AddressInfo).port;
	return {
		url: `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`,
		port,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			})
	};
}

function arg(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i >= 0 ? process.argv[i + 1] : undefined;
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
	const port = Number(arg('--port') ?? process.env.TEST_SERVER_PORT ?? 4174);
	const rate = Number(arg('--rate') ?? process.env.TEST_SERVER_RATE ?? 0);
	const apiKey = arg('--api-key') ?? process.env.TEST_SERVER_API_KEY;
	const loraScaleArg = arg('--lora-scale');
	const loraScale = loraScaleArg === undefined ? undefined : Number(loraScaleArg);
	if (loraScale !== undefined && !Number.isFinite(loraScale)) {
		console.error(`--lora-scale must be a number (got "${loraScaleArg}"), e.g. --lora-scale 0.5`);
		process.exit(2);
	}
	startTestServer({ port, rate, apiKey, loraScale, host: arg('--host') ?? '::' }).then((s) =>
		console.log(
			`OpenAI test server on ${s.url} (rate ${rate || 'unlimited'} tok/s${apiKey ? ', API key required' : ''}` +
				`, LoRA scale ${loraScale ?? 1})`
		)
	);
}
