// Covers two first-hour bugs in the state classes, on a REAL IndexedDB test database: a run stopped
// before the engine reported usage keeps the real prompt token count (asked of the engine's own
// tokenizer, as the preview does) instead of storing 0; and a recipe whose user message would be
// empty (no template, no system prompt, no examples) cannot run, with the reason in words.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Engine, GenerateRequest, GenerateResult } from '../../../src/domain/engine/types.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import type { RunSnapshot } from '../../../src/state/ports.ts';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';
import { RunController } from '../../../src/state/run-controller.svelte.ts';
import { dbRunSink } from '../../../src/state/run-sink.ts';

/**
 * Streams one token every 5 ms until aborted, then answers as web-llm's client does for a stopped
 * run: finishReason 'abort' and no usage from the engine, so promptTokens 0. Its tokenizer counts
 * one token per space-separated word (a test input, not the code under test).
 */
class StoppableEngine implements Engine {
	readonly info = { kind: 'webllm' as const, version: 'test' };
	counted: { modelId: string; text: string }[] = [];
	constructor(private tokenizer: boolean) {}
	async load(): Promise<void> {}
	async unload(): Promise<void> {}
	dispose(): void {}
	async countTokens(modelId: string, text: string): Promise<number | null> {
		this.counted.push({ modelId, text });
		return this.tokenizer ? text.split(/\s+/).filter(Boolean).length : null;
	}
	async generate(_r: GenerateRequest, o: { signal?: AbortSignal; onDelta: (d: string) => void }): Promise<GenerateResult> {
		let text = '';
		let n = 0;
		while (!o.signal?.aborted) {
			await new Promise((r) => setTimeout(r, 5));
			text += 'x ';
			n += 1;
			o.onDelta('x ');
		}
		return {
			text,
			finishReason: 'abort',
			stats: { promptTokens: 0, completionTokens: n, timeToFirstTokenMs: 5, totalMs: 5 * n, source: 'measured' }
		};
	}
}

// "You are terse." (3 words) + "Say hello to the world" (5 words) → 8 tokens for the test tokenizer.
const SNAPSHOT: RunSnapshot = {
	engine: { kind: 'webllm', version: 'test' },
	modelId: 'tiny-model',
	recipeVersionId: '',
	recipeId: '',
	recipeName: 'Greeter',
	recipe: { system: 'You are terse.', examples: [], template: 'Say hello to the world', sampling: {}, variableDefaults: {} },
	variables: {},
	messages: [
		{ role: 'system', content: 'You are terse.' },
		{ role: 'user', content: 'Say hello to the world' }
	],
	sampling: {}
};

let db: TuneDb;
let dbName: string;
beforeEach(async () => {
	dbName = `everyday-state-${crypto.randomUUID()}`;
	db = await openDb(dbName);
});
afterEach(async () => {
	db.close();
	await indexedDB.deleteDatabase(dbName);
});

async function stopAfterSomeText(engine: Engine): Promise<RunController> {
	const run = new RunController({ sink: dbRunSink(db) });
	const done = run.run(engine, SNAPSHOT);
	await expect.poll(() => run.output.length, { timeout: 5000 }).toBeGreaterThan(0);
	run.stop();
	await done;
	return run;
}

describe('A stopped run', () => {
	test('stores and shows the prompt token count from the engine tokenizer, not 0', async () => {
		const engine = new StoppableEngine(true);
		const run = await stopAfterSomeText(engine);
		expect(run.phase).toBe('stopped');
		const row = await db.runs.get(run.runId!);
		expect(row?.status).toBe('stopped');
		expect(row?.stats?.promptTokens).toBe(8);
		expect(run.stats?.promptTokens).toBe(8);
		expect(row?.stats?.completionTokens).toBeGreaterThan(0);
		expect(engine.counted[0].modelId).toBe('tiny-model');
	});

	test('without a tokenizer the count stays unknown (0 is what RunStats shows as "unknown")', async () => {
		const run = await stopAfterSomeText(new StoppableEngine(false));
		const row = await db.runs.get(run.runId!);
		expect(row?.status).toBe('stopped');
		expect(row?.stats?.promptTokens).toBe(0);
	});
});

describe('RecipeEditor: an empty user message', () => {
	test('blocks the run with a reason when there is no template, system prompt or example', () => {
		const e = new RecipeEditor();
		expect(e.preview.messages).toEqual([{ role: 'user', content: '' }]);
		expect(e.canRun).toBe(false);
		expect(e.runProblem).toMatch(/user message is empty/i);
	});

	test('blocks a whitespace-only message even with a system prompt; any text lets it run', () => {
		const e = new RecipeEditor();
		e.system = 'Be brief.';
		e.template = '  \n ';
		expect(e.canRun).toBe(false);
		expect(e.runProblem).toMatch(/user message is empty/i);
		e.template = 'Hi';
		expect(e.canRun).toBe(true);
		expect(e.runProblem).toBeNull();
	});

	test('a missing value is still the reason given first', () => {
		const e = new RecipeEditor();
		e.template = '{{text}}';
		expect(e.runProblem).toMatch(/text/);
		expect(e.runProblem).not.toMatch(/empty/);
		e.values.text = 'hello';
		expect(e.runProblem).toBeNull();
	});
});
