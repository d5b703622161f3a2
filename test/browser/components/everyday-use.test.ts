// Covers the first-hour bugs of the playground as a user meets them: the endpoint form shows the
// saved settings after a reload (EngineState on a REAL IndexedDB test database, mounted before
// start() as App.svelte does); an adapter's own problems are listed in the inspector without any
// downloaded base; a stopped answer says "Stopped" and an unknown prompt count is not shown as 0;
// an empty user message blocks Run with its reason; an unclosed "{{" is reported once.
import { afterEach, describe, expect, test } from 'vitest';
import { flushSync } from 'svelte';
import AdapterReportView from '../../../src/components/adapters/AdapterReportView.svelte';
import RecipePane from '../../../src/components/recipe/RecipePane.svelte';
import RunOutput from '../../../src/components/run/RunOutput.svelte';
import RunPane from '../../../src/components/run/RunPane.svelte';
import RunStats from '../../../src/components/run/RunStats.svelte';
import type { AdapterConfig, AdapterReport } from '../../../src/domain/lora/index.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { EngineState } from '../../../src/state/engine.svelte.ts';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';
import { RecipesState } from '../../../src/state/recipes.svelte.ts';
import { RunController } from '../../../src/state/run-controller.svelte.ts';
import { SWIFTSHADER_PROBE, TestLocalEngine, TestRemoteEngine } from '../state/test-engines.ts';
import EnginePickerHarness from './EnginePickerHarness.svelte';
import PaneHarness from './PaneHarness.svelte';
import { button, byLabel, render, typeInto } from './helpers.ts';

const opened: { db: TuneDb; name: string; states: { destroy(): void }[] }[] = [];
afterEach(async () => {
	for (const o of opened.splice(0)) {
		for (const s of o.states) s.destroy();
		o.db.close();
		await indexedDB.deleteDatabase(o.name);
	}
});

async function testDb(): Promise<{ db: TuneDb; states: { destroy(): void }[] }> {
	const name = `everyday-${crypto.randomUUID()}`;
	const entry = { db: await openDb(name), name, states: [] as { destroy(): void }[] };
	opened.push(entry);
	return entry;
}

function engineOn(t: { db: TuneDb; states: { destroy(): void }[] }): EngineState {
	const state = new EngineState({
		db: t.db,
		createLocal: async () => new TestLocalEngine(),
		createRemote: async (s) => new TestRemoteEngine(s, ['tiny']),
		probeGpu: async () => SWIFTSHADER_PROBE,
		storageEstimate: async () => ({ usageBytes: null, quotaBytes: null, persisted: null }),
		requestPersistence: async () => false
	});
	t.states.push(state);
	return state;
}

const SAVED = { baseUrl: 'http://localhost:8000/v1', apiKey: 'sk-test', model: 'tiny' };

describe('Endpoint settings after a reload', () => {
	test('the form shows the saved base URL, key and model that runs will use, and Save stays off until something changes', async () => {
		const t = await testDb();
		const first = engineOn(t);
		await first.start();
		await first.setKind('endpoint');
		await first.saveEndpoint(SAVED);

		// the reload: a new state on the same database, mounted before start() reads the settings
		const engine = engineOn(t);
		const root = render(EnginePickerHarness, { engine });
		await engine.start();
		flushSync();
		expect(engine.blockedReason).toBeNull();
		expect((byLabel(root, 'Base URL') as HTMLInputElement).value).toBe(SAVED.baseUrl);
		expect((byLabel(root, 'API key') as HTMLInputElement).value).toBe(SAVED.apiKey);
		expect((byLabel(root, 'Model name') as HTMLInputElement).value).toBe(SAVED.model);
		expect(button(root, 'Save endpoint').disabled).toBe(true);

		// typing a change enables Save; typing the saved value back disables it again
		typeInto(byLabel(root, 'Model name'), 'other');
		expect(button(root, 'Save endpoint').disabled).toBe(false);
		typeInto(byLabel(root, 'Model name'), SAVED.model);
		expect(button(root, 'Save endpoint').disabled).toBe(true);
	});

	test('settings written to the database later (an import) are shown once the state reads them again', async () => {
		const t = await testDb();
		const engine = engineOn(t);
		const root = render(EnginePickerHarness, { engine });
		await engine.start();
		await engine.setKind('endpoint');
		flushSync();
		expect((byLabel(root, 'Base URL') as HTMLInputElement).value).toBe('');
		expect((await engine.current()).info.version).toBe(''); // an engine built for the old settings
		// what an import writes: the settings rows; then the state reads them again
		await t.db.settings.put({ key: 'endpoint', value: { baseUrl: 'http://127.0.0.1:9000/v1', model: 'm2' } });
		await engine.reloadSettings();
		flushSync();
		expect((byLabel(root, 'Base URL') as HTMLInputElement).value).toBe('http://127.0.0.1:9000/v1');
		expect((byLabel(root, 'Model name') as HTMLInputElement).value).toBe('m2');
		expect(engine.runModelId).toBe('m2');
		expect((await engine.current()).info.version).toBe('http://127.0.0.1:9000/v1');
	});
});

