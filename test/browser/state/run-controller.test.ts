// Covers RunController against an in-test Engine that streams deltas, writing to REAL IndexedDB
// (a unique test database): the row is created 'running' at start, its output saved while streaming
// at most every PROGRESS_INTERVAL_MS, finished 'done' with stats, 'stopped' on Stop with the partial
// text, 'failed' with the engine's advice on an error; the UI text is batched per animation frame.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { AnswerStats, Engine, GenerateRequest, GenerateResult } from '../../../src/domain/engine/types.ts';
import { EngineError } from '../../../src/domain/engine/errors.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { RunController } from '../../../src/state/run-controller.svelte.ts';
import { dbRunSink } from '../../../src/state/run-sink.ts';
import type { RunSnapshot } from '../../../src/state/ports.ts';

/** A real Engine: emits `tokens` one by one every `intervalMs`, honouring the abort signal. */
class StreamingTestEngine implements Engine {
	readonly info = { kind: 'endpoint' as const, version: 'test' };
	seenRequests: GenerateRequest[] = [];
	emitted = 0;
	constructor(
		private tokens: string[],
		private intervalMs: number,
		private failAfter: number | null = null
	) {}
	async load(): Promise<void> {}
	async countTokens(): Promise<number | null> {
		return null;
	}
	async unload(): Promise<void> {}
	dispose(): void {}
	async generate(request: GenerateRequest, opts: { signal?: AbortSignal; onDelta: (d: string) => void }): Promise<GenerateResult> {
		this.seenRequests.push(request);
		const t0 = performance.now();
		let text = '';
		for (let i = 0; i < this.tokens.length; i++) {
			await new Promise((r) => setTimeout(r, this.intervalMs));
			if (opts.signal?.aborted) return { text, finishReason: 'abort', stats: stats(i, t0) };
			if (this.failAfter !== null && i === this.failAfter) {
				throw new EngineError('out-of-memory', 'The GPU ran out of memory.', 'Pick a smaller model.');
			}
			text += this.tokens[i];
			this.emitted += 1;
			opts.onDelta(this.tokens[i]);
		}
		return { text, finishReason: 'stop', stats: stats(this.tokens.length, t0) };
	}
}

function stats(completionTokens: number, t0: number): AnswerStats {
	return { promptTokens: 7, completionTokens, timeToFirstTokenMs: 1, totalMs: performance.now() - t0, source: 'measured' };
}

const SNAPSHOT: RunSnapshot = {
	engine: { kind: 'endpoint', version: 'test' },
	modelId: 'test-model',
	recipeVersionId: 'rv1',
	recipeId: 'r1',
	recipeName: 'Greeter',
	recipe: { system: '', examples: [], template: 'Hi {{who}}', sampling: {}, variableDefaults: {} },
	variables: { who: 'there' },
	messages: [{ role: 'user', content: 'Hi there' }],
	sampling: { temperature: 0 }
};

let db: TuneDb;
let dbName: string;
beforeEach(async () => {
	dbName = `run-controller-test-${crypto.randomUUID()}`;
	db = await openDb(dbName);
});
afterEach(async () => {
	db.close();
	await indexedDB.deleteDatabase(dbName);
});

