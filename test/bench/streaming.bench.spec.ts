// Benchmark (not a test of speed): streams 2,000 tokens at 200 tokens/s from the test server's
// 'slow-2000' model through the built app and records main-thread long tasks (PerformanceObserver
// 'longtask', installed before the app loads). Writes bench-results/streaming.json. Run only by
// `npx playwright test -c playwright.bench.config.ts` (part of `npm run bench`); asserts completion only.
import { mkdir, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { installLongTaskObserver, longTasksSince } from './long-tasks.ts';
import { answerPane, openApp, recipePane, useEndpoint } from '../e2e/helpers.ts';

const TOKENS = 2000;
const OUT_FILE = 'bench-results/streaming.json';

test.setTimeout(120_000);

test('streaming 2,000 tokens at 200 tokens/s: long tasks on the main thread', async ({ page }) => {
	await installLongTaskObserver(page);
	await openApp(page);
	await useEndpoint(page, { model: `slow-${TOKENS}` });
	await recipePane(page).getByLabel('User message template').fill('Stream a long answer');
	const pane = answerPane(page);
	const runButton = pane.getByRole('button', { name: /^Run/ });
	await expect(runButton).toBeEnabled();

	const startMs = await page.evaluate(() => performance.now());
	await runButton.click();
	await expect(pane.getByRole('button', { name: /^Stop/ })).toBeVisible();
	// Checked once per animation frame in the page, so the end time is frame-accurate.
	const endMs = await page.waitForFunction(
		() => {
			const run = [...document.querySelectorAll('button')].find((b) => b.textContent?.startsWith('Run'));
			return run ? performance.now() : null;
		},
		undefined,
		{ polling: 'raf', timeout: 60_000 }
	);
	const durationMs = (await endMs.jsonValue()) as number;
	const completion = pane.getByRole('term').filter({ hasText: 'Completion tokens' }).locator('xpath=following-sibling::dd');
	const tokens = Number(await completion.innerText());
	expect(tokens).toBe(TOKENS);
	await expect(pane.getByRole('alert')).toHaveCount(0);

	const tasks = await longTasksSince(page, startMs);
	const elapsedMs = durationMs - startMs;
	const result = {
		tokens,
		tokensPerSec: +(tokens / (elapsedMs / 1000)).toFixed(1),
		durationMs: Math.round(elapsedMs),
		longestTaskMs: Math.round(Math.max(0, ...tasks.map((t) => t.durationMs))),
		longTasksOver50ms: tasks.filter((t) => t.durationMs > 50).length
	};
	// Control: a deliberate 120 ms busy task must show up, proving the observer records long tasks here.
	const controlFrom = await page.evaluate(() => {
		const t0 = performance.now();
		setTimeout(() => {
			const end = performance.now() + 120;
			while (performance.now() < end) {
				/* busy */
			}
		});
		return t0;
	});
	await expect.poll(async () => (await longTasksSince(page, controlFrom)).length).toBeGreaterThan(0);

	await mkdir('bench-results', { recursive: true });
	await writeFile(OUT_FILE, JSON.stringify(result, null, 2) + '\n');
	console.log('streaming', result);
});
