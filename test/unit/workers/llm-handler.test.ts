// Covers LlmHandler with web-llm mocked at the module boundary and a fake engine from the factory:
// load progress + result, streaming chunks and engine stats, sampling → web-llm fields, reload on
// model mismatch, cancel of a generate (interrupt → 'abort') and of a load (aborted at once, late
// result dropped), error classification (strings from web-llm), unknown ids and malformed requests,
// registerModels merging into appConfig, countTokens, the queue, and cache list/delete with the
// wasm-sharing rule; then several resident models: concurrent streams on different models, cancel of
// one stream only, same-model generates in turn, 'not-resident', a playground reload waiting for the
// streams, out-of-memory on the second model of a load, cancelAll and residentModels.
import { beforeEach, describe, expect, test, vi } from 'vitest';
import type { AppConfig, ChatCompletionChunk, ChatCompletionRequestStreaming, InitProgressReport } from '@mlc-ai/web-llm';

const cached = new Set<string>();
const calls: string[] = [];
vi.mock('@mlc-ai/web-llm', () => {
	const lib = (n: string) => `https://libs/${n}.wasm`;
	return {
		MLCEngine: class {},
		prebuiltAppConfig: {
			model_list: [
				{ model_id: 'a-q4f32_1', model: 'https://h/a', model_lib: lib('shared') },
				{ model_id: 'b-q4f32_1', model: 'https://h/b', model_lib: lib('shared') },
				{ model_id: 'c-q4f32_1', model: 'https://h/c', model_lib: lib('c') },
				{ model_id: 'e-embed', model: 'https://h/e', model_lib: lib('e'), model_type: 1 }
			]
		},
		hasModelInCache: async (id: string) => cached.has(id),
		deleteModelInCache: async (id: string) => void calls.push(`model:${id}`),
		deleteChatConfigInCache: async (id: string) => void calls.push(`config:${id}`),
		deleteModelWasmInCache: async (id: string) => void calls.push(`wasm:${id}`)
	};
});

const { LlmHandler } = await import('../../../src/workers/llm-handler.ts');
type Msg = import('../../../src/workers/protocol.ts').LlmWorkerMessage;

const tick = () => new Promise((r) => setTimeout(r, 0));
/** Set by a test before a load: the next reload throws this / waits on this. */
let failNext: unknown;
let gateNext: Promise<void> | undefined;

class FakeEngine {
	reloads: (string | string[])[] = [];
	requests: ChatCompletionRequestStreaming[] = [];
	appConfigs: AppConfig[] = [];
	unloads = 0;
	interrupted = false;
	words = ['Hello', ' world', '!'];
	loadedModelIdToPipeline = new Map<string, { tokenizer: { encode(t: string): number[] } }>();
	constructor(private progress: (r: InitProgressReport) => void) {}
	async reload(id: string | string[]) {
		this.reloads.push(id);
		this.progress({
			progress: 0.5,
			timeElapsed: 2,
			text: 'Fetching param cache[1/2]: 10MB fetched. 50% completed, 2 secs elapsed.'
		});
		const gate = gateNext;
		const fail = failNext;
		gateNext = failNext = undefined;
		if (gate) await gate;
		if (fail !== undefined) throw fail;
		for (const m of Array.isArray(id) ? id : [id])
			this.loadedModelIdToPipeline.set(m, {
				tokenizer: { encode: (t) => t.split(' ').map((_, i) => i) }
			});
		this.progress({ progress: 1, timeElapsed: 3, text: 'Finish loading on WebGPU - fake' });
	}
	async unload() {
		this.unloads++;
		this.loadedModelIdToPipeline.clear();
	}
	async interruptGenerate() {
		this.interrupted = true;
	}
	setAppConfig(c: AppConfig) {
		this.appConfigs.push(c);
	}
	async chatCompletion(req: ChatCompletionRequestStreaming): Promise<AsyncIterable<ChatCompletionChunk>> {
		this.requests.push(req);
		// eslint-disable-next-line @typescript-eslint/no-this-alias -- the stream below is an async generator, which cannot be an arrow function
		const self = this;
		const chunk = (content: string | undefined, finish: string | null, usage?: unknown) =>
			({
				id: 'x',
				object: 'chat.completion.chunk',
				created: 0,
				model: req.model,
				choices: content === undefined && !finish ? [] : [{ index: 0, delta: { content }, finish_reason: finish }],
				usage
			}) as unknown as ChatCompletionChunk;
		return (async function* () {
			let n = 0;
			for (const w of self.words) {
				await tick();
				if (self.interrupted) break;
				n++;
				yield chunk(w, null);
			}
			yield chunk('', self.interrupted ? 'abort' : 'stop');
			yield chunk(undefined, null, {
				prompt_tokens: 7,
				completion_tokens: n,
				extra: {
					e2e_latency_s: 1.5,
					time_to_first_token_s: 0.5,
					prefill_tokens_per_s: 14,
					decode_tokens_per_s: 2
				}
			});
		})();
	}
}