/** The report the inspector gives for adapter_config.json r: 64 over rank-4 tensors (no module survives). */
function mismatchedRankReport(): AdapterReport {
	const problem = 'base_model.model.model.layers.0.self_attn.q_proj: A is [4,64] and B is [64,4] but the config says rank 64';
	return {
		config: { r: 64, loraAlpha: 16, baseModelNameOrPath: 'TinyOrg/TinyLlama' } as unknown as AdapterConfig,
		baseModelNameOrPath: 'TinyOrg/TinyLlama',
		modules: [],
		targets: [],
		layers: [],
		dtypes: ['F32'],
		tensorBytes: 2048,
		paramCount: 512,
		minScaling: 0,
		maxScaling: 0,
		fullTensors: [],
		problems: [problem, 'a second problem of the adapter itself'],
		warnings: []
	};
}

describe('The adapter inspector without a downloaded base', () => {
	test('lists every problem of the adapter at once, and shows no made-up scaling of 0', () => {
		const root = render(AdapterReportView, { report: mismatchedRankReport(), verdict: null });
		const alert = root.querySelector('[aria-label="Problems with this adapter"]');
		expect(alert?.getAttribute('role')).toBe('alert');
		const items = [...(alert?.querySelectorAll('li') ?? [])].map((li) => li.textContent?.trim());
		expect(items).toEqual([mismatchedRankReport().problems[0], 'a second problem of the adapter itself']);
		const scaling = [...root.querySelectorAll('dt')].find((dt) => dt.textContent === 'Scaling')?.nextElementSibling;
		expect(scaling?.textContent).not.toMatch(/^0/);
		expect(scaling?.textContent).toContain('—');
	});
});

describe('A stopped answer', () => {
	test('the answer pane says it was stopped', () => {
		const root = render(RunOutput, { text: 'Half an ans', markdownSource: 'Half an ans', streaming: false, stopped: true });
		expect(root.querySelector('[aria-label="Answer"]')?.textContent).toContain('Stopped');
	});

	test('a prompt count the engine did not report reads "unknown", not 0', () => {
		const root = render(RunStats, {
			stats: { promptTokens: 0, completionTokens: 3, timeToFirstTokenMs: 100, totalMs: 400, source: 'measured' }
		});
		const dd = [...root.querySelectorAll('dt')].find((dt) => dt.textContent === 'Prompt tokens')?.nextElementSibling;
		expect(dd?.textContent).toBe('unknown');
	});
});

describe('Run with an empty user message', () => {
	test('Run is disabled and says the user message is empty (no template, system prompt or examples)', async () => {
		const t = await testDb();
		const engine = engineOn(t);
		await engine.start();
		await engine.setKind('endpoint');
		await engine.saveEndpoint(SAVED);
		const editor = new RecipeEditor();
		const run = new RunController({ sink: { start: async () => 'x', progress: async () => {}, finish: async () => {} } });
		const root = render(PaneHarness, { engine, editor, run, pane: RunPane, paneProps: { onRun: () => {} } });
		expect(button(root, 'Run').disabled).toBe(true);
		expect(root.textContent).toMatch(/user message is empty/i);
		editor.template = 'Hello';
		flushSync();
		expect(button(root, 'Run').disabled).toBe(false);
	});
});

describe('An unclosed "{{" in the template', () => {
	test('is reported once, next to the template', async () => {
		const t = await testDb();
		const editor = new RecipeEditor();
		const recipes = new RecipesState(t.db, editor);
		t.states.push(recipes);
		const root = render(PaneHarness, { editor, recipes, pane: RecipePane });
		typeInto(byLabel(root, 'User message template'), 'Hello {{name');
		const text = root.textContent ?? '';
		expect(text.match(/Unclosed "\{\{"/g)).toHaveLength(1);
	});
});

