// Shared steps for the end-to-end specs: open the app, point it at the local OpenAI test server,
// write a recipe, run and wait. Uses only the page's roles and labels (what a user sees).
// Imports nothing from src/: the specs drive the built app as a user would.
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { TEST_SERVER_PORT } from './ports.ts';

/** The OpenAI-compatible test server started by playwright.config.ts (see test/server). */
export const TEST_SERVER_URL = `http://localhost:${TEST_SERVER_PORT}/v1`;

/** A recipe as the user types it. */
export interface RecipeInput {
	name: string;
	system: string;
	example: { user: string; assistant: string };
	template: string;
	values: Record<string, string>;
}

/** The recipe most specs use: a system prompt, one few-shot example, two {{variables}}. */
export const TRANSLATE_RECIPE: RecipeInput = {
	name: 'Translate',
	system: 'You translate short phrases.',
	example: { user: 'Translate cat to French', assistant: 'chat' },
	template: 'Translate {{word}} to {{language}}',
	values: { word: 'sunflower', language: 'Portuguese' }
};

/** Opens the app on the playground and waits until it has started (see waitForStart). */
export async function openApp(page: Page): Promise<void> {
	await page.goto('/#/playground');
	await waitForStart(page);
}

/**
 * Waits until the app has read its saved settings and the model list (main stops being aria-busy).
 * Changing the engine before that is overwritten by the saved setting (reported to the lead).
 */
export async function waitForStart(page: Page): Promise<void> {
	await expect(page.getByRole('heading', { name: 'Tune or Prompt', level: 1 })).toBeVisible();
	await expect(page.locator('main')).toHaveAttribute('aria-busy', 'false');
}

/** Goes to one of the app's places (Experiment, Playground, Models, Adapters, Test sets, History). */
export async function openPlace(page: Page, name: string): Promise<void> {
	await page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name, exact: true }).click();
	await expect(page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name, exact: true })).toHaveAttribute(
		'aria-current',
		'page'
	);
}

/** Switches to the OpenAI-compatible endpoint engine and saves its settings. */
export async function useEndpoint(page: Page, opts: { model?: string; baseUrl?: string; apiKey?: string } = {}): Promise<void> {
	await page.getByRole('combobox', { name: 'Engine' }).selectOption('endpoint');
	const form = page.getByRole('form', { name: 'Endpoint settings' });
	await form.getByLabel('Base URL').fill(opts.baseUrl ?? TEST_SERVER_URL);
	if (opts.apiKey !== undefined) await form.getByLabel('API key (optional)').fill(opts.apiKey);
	await form.getByLabel('Model name', { exact: true }).fill(opts.model ?? 'echo');
	await form.getByRole('button', { name: 'Save endpoint' }).click();
	await expect(form.getByRole('button', { name: 'Save endpoint' })).toBeDisabled();
}

/** Changes only the endpoint model name (settings already saved once). */
export async function setEndpointModel(page: Page, model: string): Promise<void> {
	const form = page.getByRole('form', { name: 'Endpoint settings' });
	await form.getByLabel('Model name', { exact: true }).fill(model);
	await form.getByRole('button', { name: 'Save endpoint' }).click();
	await expect(form.getByRole('button', { name: 'Save endpoint' })).toBeDisabled();
}

/** The recipe pane (left column). */
export function recipePane(page: Page): Locator {
	return page.getByRole('region', { name: 'Recipe' });
}

/** Types a recipe into the editor and fills its variable form. */
export async function writeRecipe(page: Page, r: RecipeInput): Promise<void> {
	const pane = recipePane(page);
	await pane.getByLabel('Recipe name').fill(r.name);
	await pane.getByLabel('System prompt').fill(r.system);
	await pane.getByRole('button', { name: 'Add example' }).click();
	await pane.getByLabel('Example 1: user').fill(r.example.user);
	await pane.getByLabel('Example 1: assistant').fill(r.example.assistant);
	await pane.getByLabel('User message template').fill(r.template);
	const values = pane.getByRole('group', { name: 'Values' });
	for (const [name, value] of Object.entries(r.values)) {
		await values.getByLabel(name, { exact: true }).fill(value);
	}
}

/** Saves the recipe in the editor as a new recipe and waits until it shows as version 1. */
export async function saveRecipe(page: Page): Promise<void> {
	const pane = recipePane(page);
	await pane.getByRole('button', { name: 'Save recipe' }).click();
	await expect(pane.getByRole('combobox', { name: 'Version' })).toHaveValue('1');
}

/** Replaces each {{name}} in a template with its value (the test's own reference rendering). */
export function fillTemplate(template: string, values: Record<string, string>): string {
	return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}

/** The answer pane (Run/Stop, output, stats). */
export function answerPane(page: Page): Locator {
	// The output area inside it is also a region named "Answer"; the pane is the one with the heading.
	return page.getByRole('region', { name: 'Answer', exact: true }).filter({ has: page.getByRole('heading', { name: 'Answer', level: 2 }) });
}

/** The history pane. */
export function historyPane(page: Page): Locator {
	return page.getByRole('region', { name: 'History' });
}

/** Presses Ctrl+Enter (the run shortcut) wherever the focus is (usually the last field typed in). */
export async function runByKeyboard(page: Page): Promise<void> {
	await page.keyboard.press('Control+Enter');
}

