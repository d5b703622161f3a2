// Benchmark (not a test of speed): two side-by-side panes stream 2,000 tokens each at 200 tokens/s
// from the test server ('slow-2000', once as the base and once as a vLLM adapter name) through the
// built app, and main-thread long tasks are recorded (PerformanceObserver 'longtask', installed
// before the app loads). Writes bench-results/side-by-side.json; asserts completion only.
import { mkdir, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { openApp, recipePane, saveRecipe, useEndpoint } from '../e2e/helpers.ts';

declare global {
	interface Window {
		__longTasks: { startMs: number; durationMs: number }[];
	}
}

test.setTimeout(180_000);

test('two panes streaming 2,000 tokens each at 200 tokens/s: long tasks on the main thread', async ({ page }) => {
	await page.addInitScript(() => {
		window.__longTasks = [];
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) window.__longTasks.push({ startMs: e.startTime, durationMs: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	});
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

	const startMs = await page.evaluate(() => performance.now());
	await page.getByRole('button', { name: 'Every variant answers' }).click();
	await expect(page.getByRole('button', { name: 'Stop all' })).toBeVisible();
	const endMs = (await (
		await page.waitForFunction(
			() => ([...document.querySelectorAll('button')].some((b) => b.textContent === 'Every variant answers') ? performance.now() : null),
			undefined,
			{
				polling: 'raf',
				timeout: 90_000
			}
		)
	).jsonValue()) as number;
	const words = await page
		.getByTestId('pane-output')
		.evaluateAll((els) => els.map((e) => (e.textContent ?? '').split(/\s+/).filter(Boolean).length));
	expect(words).toEqual([2000, 2000]);
	const tasks = (await page.evaluate(() => window.__longTasks)).filter((t) => t.startMs >= startMs);
	const result = {
		panes: 2,
		tokensPerPane: 2000,
		durationMs: Math.round(endMs - startMs),
		longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.durationMs))),
		longTasksOver50ms: tasks.filter((t) => t.durationMs > 50).length
	};
	await mkdir('bench-results', { recursive: true });
	await writeFile('bench-results/side-by-side.json', JSON.stringify(result, null, 2) + '\n');
	console.log('side-by-side', result);
});