let posted: Msg[];
let engine: FakeEngine;
let handler: InstanceType<typeof LlmHandler>;
beforeEach(() => {
	failNext = gateNext = undefined;
	posted = [];
	cached.clear();
	calls.length = 0;
	handler = new LlmHandler({
		post: (m) => posted.push(m),
		createEngine: (c) => (engine = new FakeEngine(c.initProgressCallback))
	});
});

const replies = (id: number) => posted.filter((m) => m.id === id && (m.type === 'result' || m.type === 'error'));
const gen = (id: number, modelId = 'a-q4f32_1') => ({
	type: 'generate' as const,
	id,
	request: {
		modelId,
		messages: [{ role: 'user' as const, content: 'hi' }],
		sampling: {
			temperature: 0.2,
			topP: 0.9,
			maxTokens: 16,
			seed: 42,
			repetitionPenalty: 1.1,
			stop: []
		}
	}
});

describe('load', () => {
	test('posts parsed progress, then the result', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] });
		const progress = posted.filter((m) => m.type === 'progress');
		expect(progress).toHaveLength(2);
		expect(progress[0]).toMatchObject({ id: 1, progress: { loadedBytes: 10 * 1024 * 1024 } });
		expect(progress[1]).toMatchObject({ progress: { fraction: 1 } });
		expect(posted.at(-1)).toEqual({
			type: 'result',
			id: 1,
			kind: 'load',
			value: { modelIds: ['a-q4f32_1'] }
		});
		expect(engine.reloads).toEqual(['a-q4f32_1']);
		expect(handler.loadedModelIds).toEqual(['a-q4f32_1']);
	});

	test('two models resident at once go to reload([a, b])', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1', 'c-q4f32_1'] });
		expect(engine.reloads).toEqual([['a-q4f32_1', 'c-q4f32_1']]);
		await handler.handle(gen(2, 'c-q4f32_1'));
		expect(engine.reloads).toHaveLength(1);
	});

	test.each([
		['Error: Cannot fetch https://h/a/resolve/main/mlc-chat-config.json', 'model-files-missing'],
		[new TypeError('Failed to fetch'), 'network'],
		['This model requires WebGPU extension shader-f16', 'missing-shader-f16']
	])('failure %s → %s', async (raw, code) => {
		failNext = raw;
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] });
		expect(replies(1)).toEqual([expect.objectContaining({ type: 'error', error: expect.objectContaining({ code }) })]);
		expect(handler.loadedModelIds).toEqual([]);
		expect(calls.includes('config:a-q4f32_1')).toBe(code === 'model-files-missing');
	});

	test('an unknown id is refused with advice, without touching the engine', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['nope'] });
		const r = replies(1)[0];
		expect(r).toMatchObject({
			type: 'error',
			error: { code: 'model-files-missing', message: expect.stringMatching(/nope/) }
		});
	});

	test('cancel answers "aborted" at once, unloads, and drops the late result', async () => {
		let open!: () => void;
		gateNext = new Promise((r) => (open = r));
		const q = handler.handle({ type: 'load', id: 2, modelIds: ['c-q4f32_1'] });
		await tick();
		await handler.handle({ type: 'cancel', id: 2 });
		expect(replies(2)).toEqual([
			expect.objectContaining({
				type: 'error',
				error: expect.objectContaining({ code: 'aborted' })
			})
		]);
		expect(engine.unloads).toBe(1);
		open();
		await q;
		expect(replies(2)).toHaveLength(1);
		expect(handler.loadedModelIds).toEqual([]);
	});
});

