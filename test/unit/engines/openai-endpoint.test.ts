// Covers the OpenAI-compatible endpoint engine against the REAL test server started in-process:
// streaming deltas that rebuild the echoed answer, usage-based token counts and measured timings,
// max_tokens → finish 'length', abort mid-stream → finish 'abort', listModels, base-URL
// normalisation, and errors: HTTP 500 ('refuse'), wrong/missing API key (401), server down ('network').
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiRoot, createEndpointEngine } from '../../../src/engines/openai-endpoint.ts';
import { answerWords, startTestServer, type TestServer } from '../../server/openai-test-server.ts';
import { rejection } from '../../helpers/engine-rejection.ts';

let server: TestServer;
let keyed: TestServer;
beforeAll(async () => {
	server = await startTestServer({ port: 0 });
	keyed = await startTestServer({ port: 0, apiKey: 'sekret' });
});
afterAll(async () => {
	await server.close();
	await keyed.close();
});

const ask = (content: string, maxTokens?: number) => ({
	modelId: 'echo',
	messages: [
		{ role: 'system' as const, content: 'be brief' },
		{ role: 'user' as const, content }
	],
	sampling: { maxTokens, temperature: 0, seed: 1 }
});

describe('generate', () => {
	test('streams deltas that add up to the echoed answer, with usage counts', async () => {
		const engine = createEndpointEngine({ baseUrl: server.url });
		const deltas: string[] = [];
		const r = await engine.generate(ask('tell me about cats'), { onDelta: (d) => deltas.push(d) });
		const expected = ['Echo:', 'tell', 'me', 'about', 'cats', 'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
		expect(r.text).toBe(expected.join(' '));
		expect(deltas.join('')).toBe(r.text);
		expect(deltas.length).toBe(expected.length);
		expect(r.finishReason).toBe('stop');
		// prompt = words of all messages ("be brief" + 4 words)
		expect(r.stats).toMatchObject({
			promptTokens: 6,
			completionTokens: expected.length,
			source: 'measured'
		});
		expect(r.stats.totalMs).toBeGreaterThanOrEqual(r.stats.timeToFirstTokenMs);
	});

	test('max_tokens cuts the answer and reports length', async () => {
		const engine = createEndpointEngine({ baseUrl: `${server.url}/v1/` });
		const r = await engine.generate(ask('one two three', 3), { onDelta: () => {} });
		expect(r.text).toBe(answerWords('one two three', 3).join(' '));
		expect(r.finishReason).toBe('length');
		expect(r.stats.completionTokens).toBe(3);
	});

	test('abort mid-stream resolves with what arrived and finish "abort"', async () => {
		const engine = createEndpointEngine({ baseUrl: server.url });
		const ctrl = new AbortController();
		let n = 0;
		const r = await engine.generate(
			{ ...ask('x'), modelId: 'slow-2000' },
			{
				signal: ctrl.signal,
				onDelta: () => {
					if (++n === 5) ctrl.abort();
				}
			}
		);
		expect(r.finishReason).toBe('abort');
		expect(r.text.split(' ').length).toBeGreaterThanOrEqual(5);
		expect(r.text.split(' ').length).toBeLessThan(2000);
	});

	test('a refused request (HTTP 500) is endpoint-refused with status and body', async () => {
		const engine = createEndpointEngine({ baseUrl: server.url });
		const e = await rejection(engine.generate({ ...ask('x'), modelId: 'refuse' }, { onDelta: () => {} }));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toMatch(/HTTP 500/);
		expect(e.message).toMatch(/always refuses/);
	});
});

describe('API key', () => {
	test('the right key is accepted', async () => {
		const engine = createEndpointEngine({ baseUrl: keyed.url, apiKey: 'sekret' });
		expect(await engine.listModels()).toContain('echo');
		const r = await engine.generate(ask('hi'), { onDelta: () => {} });
		expect(r.text.startsWith('Echo: hi')).toBe(true);
	});

	test.each([['wrong'], [undefined]])('key %s is refused with 401 and key advice', async (apiKey) => {
		const engine = createEndpointEngine({ baseUrl: keyed.url, apiKey });
		const e = await rejection(engine.generate(ask('hi'), { onDelta: () => {} }));
		expect(e.code).toBe('endpoint-refused');
		expect(e.message).toMatch(/HTTP 401/);
		expect(e.advice).toMatch(/API key/);
	});
});

describe('listModels, load and connection errors', () => {
	test('listModels returns the server models', async () => {
		expect(await createEndpointEngine({ baseUrl: server.url }).listModels()).toEqual([
			'echo',
			'slow-2000',
			'refuse',
			'oracle-base',
			'oracle-lora'
		]);
	});

	test('server down → network error on load and generate', async () => {
		const down = await startTestServer({ port: 0 });
		const url = down.url;
		await down.close();
		const engine = createEndpointEngine({ baseUrl: url });
		expect((await rejection(engine.load('echo'))).code).toBe('network');
		expect((await rejection(engine.generate(ask('x'), { onDelta: () => {} }))).code).toBe('network');
	});

	test('countTokens is unknown (null) for endpoints', async () => {
		expect(await createEndpointEngine({ baseUrl: server.url }).countTokens('echo', 'a b')).toBeNull();
	});

	test.each([
		['http://h:1', 'http://h:1/v1'],
		['http://h:1/', 'http://h:1/v1'],
		['http://h:1/v1/', 'http://h:1/v1'],
		['https://api.x.com/openai/v1', 'https://api.x.com/openai/v1']
	])('apiRoot(%s)', (input, out) => expect(apiRoot(input)).toBe(out));

	test('a malformed base URL is a clear error', () => {
		expect(() => createEndpointEngine({ baseUrl: 'not a url' })).toThrow(/not a valid URL/);
	});
});
