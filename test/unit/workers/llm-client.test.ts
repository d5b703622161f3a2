// Covers the page-side client createWebLlmEngine() over an in-process worker stand-in that runs
// the real LlmHandler (web-llm mocked at the module boundary): deltas reach onDelta, an aborted
// generate resolves with 'abort', a load stuck after cancel gets the worker replaced (records
// re-registered on the new one), a worker crash rejects pending requests with an EngineError; with
// several resident models (loadMany, residentIds): the abort of one generate leaves the other
// streaming, cancelAll stops both, and a generate naming models that are not resident rejects.
import { describe, expect, test, vi } from 'vitest';
import type { AppConfig, ChatCompletionChunk, InitProgressReport } from '@mlc-ai/web-llm';

vi.mock('@mlc-ai/web-llm', () => ({
	MLCEngine: class {},
	prebuiltAppConfig: {
		model_list: [
			{ model_id: 'a-q4f32_1', model: 'https://h/a', model_lib: 'https://l/a.wasm' },
			{ model_id: 'b-q4f32_1', model: 'https://h/b', model_lib: 'https://l/a.wasm' }
		]
	},
	hasModelInCache: async () => false,
	deleteModelInCache: async () => {},
	deleteChatConfigInCache: async () => {},
	deleteModelWasmInCache: async () => {}
}));

const { LlmHandler } = await import('../../../src/workers/llm-handler.ts');
const { createWebLlmEngine } = await import('../../../src/workers/llm-client.ts');
const { EngineError } = await import('../../../src/domain/engine/index.ts');

const tick = () => new Promise((r) => setTimeout(r, 0));

/** Engine whose reload hangs forever when `hang` is set, and streams three words. */
function fakeEngine(opts: { hang: boolean }, progress: (r: InitProgressReport) => void) {
	let interrupted = false;
	return {
		async reload() {
			progress({
				progress: 0.1,
				timeElapsed: 1,
				text: 'Fetching param cache[1/9]: 1MB fetched. 10% completed, 1 secs elapsed.'
			});
			if (opts.hang) await new Promise(() => {});
		},
		async unload() {},
		async interruptGenerate() {
			interrupted = true;
		},
		setAppConfig(_c: AppConfig) {},
		async chatCompletion() {
			return (async function* () {
				for (const w of ['a', 'b', 'c', 'd', 'e', 'f']) {
					await tick();
					if (interrupted) break;
					yield {
						choices: [{ index: 0, delta: { content: w }, finish_reason: null }]
					} as unknown as ChatCompletionChunk;
				}
			})();
		}
	};
}

class InProcessWorker {
	onmessage: ((e: MessageEvent) => void) | null = null;
	onerror: ((e: ErrorEvent) => void) | null = null;
	terminated = false;
	received: { type: string }[] = [];
	readonly handler: InstanceType<typeof LlmHandler>;
	constructor(hang: boolean) {
		this.handler = new LlmHandler({
			post: (m) => !this.terminated && this.onmessage?.({ data: structuredClone(m) } as MessageEvent),
			createEngine: (c) => fakeEngine({ hang }, c.initProgressCallback)
		});
	}
	postMessage(msg: { type: string }) {
		this.received.push(msg);
		void this.handler.handle(structuredClone(msg) as never);
	}
	terminate() {
		this.terminated = true;
	}
}

function setup(hang = false) {
	const workers: InProcessWorker[] = [];
	const engine = createWebLlmEngine({
		cancelGraceMs: 20,
		createWorker: () => {
			const w = new InProcessWorker(hang);
			workers.push(w);
			return w as unknown as Worker;
		}
	});
	return { engine, workers };
}

const req = {
	modelId: 'a-q4f32_1',
	messages: [{ role: 'user' as const, content: 'x' }],
	sampling: {}
};