describe('generate', () => {
	test('streams chunks in order and returns engine stats', async () => {
		await handler.handle(gen(5));
		const chunks = posted.filter((m) => m.type === 'chunk').map((m) => (m.type === 'chunk' ? m.delta : ''));
		expect(chunks).toEqual(['Hello', ' world', '!']);
		const r = replies(5)[0];
		expect(r).toMatchObject({
			type: 'result',
			kind: 'generate',
			value: {
				text: 'Hello world!',
				finishReason: 'stop',
				stats: {
					promptTokens: 7,
					completionTokens: 3,
					timeToFirstTokenMs: 500,
					totalMs: 1500,
					decodeTokensPerSec: 2,
					source: 'engine'
				}
			}
		});
	});

	test('maps sampling settings to web-llm request fields', async () => {
		await handler.handle(gen(5));
		expect(engine.requests[0]).toMatchObject({
			model: 'a-q4f32_1',
			stream: true,
			stream_options: { include_usage: true },
			temperature: 0.2,
			top_p: 0.9,
			max_tokens: 16,
			seed: 42,
			repetition_penalty: 1.1
		});
		expect(engine.requests[0].stop).toBeUndefined();
	});

	test('a request for another model reloads first, with progress under the generate id', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] });
		await handler.handle(gen(2, 'c-q4f32_1'));
		expect(engine.reloads).toEqual(['a-q4f32_1', 'c-q4f32_1']);
		expect(posted.some((m) => m.type === 'progress' && m.id === 2)).toBe(true);
		expect(replies(2)[0]).toMatchObject({ type: 'result' });
	});

	test('cancel interrupts and finishes with "abort"', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] });
		const p = handler.handle(gen(2));
		await tick();
		await tick();
		await handler.handle({ type: 'cancel', id: 2 });
		await p;
		expect(engine.interrupted).toBe(true);
		const r = replies(2)[0];
		expect(r).toMatchObject({ type: 'result', value: { finishReason: 'abort' } });
		if (r.type === 'result' && r.kind === 'generate') expect(r.value.text.length).toBeLessThan('Hello world!'.length);
	});

	test('requests run one at a time: a generate queued behind a load waits for it', async () => {
		const order: string[] = [];
		const a = handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] }).then(() => order.push('load'));
		const b = handler.handle(gen(2)).then(() => order.push('generate'));
		await Promise.all([a, b]);
		expect(order).toEqual(['load', 'generate']);
		expect(engine.reloads).toEqual(['a-q4f32_1']);
	});
});

describe('registerModels, countTokens, unload', () => {
	test('merges records into appConfig and lets them load', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] });
		const rec = {
			model_id: 'derived-q0f32',
			model: 'http://localhost:5173/d/resolve/main/',
			model_lib: 'https://libs/c.wasm'
		};
		await handler.handle({ type: 'registerModels', id: 2, records: [rec] });
		expect(replies(2)[0]).toMatchObject({
			type: 'result',
			value: { registered: ['derived-q0f32'] }
		});
		expect(engine.appConfigs.at(-1)?.model_list.some((r) => r.model_id === 'derived-q0f32')).toBe(true);
		await handler.handle({ type: 'load', id: 3, modelIds: ['derived-q0f32'] });
		expect(replies(3)[0]).toMatchObject({ type: 'result' });
	});

	test.each([
		[[{ model_id: 'x', model_lib: 'y' }], /"model"/],
		[[{ model_id: 'x', model: 'relative/path', model_lib: 'y' }], /absolute http/],
		['not a list', /list of model records/]
	])('malformed records %j are refused clearly', async (records, message) => {
		await handler.handle({ type: 'registerModels', id: 1, records: records as never });
		expect(replies(1)[0]).toMatchObject({
			type: 'error',
			error: { message: expect.stringMatching(message) }
		});
	});

	test('countTokens uses the loaded tokenizer, null when not loaded', async () => {
		await handler.handle({
			type: 'countTokens',
			id: 1,
			modelId: 'a-q4f32_1',
			text: 'one two three'
		});
		await handler.handle({ type: 'load', id: 2, modelIds: ['a-q4f32_1'] });
		await handler.handle({
			type: 'countTokens',
			id: 3,
			modelId: 'a-q4f32_1',
			text: 'one two three'
		});
		expect(replies(1)[0]).toMatchObject({ value: null });
		expect(replies(3)[0]).toMatchObject({ value: 3 });
	});

	test('unload reports what was resident', async () => {
		await handler.handle({ type: 'load', id: 1, modelIds: ['a-q4f32_1'] });
		await handler.handle({ type: 'unload', id: 2 });
		expect(replies(2)[0]).toMatchObject({ value: { modelIds: ['a-q4f32_1'] } });
		expect(handler.loadedModelIds).toEqual([]);
	});

	test('an unknown request type gets an error reply', async () => {
		await handler.handle({ type: 'bogus', id: 9 } as never);
		expect(replies(9)[0]).toMatchObject({
			type: 'error',
			error: { message: expect.stringMatching(/bogus/) }
		});
	});
});