/**
 * An OpenAI-compatible server as fetch sees it (a test input): GET /v1/models lists two models for
 * the key "sk-good", answers 401 without it and 404 on any other path; host down.test is unreachable.
 */
const server = (async (input: RequestInfo | URL, init?: RequestInit) => {
	const url = new URL(String(input));
	if (url.hostname === 'down.test') throw new TypeError('Failed to fetch');
	if (url.pathname !== '/v1/models') return new Response('Not Found', { status: 404 });
	if (new Headers(init?.headers).get('authorization') !== 'Bearer sk-good') {
		return new Response('{"error":"invalid api key"}', { status: 401 });
	}
	return Response.json({ object: 'list', data: [{ id: 'qwen-small' }, { id: 'llama-tiny' }] });
}) as typeof fetch;

async function engineWithServer(): Promise<EngineState & { db: TuneDb }> {
	const t = await testDb();
	const { createEndpointEngine } = await import('../../../src/engines/openai-endpoint.ts');
	const state = new EngineState({
		db: t.db,
		createLocal: async () => new TestLocalEngine(),
		createRemote: async (s) => createEndpointEngine({ ...s, fetch: server }),
		probeGpu: async () => SWIFTSHADER_PROBE,
		storageEstimate: async () => ({ usageBytes: null, quotaBytes: null, persisted: null }),
		requestPersistence: async () => false
	});
	t.states.push(state);
	await state.start();
	await state.setKind('endpoint');
	return Object.assign(state, { db: t.db });
}

describe('Test connection', () => {
	test('lists the server models as buttons; picking one and saving stores URL, key and model in one save', async () => {
		const engine = await engineWithServer();
		const root = render(EnginePickerHarness, { engine });
		typeInto(byLabel(root, 'Base URL'), 'http://srv.test/v1');
		typeInto(byLabel(root, 'API key'), 'sk-good');
		button(root, 'Test connection').click();
		await expect.poll(() => root.querySelectorAll('[aria-label="Models on this server"] button').length).toBe(2);
		expect(engine.endpoint.baseUrl).toBe(''); // testing saves nothing
		button(root, 'llama-tiny').click();
		flushSync();
		expect((byLabel(root, 'Model name') as HTMLInputElement).value).toBe('llama-tiny');
		button(root, 'Save endpoint').click();
		await expect.poll(async () => (await engine.db.settings.get('endpointApiKey'))?.value).toBe('sk-good');
		expect((await engine.db.settings.get('endpoint'))?.value).toEqual({ baseUrl: 'http://srv.test/v1', model: 'llama-tiny' });
		expect(engine.endpoint).toEqual({ baseUrl: 'http://srv.test/v1', apiKey: 'sk-good', model: 'llama-tiny' });
	});

	test.each([
		['a missing or wrong key (401)', 'http://srv.test/v1', 'sk-bad', /refused the request \(HTTP 401\).*API key/],
		['a wrong path (404)', 'http://srv.test/api', '', /no model list there \(HTTP 404\).*ends in \/v1/],
		['an unreachable server', 'http://down.test/v1', '', /Could not reach http:\/\/down\.test\/v1\..*server is running/]
	])('reports %s in words', async (_case, url, key, expected) => {
		const engine = await engineWithServer();
		const root = render(EnginePickerHarness, { engine });
		typeInto(byLabel(root, 'Base URL'), url);
		typeInto(byLabel(root, 'API key'), key);
		button(root, 'Test connection').click();
		await expect.poll(() => root.querySelector('[role=alert]')?.textContent ?? '').toMatch(expected);
	});
});

describe('Variable defaults', () => {
	test('a default typed in the form fills an empty value, is saved with the recipe content, and can be cleared', async () => {
		const t = await testDb();
		const editor = new RecipeEditor();
		const recipes = new RecipesState(t.db, editor);
		t.states.push(recipes);
		const root = render(PaneHarness, { editor, recipes, pane: RecipePane });
		typeInto(byLabel(root, 'User message template'), 'Translate {{text}} into {{lang}}');
		typeInto(byLabel(root, 'text'), 'cat');
		typeInto(byLabel(root, 'Default for lang'), 'French');
		expect(editor.content.variableDefaults).toEqual({ lang: 'French' });
		expect(editor.preview.messages.at(-1)?.content).toBe('Translate cat into French');
		typeInto(byLabel(root, 'lang'), 'German');
		expect(editor.preview.messages.at(-1)?.content).toBe('Translate cat into German');
		typeInto(byLabel(root, 'Default for lang'), '');
		expect(editor.content.variableDefaults).toEqual({});
	});
});
