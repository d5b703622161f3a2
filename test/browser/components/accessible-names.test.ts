// Covers: every input, select, textarea and button on the page has an accessible name (aria-
// labelledby, aria-label, a label — for= or wrapping — or, for buttons, their text), in the
// app's states: models idle with a cached model, a model loading, a saved recipe with an example,
// variables and a sampling problem, a finished answer, history with a run opened and a failed
// import, the endpoint engine, and no WebGPU. The panels are those App.svelte lays out (see
// AppPanels.svelte), built on a REAL IndexedDB test database. A control case proves the checker
// flags unnamed controls.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { flushSync } from 'svelte';
import type { GenerateRequest, GenerateResult } from '../../../src/domain/engine/types.ts';
import { loadCatalog } from '../../../src/domain/catalog/load-catalog.ts';
import type { GpuProbe } from '../../../src/domain/gpu/types.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { startRun, finishRun } from '../../../src/storage/repos/runs.ts';
import { AdaptersState, browserAdaptersDeps } from '../../../src/state/adapters.svelte.ts';
import { CatalogState } from '../../../src/state/catalog.svelte.ts';
import { EngineState } from '../../../src/state/engine.svelte.ts';
import { HistoryState } from '../../../src/state/history.svelte.ts';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';
import { RecipesState } from '../../../src/state/recipes.svelte.ts';
import { RunController } from '../../../src/state/run-controller.svelte.ts';
import { dbRunSink } from '../../../src/state/run-sink.ts';
import { snapshotForRun } from '../../../src/state/run-snapshot.ts';
import { NO_WEBGPU_PROBE, SWIFTSHADER_PROBE, TestLocalEngine, TestRemoteEngine } from '../state/test-engines.ts';
import AppPanels from './AppPanels.svelte';
import { render } from './helpers.ts';

/** The label's own text, without the text of controls inside it (a select's options are no name). */
function labelText(label: HTMLLabelElement): string {
	const copy = label.cloneNode(true) as HTMLElement;
	for (const c of copy.querySelectorAll('input, select, textarea, button')) c.remove();
	return copy.textContent?.trim() ?? '';
}

/** A small accessible-name computation: the sources ARIA's accname gives these elements, in order. */
function accessibleName(el: HTMLElement): string {
	const ids = el.getAttribute('aria-labelledby');
	if (ids) {
		const text = ids
			.split(/\s+/)
			.map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
			.join(' ')
			.trim();
		if (text) return text;
	}
	const aria = el.getAttribute('aria-label')?.trim();
	if (aria) return aria;
	if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) {
		const text = [...(el.labels ?? [])].map(labelText).join(' ').trim();
		if (text) return text;
		if (el instanceof HTMLInputElement && ['button', 'submit', 'reset'].includes(el.type) && el.value.trim()) return el.value.trim();
	}
	if (el instanceof HTMLButtonElement && el.textContent?.trim()) return el.textContent.trim();
	return el.getAttribute('title')?.trim() ?? '';
}

/** Descriptions of the controls under `root` with no accessible name. */
function unnamedControls(root: HTMLElement): string[] {
	return [...root.querySelectorAll<HTMLElement>('input, select, textarea, button')]
		.filter((el) => accessibleName(el) === '')
		.map((el) => el.outerHTML.slice(0, 160));
}

let db: TuneDb;
let name: string;
const cleanups: (() => void)[] = [];
beforeEach(async () => {
	name = `a11y-test-${crypto.randomUUID()}`;
	db = await openDb(name);
});
afterEach(async () => {
	while (cleanups.length) cleanups.pop()!();
	db.close();
	await indexedDB.deleteDatabase(name);
});

/** A local engine whose answers are a fixed Markdown text. */
class AnsweringEngine extends TestLocalEngine {
	override async generate(_: GenerateRequest, opts: { signal?: AbortSignal; onDelta: (d: string) => void }): Promise<GenerateResult> {
		opts.onDelta('**Hello** there');
		return {
			text: '**Hello** there',
			finishReason: 'stop',
			stats: { promptTokens: 9, completionTokens: 3, timeToFirstTokenMs: 5, totalMs: 20, source: 'measured' }
		};
	}
}

