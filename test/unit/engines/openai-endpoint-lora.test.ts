// Covers the endpoint engine's LoRA adapters against the REAL test server started in-process:
// llama.cpp (a base request on a 'llamacpp' engine sends every adapter at scale 0 and gets the base
// answer, where omitting the field falls into the global-scale trap; an adapter request sends its
// scale; /lora-adapters is fetched once per engine), vLLM (the adapter's name is the request model),
// listModelInfo/listLoraAdapters, checkProvenance refusals, and the stream-break message.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GenerateRequest } from '../../../src/domain/engine/index.ts';
import { createEndpointEngine, serverRoot, type EndpointEngine } from '../../../src/engines/openai-endpoint.ts';
import { startTestServer, type TestServer } from '../../server/openai-test-server.ts';
import { rejection } from '../../helpers/engine-rejection.ts';

let server: TestServer;
beforeAll(async () => (server = await startTestServer({ port: 0 })));
afterAll(() => server.close());

/** The real fetch, with every request's URL and JSON body written down. */
function recordingFetch(fake?: (url: string) => Response | undefined) {
	const calls: { url: string; body?: Record<string, unknown> }[] = [];
	const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = String(input);
		calls.push({
			url,
			body: typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined
		});
		return fake?.(url) ?? fetch(input, init);
	}) as typeof fetch;
	return { calls, fetch: f };
}

// "I love it": gold positive. Strength 0, no examples → the wrong label "negative" (see oracleAnswer).
const loveIt = (modelId = 'oracle-base') => ({
	modelId,
	messages: [{ role: 'user' as const, content: 'I love it' }],
	sampling: { temperature: 0 }
});
const vllm = (name: string) => ({ convention: 'vllm' as const, name });
const llama = (id: number, scale: number) => ({ convention: 'llamacpp' as const, id, scale });
const engineFor = (baseUrl = server.url) => createEndpointEngine({ baseUrl });

async function run(engine: EndpointEngine, request: GenerateRequest): Promise<string> {
	return (await engine.generate(request, { onDelta: () => {} })).text;
}