describe('cache', () => {
	test('lists cached chat models with the models sharing their wasm', async () => {
		cached.add('a-q4f32_1').add('b-q4f32_1').add('e-embed');
		await handler.handle({ type: 'listCached', id: 1 });
		const r = replies(1)[0];
		expect(r).toMatchObject({ type: 'result', kind: 'listCached' });
		if (r.type === 'result' && r.kind === 'listCached') {
			expect(r.value.map((c) => [c.modelId, c.wasmSharedWith])).toEqual([
				['a-q4f32_1', ['b-q4f32_1']],
				['b-q4f32_1', ['a-q4f32_1']]
			]);
		}
	});

	test.each([
		[['a-q4f32_1', 'b-q4f32_1'], 'a-q4f32_1', false],
		[['a-q4f32_1', 'c-q4f32_1'], 'a-q4f32_1', true],
		[['c-q4f32_1'], 'c-q4f32_1', true]
	])('cached %j, delete %s → wasm deleted: %s', async (ids, target, wasm) => {
		for (const id of ids) cached.add(id);
		await handler.handle({ type: 'deleteCached', id: 1, modelId: target });
		expect(replies(1)[0]).toMatchObject({ value: { deletedWasm: wasm } });
		expect(calls).toEqual([`model:${target}`, `config:${target}`, ...(wasm ? [`wasm:${target}`] : [])]);
	});

	test('hasInCache answers from web-llm', async () => {
		cached.add('c-q4f32_1');
		await handler.handle({ type: 'hasInCache', id: 1, modelId: 'c-q4f32_1' });
		await handler.handle({ type: 'hasInCache', id: 2, modelId: 'a-q4f32_1' });
		expect([replies(1)[0], replies(2)[0]]).toMatchObject([{ value: true }, { value: false }]);
	});
});

// ——— Several resident models ———
// ManualEngine behaves like web-llm 0.2.86 where it matters here: reload() replaces the resident set
// and loads the list one by one; chatCompletion on a model that is not loaded throws; every stream
// resets the one engine-wide interrupt flag when it starts and stops when it sees it raised; a
// stream's chunks come only when the test emits them, so interleaving is under the test's control.

const END = Symbol('end');

class ManualStream {
	readonly #queue: (string | typeof END)[] = [];
	#waiter: (() => void) | undefined;
	closed = false;
	constructor(
		readonly model: string,
		private engine: ManualEngine
	) {}
	/** Lets the stream produce one more chunk with this text. */
	emit(text: string) {
		this.#queue.push(text);
		this.#waiter?.();
	}
	/** Lets the stream finish normally. */
	end() {
		this.#queue.push(END);
		this.#waiter?.();
	}
	async #take(): Promise<string | typeof END> {
		while (this.#queue.length === 0) await new Promise<void>((r) => (this.#waiter = r));
		return this.#queue.shift() as string | typeof END;
	}
	async *run(): AsyncGenerator<ChatCompletionChunk> {
		const chunk = (content: string, finish: string | null) =>
			({
				choices: [{ index: 0, delta: { content }, finish_reason: finish }]
			}) as unknown as ChatCompletionChunk;
		this.engine.interruptSignal = false;
		let interrupted = false;
		try {
			for (;;) {
				const next = await this.#take();
				if (this.engine.interruptSignal) {
					interrupted = true;
					break;
				}
				if (next === END) break;
				yield chunk(next, null);
			}
			yield chunk('', interrupted ? 'abort' : 'stop');
		} finally {
			this.closed = true;
		}
	}
}