/** Builds every state on the test db, as App.svelte does, and mounts the panels. */
async function mountApp(probe: GpuProbe = SWIFTSHADER_PROBE) {
	const local = new AnsweringEngine();
	local.cache.set('SmolLM2-360M-Instruct-q4f32_1-MLC', 300_000_000);
	const engine = new EngineState({
		db,
		createLocal: async () => local,
		createRemote: async (s) => new TestRemoteEngine(s, ['remote-model']),
		probeGpu: async () => probe,
		storageEstimate: async () => ({ usageBytes: 1e9, quotaBytes: 1e10, persisted: false }),
		requestPersistence: async () => true
	});
	const catalog = new CatalogState(db, engine);
	const editor = new RecipeEditor();
	const recipes = new RecipesState(db, editor);
	const run = new RunController({ sink: dbRunSink(db) });
	const history = new HistoryState(db);
	const adapters = new AdaptersState(browserAdaptersDeps(db, catalog, engine));
	cleanups.push(() => {
		run.destroy();
		history.destroy();
		recipes.destroy();
		engine.destroy();
	});
	await engine.start();
	await catalog.start(loadCatalog);
	recipes.start();
	await history.start();
	const root = render(AppPanels, { engine, catalog, editor, recipes, run, history, adapters });
	const settle = async () => {
		await new Promise((r) => setTimeout(r, 50));
		flushSync();
		for (const d of root.querySelectorAll('details')) d.open = true;
	};
	await settle();
	return { root, engine, catalog, editor, recipes, run, history, local, settle };
}

describe('accessible names', () => {
	test('control: the checker flags unnamed controls and accepts named ones', () => {
		const root = document.createElement('div');
		root.innerHTML = `
			<input id="bare"><label><select><option>only an option</option></select></label><button><svg></svg></button>
			<label for="x">Named by for</label><input id="x"><label>Wrapped <textarea></textarea></label>
			<button aria-label="Close dialog">✕</button><span id="lbl">Via labelledby</span><select aria-labelledby="lbl"></select>`;
		document.body.append(root);
		try {
			expect(unnamedControls(root)).toHaveLength(3);
			expect(
				[...root.querySelectorAll<HTMLElement>('#x, textarea, button[aria-label], select[aria-labelledby]')].map(accessibleName)
			).toEqual(['Named by for', 'Wrapped', 'Close dialog', 'Via labelledby']);
		} finally {
			root.remove();
		}
	});

	test('in this browser: models, a saved recipe with examples and variables, an answer, history with a run open', async () => {
		const app = await mountApp();
		expect(app.root.querySelectorAll('input[type=radio]').length).toBeGreaterThan(20); // the catalog is listed
		expect(app.engine.cached.length).toBe(1);

		app.editor.name = 'Translator';
		app.editor.system = 'Translate to English.';
		app.editor.addExample();
		app.editor.template = 'Translate: {{text}} ({{tone}})';
		app.editor.values.text = 'Hallo';
		app.editor.values.tone = 'polite';
		await app.recipes.save();
		app.editor.sampling.temperature = 'hot'; // a sampling problem shows
		const loading = app.engine.load(app.catalog.selectedId!);
		await expect.poll(() => app.local.pending.length).toBe(1);
		app.local.pending[0].finish();
		await loading;
		app.editor.sampling.temperature = '';
		const current = await app.engine.current();
		await app.run.run(current, snapshotForRun(app.editor, app.recipes.versionId, current.info, app.engine.runModelId!, app.engine.probe));
		app.editor.sampling.temperature = 'hot';

		const old = await startRun(db, snapshotForRun(app.editor, null, current.info, 'm', null), 1);
		await finishRun(db, old.id, { status: 'failed', output: '', error: { code: 'network', message: 'offline' } }, 2);
		await expect.poll(() => app.history.runs.length).toBe(2);
		await app.history.open(old.id);
		await app.history.importFile('not json');
		await app.settle();

		// The states this test set out to show are really on the page.
		const text = app.root.textContent!;
		for (const shown of ['Downloaded models', 'Example 1', 'is not a number', 'Messages sent', 'Import failed', 'LoRA adapters']) {
			expect(app.root.innerHTML, shown).toContain(shown);
		}
		expect(text).toContain('Hello');
		expect(app.root.querySelector('[aria-label="Answer statistics"]')).not.toBeNull();
		expect(app.root.querySelectorAll('input, select, textarea, button').length).toBeGreaterThan(60);
		expect(unnamedControls(app.root)).toEqual([]);
	});

	test('while a model loads (Cancel, progress)', async () => {
		const app = await mountApp();
		void app.engine.load(app.catalog.selectedId!);
		await expect.poll(() => app.local.pending.length).toBe(1);
		app.local.pending[0].onProgress!({ fraction: 0.3, loadedBytes: 30, totalBytes: 100, etaSeconds: 4, text: 'Fetching' });
		await app.settle();
		expect(app.root.textContent).toContain('Cancel loading');
		expect(unnamedControls(app.root)).toEqual([]);
		app.engine.cancelLoad();
	});

	test('with the endpoint engine', async () => {
		const app = await mountApp();
		await app.engine.setKind('endpoint');
		await app.engine.saveEndpoint({ baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'k', model: 'remote-model' });
		await app.settle();
		expect(app.root.querySelector('form[aria-label="Endpoint settings"]')).not.toBeNull();
		expect(unnamedControls(app.root)).toEqual([]);
	});

	test('without WebGPU', async () => {
		const app = await mountApp(NO_WEBGPU_PROBE);
		expect(app.root.textContent).toContain('Use an OpenAI-compatible endpoint');
		expect(unnamedControls(app.root)).toEqual([]);
	});
});
