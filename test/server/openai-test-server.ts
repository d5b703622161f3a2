// A small OpenAI-compatible server for tests and benchmarks (node:http, no dependencies).
// GET /health, GET /v1/models, POST /v1/chat/completions (SSE streaming or JSON), CORS.
// Output is deterministic: "Echo: <last user message>" then filler words; 1 token = 1 word.
// Models: "echo" (default), "slow-<n>" (n tokens), "refuse" (HTTP 500). CLI:
//   node --import tsx test/server/openai-test-server.ts --port 4174 [--rate 200] [--api-key KEY]

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestServerOptions {
	/** 0 picks a free port. */
	port?: number;
	/** Tokens per second while streaming; 0 = as fast as possible. */
	rate?: number;
	/** When set, requests must send "Authorization: Bearer <apiKey>". */
	apiKey?: string;
	host?: string;
}

export interface TestServer {
	url: string;
	port: number;
	close(): Promise<void>;
}

export const TEST_MODELS = ['echo', 'slow-2000', 'refuse'] as const;
const FILLER = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
const DEFAULT_MAX_TOKENS = 256;
const SLOW_RATE = 200;

interface ChatBody {
	model?: string;
	messages?: { role: string; content: string }[];
	stream?: boolean;
	max_tokens?: number;
	stream_options?: { include_usage?: boolean };
}

/**
 * The words the server answers with: "Echo:", the last user message's words, then filler words up
 * to `length` words in all (default: echo + 8 filler), cut at maxTokens.
 */
export function answerWords(lastUser: string, maxTokens: number, length?: number): string[] {
	const words = ['Echo:', ...lastUser.split(/\s+/).filter(Boolean)];
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

async function chat(req: IncomingMessage, res: ServerResponse, rate: number): Promise<void> {
	let body: ChatBody;
	try {
		body = JSON.parse(await readBody(req)) as ChatBody;
	} catch {
		return json(res, 400, errorBody('Body is not valid JSON', 'invalid_request_error'));
	}
	if (!Array.isArray(body.messages) || body.messages.length === 0)
		return json(res, 400, errorBody('messages must be a non-empty array', 'invalid_request_error'));
	const model = body.model ?? 'echo';
	if (model === 'refuse')
		return json(res, 500, errorBody('This model always refuses (test)', 'server_error'));
	const slow = model.match(/^slow-(\d+)$/);
	const maxTokens = body.max_tokens ?? (slow ? Number(slow[1]) : DEFAULT_MAX_TOKENS);
	const lastUser = [...body.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
	const natural = slow ? Number(slow[1]) : undefined;
	const words = answerWords(lastUser, maxTokens, natural);
	const finish =
		words.length < (natural ?? answerWords(lastUser, Infinity).length) ? 'length' : 'stop';
	// Long mode streams at SLOW_RATE unless a rate was asked for.
	if (slow && rate === 0) rate = SLOW_RATE;
	const promptTokens = body.messages.reduce(
		(n, m) => n + String(m.content).split(/\s+/).filter(Boolean).length,
		0
	);
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
	chunk({}, finish);
	if (body.stream_options?.include_usage)
		send({ id, object: 'chat.completion.chunk', created, model, choices: [], usage });
	res.write('data: [DONE]\n\n');
	res.end();
}

function handler(opts: Required<Pick<TestServerOptions, 'rate'>> & TestServerOptions) {
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
			return json(res, 200, {
				object: 'list',
				data: TEST_MODELS.map((id) => ({ id, object: 'model', created: 0, owned_by: 'test' }))
			});
		}
		if (req.method === 'POST' && url.pathname === '/v1/chat/completions') {
			const rateParam = Number(url.searchParams.get('rate'));
			const rate = Number.isFinite(rateParam) && rateParam > 0 ? rateParam : opts.rate;
			chat(req, res, rate).catch((e: unknown) => {
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

const isMain =
	process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
	const port = Number(arg('--port') ?? process.env.TEST_SERVER_PORT ?? 4174);
	const rate = Number(arg('--rate') ?? process.env.TEST_SERVER_RATE ?? 0);
	const apiKey = arg('--api-key') ?? process.env.TEST_SERVER_API_KEY;
	startTestServer({ port, rate, apiKey, host: arg('--host') ?? '::' }).then((s) =>
		console.log(
			`OpenAI test server on ${s.url} (rate ${rate || 'unlimited'} tok/s${apiKey ? ', API key required' : ''})`
		)
	);
}