describe('llama.cpp adapters', () => {
	test('the trap: without a convention lora is omitted and the global scale 1 applies', async () => {
		expect(await run(engineFor(), loveIt())).toBe('positive');
	});

	test('a base request on a llamacpp engine sends all adapters at 0 and gets the base answer', async () => {
		const rec = recordingFetch();
		const engine = createEndpointEngine({
			baseUrl: server.url,
			loraConvention: 'llamacpp',
			fetch: rec.fetch
		});
		expect(await run(engine, loveIt())).toBe('negative');
		const chat = rec.calls.find((c) => c.url.endsWith('/v1/chat/completions'));
		expect(chat?.body).toMatchObject({ model: 'oracle-base', lora: [{ id: 0, scale: 0 }] });
	});

	test('an adapter request sends the chosen id with its scale', async () => {
		const rec = recordingFetch();
		const engine = createEndpointEngine({ baseUrl: server.url, fetch: rec.fetch });
		expect(await run(engine, { ...loveIt(), adapter: llama(0, 1) })).toBe('positive');
		expect(rec.calls.at(-1)?.body?.lora).toEqual([{ id: 0, scale: 1 }]);
		const echo: GenerateRequest = {
			modelId: 'echo',
			adapter: llama(0, 0.5),
			messages: [{ role: 'user', content: 'hi' }],
			sampling: { maxTokens: 6 }
		};
		expect(await run(engine, echo)).toBe('Echo (lora oracle-lora × 0.5): hi');
	});

	test('/lora-adapters is fetched once per engine, from the server root without /v1', async () => {
		const rec = recordingFetch();
		const engine = createEndpointEngine({
			baseUrl: `${server.url}/v1`,
			loraConvention: 'llamacpp',
			fetch: rec.fetch
		});
		for (let i = 0; i < 3; i++) await run(engine, loveIt());
		expect(rec.calls.filter((c) => c.url.includes('lora-adapters')).map((c) => c.url)).toEqual([`${server.url}/lora-adapters`]);
	});

	test('an adapter id the server lacks is refused before anything is generated', async () => {
		const rec = recordingFetch();
		const engine = createEndpointEngine({ baseUrl: server.url, fetch: rec.fetch });
		const e = await rejection(run(engine, { ...loveIt(), adapter: llama(2, 1) }));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toBe(`The server at ${server.url} has no LoRA adapter with id 2 (it has: 0 = oracle-lora.gguf).`);
		expect(e.advice).toMatch(/--lora/);
		expect(rec.calls.some((c) => c.url.endsWith('/chat/completions'))).toBe(false);
	});

	test('a llamacpp engine on a server without /lora-adapters refuses a base request clearly', async () => {
		const notFound = (url: string) => (url.endsWith('/lora-adapters') ? new Response('Not Found', { status: 404 }) : undefined);
		const engine = createEndpointEngine({
			baseUrl: server.url,
			loraConvention: 'llamacpp',
			fetch: recordingFetch(notFound).fetch
		});
		const e = await rejection(run(engine, loveIt()));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toBe(
			`The server at ${server.url} has no /lora-adapters endpoint, so it cannot apply the llama.cpp LoRA base (all adapters at scale 0).`
		);
		expect(e.advice).toMatch(/llama-server started with --lora/);
	});

	test.each([
		['http://h:8080', 'http://h:8080'],
		['http://h:8080/v1/', 'http://h:8080'],
		['https://x.com/llama/v1', 'https://x.com/llama']
	])('serverRoot(%s) is %s', (input, out) => expect(serverRoot(input)).toBe(out));

	test('listLoraAdapters returns the server adapters with their global scale', async () => {
		expect(await engineFor().listLoraAdapters()).toEqual([{ id: 0, path: 'oracle-lora.gguf', scale: 1 }]);
	});
});

describe('vLLM adapters', () => {
	test("the adapter's name is the request model", async () => {
		const zero = await startTestServer({ port: 0, loraScale: 0 });
		try {
			const rec = recordingFetch();
			const engine = createEndpointEngine({ baseUrl: zero.url, fetch: rec.fetch });
			expect(await run(engine, { ...loveIt(), adapter: vllm('oracle-lora') })).toBe('positive');
			expect(rec.calls.at(-1)?.body?.model).toBe('oracle-lora');
			expect(rec.calls.at(-1)?.body).not.toHaveProperty('lora');
			expect(await run(engine, loveIt())).toBe('negative');
		} finally {
			await zero.close();
		}
	});

	test('listModelInfo gives adapters their parent and root', async () => {
		const info = await engineFor().listModelInfo();
		expect(info).toContainEqual({
			id: 'oracle-lora',
			parent: 'oracle-base',
			root: '/adapters/oracle-lora'
		});
		expect(info).toContainEqual({ id: 'oracle-base', root: 'oracle-base' });
	});
});