describe('RunController', () => {
	test('creates a running row at start and finishes it as done with the full text and stats', async () => {
		const tokens = Array.from({ length: 20 }, (_, i) => `t${i} `);
		const engine = new StreamingTestEngine(tokens, 5);
		const run = new RunController({ sink: dbRunSink(db) });
		const done = run.run(engine, SNAPSHOT);

		await expect.poll(() => run.runId).not.toBeNull();
		const started = await db.runs.get(run.runId!);
		expect(started?.status).toBe('running');
		expect(started?.modelId).toBe('test-model');
		expect(started?.messages).toEqual(SNAPSHOT.messages);

		await done;
		const row = await db.runs.get(run.runId!);
		expect(row?.status).toBe('done');
		expect(row?.output).toBe(tokens.join(''));
		expect(row?.stats?.completionTokens).toBe(20);
		expect(row?.endedAt).toBeGreaterThan(0);
		expect(run.phase).toBe('done');
		expect(run.output).toBe(tokens.join(''));
		expect(run.markdownSource).toBe(tokens.join(''));
		expect(engine.seenRequests[0].modelId).toBe('test-model');
	});

	test('saves partial output while streaming (a reader sees text before the end)', async () => {
		const tokens = Array.from({ length: 40 }, (_, i) => `w${i} `);
		const engine = new StreamingTestEngine(tokens, 30); // ~1.2 s, so at least one 500 ms save
		const run = new RunController({ sink: dbRunSink(db) });
		const done = run.run(engine, SNAPSHOT);
		await expect
			.poll(async () => (run.runId ? ((await db.runs.get(run.runId))?.output.length ?? 0) : 0), { timeout: 5000 })
			.toBeGreaterThan(0);
		const mid = await db.runs.get(run.runId!);
		expect(mid?.status).toBe('running');
		expect(tokens.join('').startsWith(mid!.output)).toBe(true);
		expect(mid!.output.length).toBeLessThan(tokens.join('').length);
		await done;
	});

	test('Stop ends the run as stopped with the text received so far', async () => {
		const tokens = Array.from({ length: 200 }, (_, i) => `s${i} `);
		const engine = new StreamingTestEngine(tokens, 5);
		const run = new RunController({ sink: dbRunSink(db) });
		const done = run.run(engine, SNAPSHOT);
		await expect.poll(() => run.output.length, { timeout: 5000 }).toBeGreaterThan(0);
		run.stop();
		await done;
		const row = await db.runs.get(run.runId!);
		expect(row?.status).toBe('stopped');
		expect(row!.output.length).toBeGreaterThan(0);
		expect(row!.output.length).toBeLessThan(tokens.join('').length);
		expect(tokens.join('').startsWith(row!.output)).toBe(true);
		expect(run.phase).toBe('stopped');
	});

	test('an engine error ends the run as failed with its message and advice', async () => {
		const engine = new StreamingTestEngine(['a', 'b', 'c', 'd'], 2, 2);
		const run = new RunController({ sink: dbRunSink(db) });
		await run.run(engine, SNAPSHOT);
		const row = await db.runs.get(run.runId!);
		expect(row?.status).toBe('failed');
		expect(row?.output).toBe('ab');
		expect(row?.error).toEqual({ code: 'out-of-memory', message: 'The GPU ran out of memory.' });
		expect(run.error).toMatchObject({ message: 'The GPU ran out of memory.', advice: 'Pick a smaller model.' });
		expect(run.phase).toBe('failed');
	});

	test('deltas reach the UI state once per frame, not once per token', async () => {
		const frames: (() => void)[] = [];
		const tokens = Array.from({ length: 100 }, (_, i) => `f${i} `);
		const engine = new StreamingTestEngine(tokens, 5);
		const run = new RunController({ sink: dbRunSink(db), frame: (cb) => frames.push(cb) });
		const done = run.run(engine, SNAPSHOT);
		await expect.poll(() => engine.emitted).toBeGreaterThanOrEqual(3);
		expect(frames).toHaveLength(1); // one frame queued for several deltas
		expect(run.output).toBe(''); // nothing shown until the frame runs
		const shownAt = engine.emitted;
		frames.shift()!();
		expect(run.output.length).toBeGreaterThanOrEqual(tokens.slice(0, shownAt).join('').length);
		expect(tokens.join('').startsWith(run.output)).toBe(true);
		run.stop();
		await done;
	});

	test('a second run while one is running is ignored', async () => {
		const engine = new StreamingTestEngine(['a', 'b', 'c'], 10);
		const run = new RunController({ sink: dbRunSink(db) });
		const first = run.run(engine, SNAPSHOT);
		await run.run(engine, SNAPSHOT);
		await first;
		expect(engine.seenRequests).toHaveLength(1);
		expect(await db.runs.count()).toBe(1);
	});
});