class ManualEngine {
	reloads: (string | string[])[] = [];
	loaded = new Set<string>();
	unloads = 0;
	interrupts = 0;
	interruptSignal = false;
	streams: ManualStream[] = [];
	/** When set, reload throws this for the model at this position of the list. */
	failAt: { index: number; error: unknown } | undefined;
	async reload(id: string | string[]) {
		this.reloads.push(id);
		this.loaded.clear();
		const ids = Array.isArray(id) ? id : [id];
		for (const [i, m] of ids.entries()) {
			await tick();
			if (this.failAt?.index === i) throw this.failAt.error;
			this.loaded.add(m);
		}
	}
	async unload() {
		this.unloads++;
		this.loaded.clear();
	}
	async interruptGenerate() {
		this.interrupts++;
		this.interruptSignal = true;
	}
	setAppConfig() {}
	async chatCompletion(req: ChatCompletionRequestStreaming) {
		if (!this.loaded.has(String(req.model))) throw new Error(`Model not loaded: ${req.model}`);
		const s = new ManualStream(String(req.model), this);
		this.streams.push(s);
		return s.run();
	}
	/** The stream of `model` started `nth` (0-based). */
	stream(model: string, nth = 0): ManualStream {
		const s = this.streams.filter((x) => x.model === model)[nth];
		if (!s) throw new Error(`no stream ${nth} on ${model}`);
		return s;
	}
}

