// Covers the test server's LoRA conventions: vLLM-style adapter models in /v1/models (parent, root),
// llama.cpp-style GET/POST /lora-adapters and the per-request `lora` field, the llama.cpp trap
// (omitting `lora` applies the global scale), the echo model naming the applied adapter, invalid
// adapter ids, the mid-answer connection drop of "break-<n>", and the --lora-scale CLI flag.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestServer, type TestServer } from '../../server/openai-test-server.ts';

let s: TestServer;
beforeAll(async () => (s = await startTestServer({ port: 0 })));
afterAll(() => s.close());

interface Completion {
	choices: { message: { content: string }; finish_reason: string }[];
	usage: { prompt_tokens: number; completion_tokens: number };
}

const post = (url: string, body: unknown) =>
	fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body)
	});

async function answer(server: TestServer, body: Record<string, unknown>): Promise<string> {
	const res = await post(`${server.url}/v1/chat/completions`, body);
	expect(res.status).toBe(200);
	return ((await res.json()) as Completion).choices[0].message.content;
}

const loveIt = [{ role: 'user', content: 'I love it' }];
const base = (lora?: unknown) => ({ model: 'oracle-base', messages: loveIt, ...(lora ? { lora } : {}) });
const globalScale = async (server: TestServer) =>
	((await (await fetch(`${server.url}/lora-adapters`)).json()) as { scale: number }[])[0].scale;

describe('vLLM convention: adapters as models', () => {
	test('/v1/models lists oracle-lora with parent and root, and bases without a parent', async () => {
		const body = (await (await fetch(`${s.url}/v1/models`)).json()) as {
			data: { id: string; parent: string | null; root: string }[];
		};
		expect(body.data.find((m) => m.id === 'oracle-lora')).toMatchObject({
			parent: 'oracle-base',
			root: '/adapters/oracle-lora'
		});
		expect(body.data.find((m) => m.id === 'oracle-base')?.parent).toBeNull();
		expect(body.data.map((m) => m.id)).toEqual(expect.arrayContaining(['echo', 'slow-2000', 'refuse', 'oracle-base', 'oracle-lora']));
	});

	test('model "oracle-lora" answers with full strength whatever the llama.cpp scale', async () => {
		const zero = await startTestServer({ port: 0, loraScale: 0 });
		try {
			// "I love it": gold positive; strength 1 → positive.
			expect(await answer(zero, { model: 'oracle-lora', messages: loveIt })).toBe('positive');
			expect(await answer(zero, { model: 'oracle-base', messages: loveIt })).toBe('negative');
		} finally {
			await zero.close();
		}
	});
});