describe('createWebLlmEngine', () => {
	test('streams deltas and resolves the full result', async () => {
		const { engine } = setup();
		const deltas: string[] = [];
		const progress: number[] = [];
		await engine.load('a-q4f32_1', { onProgress: (p) => progress.push(p.fraction) });
		const r = await engine.generate(req, { onDelta: (d) => deltas.push(d) });
		expect(deltas).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
		expect(r.text).toBe('abcdef');
		expect(progress.length).toBeGreaterThan(0);
	});

	test('aborting a generate resolves with finishReason "abort" and partial text', async () => {
		const { engine } = setup();
		const ctrl = new AbortController();
		const r = await engine.generate(req, {
			signal: ctrl.signal,
			onDelta: (d) => d === 'b' && ctrl.abort()
		});
		expect(r.finishReason).toBe('abort');
		expect(r.text.length).toBeLessThan(6);
	});

	test('a load that does not stop after cancel gets the worker replaced; records are re-registered', async () => {
		const { engine, workers } = setup(true);
		const rec = { model_id: 'd-q4f32_1', model: 'https://h/d', model_lib: 'https://l/a.wasm' };
		await engine.registerModels([rec]);
		const ctrl = new AbortController();
		const p = engine.load('d-q4f32_1', { signal: ctrl.signal });
		await tick();
		ctrl.abort();
		await expect(p).rejects.toMatchObject({ code: 'aborted' });
		await vi.waitFor(() => expect(workers[0].terminated).toBe(true));
		// the next request builds a fresh worker that first receives the registered records
		expect(await engine.countTokens('a-q4f32_1', 'x')).toBeNull();
		expect(workers).toHaveLength(2);
		expect(workers[1].received[0]).toMatchObject({ type: 'registerModels', records: [rec] });
	});

	test('a worker crash rejects pending requests with an EngineError', async () => {
		const { engine, workers } = setup(true);
		const p = engine.load('a-q4f32_1');
		await tick();
		workers[0].onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
		const e = await p.catch((x: unknown) => x);
		expect(e).toBeInstanceOf(EngineError);
		expect((e as InstanceType<typeof EngineError>).message).toMatch(/boom/);
	});

	test('loadMany keeps several models resident, as residentIds reports', async () => {
		const { engine } = setup();
		await engine.loadMany(['a-q4f32_1', 'b-q4f32_1']);
		expect(await engine.residentIds()).toEqual(['a-q4f32_1', 'b-q4f32_1']);
	});

	test('aborting one of two concurrent generates leaves the other to finish', async () => {
		const { engine } = setup();
		await engine.loadMany(['a-q4f32_1', 'b-q4f32_1']);
		const resident = ['a-q4f32_1', 'b-q4f32_1'];
		const ctrl = new AbortController();
		const [ra, rb] = await Promise.all([
			engine.generate({ ...req, resident }, { signal: ctrl.signal, onDelta: (d) => d === 'b' && ctrl.abort() }),
			engine.generate({ ...req, modelId: 'b-q4f32_1', resident }, { onDelta: () => {} })
		]);
		expect(ra.finishReason).toBe('abort');
		expect(ra.text.length).toBeLessThan(6);
		expect(rb).toMatchObject({ text: 'abcdef', finishReason: 'stop' });
	});

	test('cancelAll stops every generate; each resolves with "abort"', async () => {
		const { engine } = setup();
		await engine.loadMany(['a-q4f32_1', 'b-q4f32_1']);
		const resident = ['a-q4f32_1', 'b-q4f32_1'];
		let first = true;
		const onDelta = () => {
			if (first) void engine.cancelAll();
			first = false;
		};
		const results = await Promise.all([
			engine.generate({ ...req, resident }, { onDelta }),
			engine.generate({ ...req, modelId: 'b-q4f32_1', resident }, { onDelta })
		]);
		expect(results.map((r) => r.finishReason)).toEqual(['abort', 'abort']);
		for (const r of results) expect(r.text.length).toBeLessThan(6);
	});

	test('a generate naming a model that is not resident rejects with "not-resident"', async () => {
		const { engine } = setup();
		await engine.load('a-q4f32_1');
		const e = await engine.generate({ ...req, resident: ['a-q4f32_1', 'b-q4f32_1'] }, { onDelta: () => {} }).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(EngineError);
		expect(e).toMatchObject({ code: 'not-resident' });
		expect(await engine.residentIds()).toEqual(['a-q4f32_1']);
	});
});