describe('checkProvenance', () => {
	const served = 'echo, slow-2000, refuse, oracle-base, oracle-lora';

	test('passes with no warnings when model and adapter are served as expected', async () => {
		const engine = engineFor();
		const base = 'oracle-base';
		const none = { warnings: [] };
		expect(await engine.checkProvenance({ modelId: base, adapter: vllm('oracle-lora') })).toEqual(none);
		expect(await engine.checkProvenance({ modelId: base, adapter: llama(0, 1) })).toEqual(none);
		expect(await engine.checkProvenance({ modelId: base })).toEqual(none);
	});

	test('a model the server does not list is refused, naming what it serves', async () => {
		const e = await rejection(engineFor().checkProvenance({ modelId: 'tiny-base' }));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toBe(`The server at ${server.url}/v1 does not serve the model "tiny-base" (it serves: ${served}).`);
	});

	test('a vLLM adapter the server does not serve is refused with --lora-modules advice', async () => {
		const e = await rejection(engineFor().checkProvenance({ modelId: 'oracle-base', adapter: vllm('sql-lora') }));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toBe(`The server at ${server.url}/v1 does not serve the LoRA adapter "sql-lora" (it serves: ${served}).`);
		expect(e.advice).toMatch(/--lora-modules sql-lora=<path>, or pick one of those/);
	});

	test('a vLLM adapter on another base model is refused, naming both', async () => {
		const e = await rejection(engineFor().checkProvenance({ modelId: 'echo', adapter: vllm('oracle-lora') }));
		expect(e.message).toBe(`The LoRA adapter "oracle-lora" at ${server.url}/v1 is applied to "oracle-base", not to "echo".`);
		expect(e.advice).toMatch(/its own base "oracle-base"/);
	});

	test('a llama.cpp adapter id the server lacks is refused, listing its adapters', async () => {
		const e = await rejection(engineFor().checkProvenance({ modelId: 'oracle-base', adapter: llama(1, 1) }));
		expect(e.message).toBe(`The server at ${server.url} has no LoRA adapter with id 1 (it has: 0 = oracle-lora.gguf).`);
	});

	test('no /v1/models is a warning, not a failure; no /lora-adapters refuses llama.cpp adapters', async () => {
		const notFound = (url: string) =>
			url.endsWith('/v1/models') || url.endsWith('/lora-adapters') ? new Response('Not Found', { status: 404 }) : undefined;
		const engine = createEndpointEngine({
			baseUrl: server.url,
			fetch: recordingFetch(notFound).fetch
		});
		const report = await engine.checkProvenance({
			modelId: 'oracle-base',
			adapter: vllm('oracle-lora')
		});
		expect(report.warnings).toHaveLength(1);
		expect(report.warnings[0]).toMatch(/does not list its models .* "oracle-base" and the LoRA adapter "oracle-lora"/);
		const e = await rejection(engine.checkProvenance({ modelId: 'oracle-base', adapter: llama(0, 1) }));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toMatch(/has no \/lora-adapters endpoint/);
	});
});

describe('connection errors', () => {
	test('a stream that breaks mid-answer says so with the characters received', async () => {
		const deltas: string[] = [];
		const engine = createEndpointEngine({ baseUrl: server.url });
		const e = await rejection(
			engine.generate({ modelId: 'break-3', messages: [{ role: 'user', content: 'x' }], sampling: {} }, { onDelta: (d) => deltas.push(d) })
		);
		// break-3 sends "Echo:", " x", " alpha" = 5 + 2 + 6 = 13 characters, then drops the connection.
		expect(deltas.join('')).toBe('Echo: x alpha');
		expect(e.code).toBe('network');
		expect(e.message.startsWith(`The connection to ${server.url}/v1/chat/completions broke after 13 characters of the answer`)).toBe(true);
		expect(e.message).not.toMatch(/Could not reach/);
		expect(e.advice).toMatch(/server log/);
	});

	test('a server that is down is still "Could not reach"', async () => {
		const down = await startTestServer({ port: 0 });
		await down.close();
		const e = await rejection(run(engineFor(down.url), loveIt()));
		expect(e.code).toBe('network');
		expect(e.message).toMatch(/^Could not reach /);
	});

	test('a base URL with user name and password is refused up front, without the password', () => {
		let error: unknown;
		try {
			createEndpointEngine({ baseUrl: 'http://me:hunter2@127.0.0.1:1' });
		} catch (e) {
			error = e;
		}
		expect(error).toMatchObject({
			code: 'endpoint-refused',
			message: expect.stringMatching(/user name or password/)
		});
		const { message, advice } = error as { message: string; advice: string };
		expect(`${message} ${advice}`).not.toMatch(/hunter2/);
	});
});