describe('llama.cpp convention: /lora-adapters and the lora field', () => {
	test('GET /lora-adapters lists adapter 0 with the global scale (default 1.0)', async () => {
		expect(await (await fetch(`${s.url}/lora-adapters`)).json()).toEqual([{ id: 0, path: 'oracle-lora.gguf', scale: 1 }]);
	});

	test('the trap: oracle-base without a lora field gets the global scale 1, like the adapter', async () => {
		expect(await answer(s, base())).toBe('positive');
	});

	test('lora [{id 0, scale 0}] is the bare base for that request: the wrong label', async () => {
		expect(await answer(s, base([{ id: 0, scale: 0 }]))).toBe('negative');
		// An empty list leaves adapter 0 out, which in llama.cpp means scale 0 too.
		expect(await answer(s, base([]))).toBe('negative');
	});

	test('POST /lora-adapters sets the global scale that requests without lora then get', async () => {
		const own = await startTestServer({ port: 0, loraScale: 0.5 });
		try {
			expect(await (await fetch(`${own.url}/lora-adapters`)).json()).toEqual([{ id: 0, path: 'oracle-lora.gguf', scale: 0.5 }]);
			const res = await post(`${own.url}/lora-adapters`, [{ id: 0, scale: 0 }]);
			expect(await res.json()).toEqual({ success: true });
			expect(await globalScale(own)).toBe(0);
			expect(await answer(own, base())).toBe('negative');
			// A request's lora field still overrides the global scale.
			expect(await answer(own, base([{ id: 0, scale: 1 }]))).toBe('positive');
		} finally {
			await own.close();
		}
	});

	test('the echo model names the adapter a lora field applies, and stays plain without one', async () => {
		const echo = (max_tokens: number, lora?: unknown) => ({
			model: 'echo',
			max_tokens,
			messages: [{ role: 'user', content: 'hi' }],
			...(lora ? { lora } : {})
		});
		// 1 token = 1 word: "Echo", "(lora", "oracle-lora", "×", "0.5):", "hi" are 6 tokens.
		expect(await answer(s, echo(6, [{ id: 0, scale: 0.5 }]))).toBe('Echo (lora oracle-lora × 0.5): hi');
		expect(await answer(s, echo(3))).toBe('Echo: hi alpha');
		expect(await answer(s, echo(3, [{ id: 0, scale: 0 }]))).toBe('Echo: hi alpha');
	});

	test('oracle usage: prompt = words of all messages, completion = the one label word', async () => {
		const res = await post(`${s.url}/v1/chat/completions`, {
			model: 'oracle-lora',
			messages: [
				{ role: 'system', content: 'Label the sentiment' },
				{ role: 'user', content: 'I love it' }
			]
		});
		const body = (await res.json()) as Completion;
		expect(body.usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 1 });
		expect(body.choices[0].finish_reason).toBe('stop');
	});

	test.each([
		[[{ id: 3, scale: 1 }], /invalid adapter id 3/],
		[[{ id: 0 }], /"scale": number/],
		[{ id: 0, scale: 1 }, /must be an array/]
	])('a bad lora field %j is HTTP 400 with a clear message', async (lora, message) => {
		const res = await post(`${s.url}/v1/chat/completions`, base(lora));
		expect(res.status).toBe(400);
		expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(message);
	});

	test('a bad POST /lora-adapters body is HTTP 400 and leaves the global scale alone', async () => {
		const res = await fetch(`${s.url}/lora-adapters`, { method: 'POST', body: '{nope' });
		expect(res.status).toBe(400);
		expect(await globalScale(s)).toBe(1);
	});
});

describe('break-<n>', () => {
	test('streams n tokens, then drops the connection without finish or [DONE]', async () => {
		const res = await post(`${s.url}/v1/chat/completions`, {
			model: 'break-3',
			stream: true,
			messages: [{ role: 'user', content: 'x' }]
		});
		expect(res.status).toBe(200);
		const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
		let raw = '';
		const failure = await (async () => {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return undefined;
				raw += value;
			}
		})().catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(Error);
		expect(raw).toContain('"content":"Echo:"');
		expect(raw).toContain('"content":" alpha"');
		expect(raw).not.toContain('[DONE]');
		expect(raw).not.toContain('"finish_reason":"stop"');
	});
});

describe('CLI', () => {
	test('--lora-scale sets the initial global scale', async () => {
		const args = ['--port', '0', '--host', '127.0.0.1', '--lora-scale', '0.25'];
		const child = spawn(process.execPath, ['--import', 'tsx', 'test/server/openai-test-server.ts', ...args], {
			stdio: ['ignore', 'pipe', 'inherit']
		});
		try {
			const url = await new Promise<string>((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (d: Buffer) => {
					out += d.toString();
					const m = out.match(/on (http:\/\/\S+)/);
					if (m) resolve(m[1]);
				});
				child.once('exit', (code) => reject(new Error(`server exited (${code}): ${out}`)));
			});
			expect(await (await fetch(`${url}/lora-adapters`)).json()).toEqual([{ id: 0, path: 'oracle-lora.gguf', scale: 0.25 }]);
		} finally {
			child.kill();
		}
	}, 20_000);
});