/**
 * Starts a run on a long answer (endpoint model 'slow-…'), waits until it is streaming its own
 * words (the Stop button is shown, so the previous answer has been cleared), then stops it with Esc.
 */
export async function runAndStopWithEsc(page: Page): Promise<void> {
	const pane = answerPane(page);
	await runByKeyboard(page);
	await expect(pane.getByRole('button', { name: /^Stop/ })).toBeVisible();
	await expect(pane).toContainText('alpha');
	await page.keyboard.press('Escape');
	await expect(pane.getByRole('button', { name: /^Run/ })).toBeVisible();
}

/** Waits until the run has finished (the Run button is back) and stats are shown. */
export async function waitForDone(page: Page): Promise<void> {
	const pane = answerPane(page);
	await expect(pane.getByRole('button', { name: /^Run/ })).toBeVisible({ timeout: 30_000 });
	await expect(pane.getByText('Completion tokens')).toBeVisible();
}

/** The history list's items. */
export function historyRuns(page: Page): Locator {
	return historyPane(page).getByRole('list', { name: 'Runs' }).getByRole('listitem');
}

/** web-llm's Cache API scope for a model file: the chat config has its own, the rest is 'webllm/model'. */
export function webLlmScopeOf(fileName: string): 'webllm/config' | 'webllm/model' {
	return fileName === 'mlc-chat-config.json' ? 'webllm/config' : 'webllm/model';
}

/**
 * Writes files into the page's Cache Storage the way a finished web-llm download leaves them: each
 * as a 200 Response under `new URL(name, folderUrl)` in its scope (webllm-lora-facts.md §1–2), the
 * shards first and tensor-cache.json and mlc-chat-config.json last.
 */
export async function putInWebLlmCache(page: Page, folderUrl: string, files: ReadonlyMap<string, Uint8Array>): Promise<void> {
	const last = ['tensor-cache.json', 'mlc-chat-config.json'];
	const order = [...files.keys()].sort((a, b) => Number(last.includes(a)) - Number(last.includes(b)));
	const entries = order.map((name) => ({
		url: new URL(name, folderUrl).href,
		scope: webLlmScopeOf(name),
		base64: Buffer.from(files.get(name)!).toString('base64')
	}));
	await page.evaluate(async (list) => {
		for (const e of list) {
			const bytes = Uint8Array.from(atob(e.base64), (c) => c.charCodeAt(0));
			await (await caches.open(e.scope)).put(e.url, new Response(bytes, { status: 200 }));
		}
	}, entries);
}

/**
 * Records every request whose host is not localhost, made by the page, its workers or its service
 * worker (context-wide route and request event), and aborts it.
 */
export async function recordOutsideRequests(context: BrowserContext): Promise<string[]> {
	const outside: string[] = [];
	const isOutside = (url: string) => {
		const u = new URL(url);
		return /^(https?|wss?):$/.test(u.protocol) && !['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
	};
	context.on('request', (req) => {
		if (isOutside(req.url()) && !outside.includes(req.url())) outside.push(req.url());
	});
	await context.route('**', (route) => {
		const url = route.request().url();
		if (!isOutside(url)) return route.fallback();
		if (!outside.includes(url)) outside.push(url);
		return route.abort('internetdisconnected');
	});
	return outside;
}

/**
 * Opens the app on the endpoint's 'slow-2000' model (2,000 tokens at 200 tokens/s), saves a plain
 * and an "engineered" recipe, adds a one-item test set and builds the pair (the model as the base
 * and under a vLLM adapter name), then shows the side-by-side tab.
 */
export async function openSlowPairSideBySide(page: Page): Promise<void> {
	await openApp(page);
	await useEndpoint(page, { model: 'slow-2000' });
	const pane = recipePane(page);
	for (const name of ['Plain', 'Engineered']) {
		await pane.getByRole('combobox', { name: 'Recipe', exact: true }).selectOption('');
		await pane.getByLabel('Recipe name').fill(name);
		await pane.getByLabel('User message template').fill('{{review}}');
		await saveRecipe(page);
	}
	await page.getByRole('link', { name: 'Experiment' }).click();
	const sets = page.getByRole('region', { name: 'Test sets' });
	await sets
		.getByLabel('Import a file (CSV, JSONL or JSON)')
		.setInputFiles({ name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from('review\nStream a long answer\n') });
	await sets.getByRole('button', { name: 'Add the test set' }).click();
	const setup = page.getByRole('form', { name: 'New comparison' });
	await setup.getByLabel('Test set').selectOption({ label: 'one' });
	await setup.getByLabel('Base model').selectOption({ label: 'slow-2000 (endpoint)' });
	await setup.getByLabel('Same model with the LoRA adapter').selectOption({ label: 'slow-2000 as a vLLM LoRA adapter (endpoint)' });
	await setup.getByLabel('Plain recipe (for the adapter)').selectOption({ label: 'Plain (v1)' });
	await setup.getByLabel('Engineered recipe (for the base)').selectOption({ label: 'Engineered (v1)' });
	await setup.getByRole('button', { name: 'Create the pair' }).click();
	await page.getByRole('tab', { name: 'Side by side' }).click();
}