describe('several resident models', () => {
	const A = 'a-q4f32_1';
	const C = 'c-q4f32_1';
	let manual: ManualEngine;
	let h: InstanceType<typeof LlmHandler>;
	beforeEach(() => {
		manual = new ManualEngine();
		h = new LlmHandler({ post: (m) => posted.push(m), createEngine: () => manual });
	});
	const chunksOf = (id: number) => posted.flatMap((m) => (m.type === 'chunk' && m.id === id ? [m.delta] : []));
	const result = (id: number) => {
		const r = replies(id);
		expect(r).toHaveLength(1);
		return r[0];
	};
	const genOn = (id: number, modelId: string, resident?: string[]) => {
		const g = gen(id, modelId);
		return { ...g, request: { ...g.request, ...(resident ? { resident } : {}) } };
	};
	const settle = async () => {
		for (let i = 0; i < 5; i++) await tick();
	};

	test('generates on two resident models stream concurrently, their chunks interleaved', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const pa = h.handle(genOn(2, A, [A, C]));
		const pc = h.handle(genOn(3, C, [A, C]));
		await settle();
		expect(manual.streams.map((s) => s.model)).toEqual([A, C]);
		manual.stream(A).emit('a1');
		await settle();
		manual.stream(C).emit('c1');
		await settle();
		manual.stream(A).emit('a2');
		await settle();
		manual.stream(C).end();
		manual.stream(A).end();
		await Promise.all([pa, pc]);
		expect(posted.filter((m) => m.type === 'chunk').map((m) => m.id)).toEqual([2, 3, 2]);
		expect(result(2)).toMatchObject({ value: { text: 'a1a2', finishReason: 'stop' } });
		expect(result(3)).toMatchObject({ value: { text: 'c1', finishReason: 'stop' } });
		expect(manual.reloads).toEqual([[A, C]]);
	});

	test('cancelling one stream stops only it; the other streams on to its full text', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const pa = h.handle(genOn(2, A, [A, C]));
		const pc = h.handle(genOn(3, C, [A, C]));
		await settle();
		manual.stream(A).emit('a1');
		manual.stream(C).emit('c1');
		await settle();
		await h.handle({ type: 'cancel', id: 2 });
		await settle();
		// answered at once with the text so far, without the engine-wide interrupt
		expect(result(2)).toMatchObject({ value: { text: 'a1', finishReason: 'abort' } });
		expect(manual.interrupts).toBe(0);
		// the abandoned stream's next chunk is not forwarded, and its generator is closed
		manual.stream(A).emit('a2');
		await pa;
		expect(chunksOf(2)).toEqual(['a1']);
		expect(manual.stream(A).closed).toBe(true);
		manual.stream(C).emit('c2');
		await settle();
		manual.stream(C).emit('c3');
		manual.stream(C).end();
		await pc;
		expect(result(3)).toMatchObject({ value: { text: 'c1c2c3', finishReason: 'stop' } });
	});

	test('after an abandoned stream the next request on that model works', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const p = h.handle(genOn(2, A, [A, C]));
		await settle();
		await h.handle({ type: 'cancel', id: 2 });
		manual.stream(A).emit('late');
		await p;
		const q = h.handle(genOn(3, A, [A, C]));
		await settle();
		manual.stream(A, 1).emit('again');
		manual.stream(A, 1).end();
		await q;
		expect(result(3)).toMatchObject({ value: { text: 'again', finishReason: 'stop' } });
	});

	test('two generates on the same model run one after the other', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const p1 = h.handle(genOn(2, A, [A, C]));
		const p2 = h.handle(genOn(3, A, [A, C]));
		await settle();
		expect(manual.streams).toHaveLength(1);
		manual.stream(A).emit('first');
		manual.stream(A).end();
		await p1;
		await settle();
		expect(manual.streams).toHaveLength(2);
		manual.stream(A, 1).emit('second');
		manual.stream(A, 1).end();
		await p2;
		expect(result(2)).toMatchObject({ value: { text: 'first' } });
		expect(result(3)).toMatchObject({ value: { text: 'second' } });
	});

	test('a generate naming resident models is refused with "not-resident" and never reloads', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A] });
		await h.handle(genOn(2, C, [A, C]));
		await h.handle(genOn(3, A, [A, C]));
		for (const id of [2, 3])
			expect(result(id)).toMatchObject({
				type: 'error',
				error: {
					code: 'not-resident',
					message: expect.stringMatching(/c-q4f32_1 is not loaded/),
					advice: "Load the comparison's models first; the engine will not swap models while other answers stream."
				}
			});
		expect(manual.reloads).toEqual([A]);
		expect(manual.streams).toHaveLength(0);
	});

	test('a malformed resident list is refused clearly', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A] });
		const bad = genOn(2, A);
		await h.handle({ ...bad, request: { ...bad.request, resident: A as never } });
		expect(result(2)).toMatchObject({
			type: 'error',
			error: { message: expect.stringMatching(/"resident" must be a list/) }
		});
	});

	test('a playground generate for another model waits for the running stream before reloading', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const pa = h.handle(genOn(2, A, [A, C]));
		await settle();
		const pb = h.handle(genOn(3, 'b-q4f32_1'));
		// a comparison generate sent after it waits too: nothing overtakes the reload
		const pc = h.handle(genOn(4, C));
		await settle();
		expect(manual.reloads).toEqual([[A, C]]);
		manual.stream(A).emit('a1');
		manual.stream(A).end();
		await pa;
		await settle();
		expect(manual.reloads).toEqual([[A, C], 'b-q4f32_1']);
		expect(result(2)).toMatchObject({ value: { text: 'a1', finishReason: 'stop' } });
		manual.stream('b-q4f32_1').emit('b1');
		manual.stream('b-q4f32_1').end();
		await pb;
		expect(result(3)).toMatchObject({ value: { text: 'b1' } });
		// the reload of b evicted C, so this playground generate reloads it in turn
		await settle();
		expect(manual.reloads).toEqual([[A, C], 'b-q4f32_1', C]);
		manual.stream(C).end();
		await pc;
		expect(h.loadedModelIds).toEqual([C]);
	});

	test('load, unload and countTokens wait for the streams in flight', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const pa = h.handle(genOn(2, A, [A, C]));
		await settle();
		const order: string[] = [];
		const pt = h.handle({ type: 'countTokens', id: 3, modelId: A, text: 'x y' }).then(() => order.push('countTokens'));
		const pu = h.handle({ type: 'unload', id: 4 }).then(() => order.push('unload'));
		const pl = h.handle({ type: 'load', id: 5, modelIds: [C] }).then(() => order.push('load'));
		await settle();
		expect(order).toEqual([]);
		expect(manual.unloads).toBe(0);
		expect(manual.reloads).toHaveLength(1);
		manual.stream(A).end();
		await Promise.all([pa, pt, pu, pl]);
		expect(order).toEqual(['countTokens', 'unload', 'load']);
		expect(h.loadedModelIds).toEqual([C]);
	});

	test('out of memory on the second model: the error says so and nothing stays resident', async () => {
		manual.failAt = {
			index: 1,
			error: new Error('GPUOutOfMemoryError: Failed to allocate buffer of 1073741824 bytes')
		};
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		expect(result(1)).toMatchObject({
			type: 'error',
			error: {
				code: 'out-of-memory',
				message: expect.stringMatching(/a-q4f32_1 \+ c-q4f32_1 do not fit in GPU memory together/),
				advice: expect.stringMatching(/one after the other/)
			}
		});
		expect(h.loadedModelIds).toEqual([]);
		// web-llm kept the first model; the handler unloaded it to free its memory
		expect(manual.loaded.size).toBe(0);
		await h.handle({ type: 'residentModels', id: 2 });
		expect(result(2)).toMatchObject({ type: 'result', value: [] });
		// the fallback, one model at a time, works
		manual.failAt = undefined;
		await h.handle({ type: 'load', id: 3, modelIds: [A] });
		expect(result(3)).toMatchObject({ type: 'result', value: { modelIds: [A] } });
	});

	test('cancelAll stops every stream and every waiting generate at once', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		const pa = h.handle(genOn(2, A, [A, C]));
		const pc = h.handle(genOn(3, C, [A, C]));
		const waiting = h.handle(genOn(4, A, [A, C]));
		await settle();
		manual.stream(A).emit('a1');
		manual.stream(C).emit('c1');
		await settle();
		await h.handle({ type: 'cancelAll', id: 5 });
		await settle();
		expect(manual.interrupts).toBe(1);
		expect(result(5)).toMatchObject({ type: 'result', value: { cancelled: [2, 3, 4] } });
		expect(result(2)).toMatchObject({ value: { text: 'a1', finishReason: 'abort' } });
		expect(result(3)).toMatchObject({ value: { text: 'c1', finishReason: 'abort' } });
		expect(result(4)).toMatchObject({ value: { text: '', finishReason: 'abort' } });
		// web-llm's streams saw the interrupt at their next step and closed
		manual.stream(A).emit('x');
		manual.stream(C).emit('y');
		await Promise.all([pa, pc, waiting]);
		expect(manual.streams).toHaveLength(2);
		expect(manual.streams.every((s) => s.closed)).toBe(true);
		expect(chunksOf(2)).toEqual(['a1']);
		expect(chunksOf(3)).toEqual(['c1']);
	});

	test('cancelling a waiting generate answers "abort" at once and never starts it', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A] });
		const p1 = h.handle(genOn(2, A, [A]));
		const p2 = h.handle(genOn(3, A, [A]));
		await settle();
		await h.handle({ type: 'cancel', id: 3 });
		await p2;
		expect(result(3)).toMatchObject({ value: { text: '', finishReason: 'abort' } });
		manual.stream(A).end();
		await p1;
		expect(manual.streams).toHaveLength(1);
	});

	test('residentModels reports the resident set', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, C] });
		await h.handle({ type: 'residentModels', id: 2 });
		expect(result(2)).toMatchObject({ type: 'result', kind: 'residentModels', value: [A, C] });
	});

	test('a load listing a model twice is refused before touching the engine', async () => {
		await h.handle({ type: 'load', id: 1, modelIds: [A, A] });
		expect(result(1)).toMatchObject({
			type: 'error',
			error: { message: expect.stringMatching(/listed twice/) }
		});
		expect(manual.reloads).toEqual([]);
	});
});
