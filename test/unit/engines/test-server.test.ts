// Covers the OpenAI test server itself: /health, CORS preflight and headers, non-streaming answers,
// SSE framing with a final usage chunk and [DONE], and malformed bodies. (Token pacing is timing:
// it is exercised by the benchmark, not asserted here.)
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { answerWords, startTestServer, type TestServer } from '../../server/openai-test-server.ts';

let s: TestServer;
beforeAll(async () => (s = await startTestServer({ port: 0 })));
afterAll(() => s.close());

const post = (body: unknown, query = '') =>
	fetch(`${s.url}/v1/chat/completions${query}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body)
	});

describe('openai test server', () => {
	test('health and CORS preflight', async () => {
		expect(await (await fetch(`${s.url}/health`)).json()).toEqual({ status: 'ok' });
		const pre = await fetch(`${s.url}/v1/chat/completions`, {
			method: 'OPTIONS',
			headers: { Origin: 'http://localhost:4173', 'Access-Control-Request-Method': 'POST' }
		});
		expect(pre.status).toBe(204);
		expect(pre.headers.get('access-control-allow-origin')).toBe('*');
		expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
	});

	test('non-streaming answer echoes the last user message', async () => {
		const res = await post({
			model: 'echo',
			max_tokens: 4,
			messages: [
				{ role: 'user', content: 'first' },
				{ role: 'assistant', content: 'ok' },
				{ role: 'user', content: 'second msg' }
			]
		});
		const body = (await res.json()) as {
			choices: { message: { content: string }; finish_reason: string }[];
			usage: { completion_tokens: number };
		};
		expect(body.choices[0].message.content).toBe('Echo: second msg alpha');
		expect(body.choices[0].finish_reason).toBe('length');
		expect(body.usage.completion_tokens).toBe(4);
	});

	test('SSE: one data event per token, usage chunk, then [DONE]', async () => {
		const raw = await (
			await post({
				stream: true,
				stream_options: { include_usage: true },
				max_tokens: 3,
				messages: [{ role: 'user', content: 'a b c d' }]
			})
		).text();
		const events = raw
			.split('\n\n')
			.filter(Boolean)
			.map((e) => e.replace(/^data: /, ''));
		expect(events.at(-1)).toBe('[DONE]');
		const usage = JSON.parse(events.at(-2) ?? '{}') as { usage: { completion_tokens: number } };
		expect(usage.usage.completion_tokens).toBe(3);
		const content = events
			.slice(0, -2)
			.map((e) => (JSON.parse(e) as { choices: { delta: { content?: string } }[] }).choices[0].delta.content ?? '')
			.join('');
		expect(content).toBe(answerWords('a b c d', 3).join(' '));
	});

	test.each([
		['{not json', 400],
		[JSON.stringify({ messages: [] }), 400]
	])('bad body %s → %i', async (body, status) => {
		const res = await fetch(`${s.url}/v1/chat/completions`, { method: 'POST', body });
		expect(res.status).toBe(status);
		expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
	});
});
