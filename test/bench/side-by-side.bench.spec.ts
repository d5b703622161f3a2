// Benchmark (not a test of speed): two side-by-side panes stream 2,000 tokens each at 200 tokens/s
// from the test server ('slow-2000', once as the base and once as a vLLM adapter name) through the
// built app, and main-thread long tasks are recorded (PerformanceObserver 'longtask', installed
// before the app loads). Writes bench-results/side-by-side.json; asserts completion only.
import { mkdir, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { installLongTaskObserver, longTasksSince } from './long-tasks.ts';
import { openSlowPairSideBySide } from '../e2e/helpers.ts';

test.setTimeout(180_000);

test('two panes streaming 2,000 tokens each at 200 tokens/s: long tasks on the main thread', async ({ page }) => {
	await installLongTaskObserver(page);
	await openSlowPairSideBySide(page);

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
	const tasks = await longTasksSince(page, startMs);
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
