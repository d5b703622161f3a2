// Covers, with Chromium's own fetch, Response and streams, the endpoint engine's llama.cpp request
// body (every adapter listed, the chosen one with its scale, the others at 0; a base request all at
// 0) and the message when a stream breaks mid-answer. The "server" is an in-page transport that
// answers like llama.cpp's: GET /lora-adapters, then an SSE stream.
import { describe, expect, test } from 'vitest';
import { createEndpointEngine } from '../../../src/engines/openai-endpoint.ts';
import { rejection } from '../../helpers/engine-rejection.ts';

const sse = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** A llama.cpp-like transport with adapters 0 and 1; the stream sends `words`, then ends or breaks. */
function llamaCpp(words: string[], breaks: boolean) {
	const bodies: Record<string, unknown>[] = [];
	const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
		const url = String(input);
		if (url === 'http://llama.test:8080/lora-adapters')
			return Response.json([
				{ id: 0, path: 'a.gguf', scale: 1 },
				{ id: 1, path: 'b.gguf', scale: 1 }
			]);
		bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
		const encoder = new TextEncoder();
		const events = [...words.map(sse), ...(breaks ? [] : ['data: [DONE]\n\n'])];
		// One event per pull; after the last one the stream ends, or errors a moment later (an error
		// discards chunks not yet read, so it must come after the client has read them, as on a wire).
		const stream = new ReadableStream<Uint8Array>({
			async pull(c) {
				const next = events.shift();
				if (next !== undefined) c.enqueue(encoder.encode(next));
				else if (!breaks) c.close();
				else {
					await new Promise((r) => setTimeout(r, 50));
					c.error(new TypeError('network error'));
				}
			}
		});
		return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
	}) as typeof fetch;
	return { bodies, fetch: f };
}

const request = { modelId: 'base', messages: [{ role: 'user' as const, content: 'hi' }], sampling: {} };

describe('endpoint engine LoRA requests in the browser', () => {
	test('an adapter request lists every adapter: the chosen one with its scale, the others at 0', async () => {
		const t = llamaCpp(['ok'], false);
		const engine = createEndpointEngine({ baseUrl: 'http://llama.test:8080/v1', fetch: t.fetch });
		const r = await engine.generate({ ...request, adapter: { convention: 'llamacpp', id: 1, scale: 0.75 } }, { onDelta: () => {} });
		expect(r.text).toBe('ok');
		expect(t.bodies[0].lora).toEqual([
			{ id: 0, scale: 0 },
			{ id: 1, scale: 0.75 }
		]);
	});

	test('a base request on a llamacpp engine sends all adapters at scale 0', async () => {
		const t = llamaCpp(['ok'], false);
		const engine = createEndpointEngine({
			baseUrl: 'http://llama.test:8080',
			loraConvention: 'llamacpp',
			fetch: t.fetch
		});
		await engine.generate(request, { onDelta: () => {} });
		expect(t.bodies[0].lora).toEqual([
			{ id: 0, scale: 0 },
			{ id: 1, scale: 0 }
		]);
	});

	test('a stream that errors after "Hello", " world" reports 11 characters, not "Could not reach"', async () => {
		const t = llamaCpp(['Hello', ' world'], true);
		const engine = createEndpointEngine({ baseUrl: 'http://llama.test:8080', fetch: t.fetch });
		const e = await rejection(engine.generate(request, { onDelta: () => {} }));
		expect(e.code).toBe('network');
		expect(e.message).toMatch(
			/^The connection to http:\/\/llama\.test:8080\/v1\/chat\/completions broke after 11 characters of the answer/
		);
		expect(e.message).not.toMatch(/Could not reach/);
	});
});
