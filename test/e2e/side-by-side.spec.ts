// Side by side against the test server: two variants stream at once ('slow-2000', 200 tokens/s,
// once as the base and once under a vLLM adapter name); stopping one pane stops only that one while
// the other keeps streaming to its full 2,000 tokens.
import { expect, test, type Page } from '@playwright/test';
import { openSlowPairSideBySide } from './helpers.ts';

test.setTimeout(120_000);

const words = (page: Page) =>
	page.getByTestId('pane-output').evaluateAll((els) => els.map((e) => (e.textContent ?? '').split(/\s+/).filter(Boolean).length));

test('stopping one pane leaves the other streaming to the end', async ({ page }) => {
	await openSlowPairSideBySide(page);
	await page.getByRole('button', { name: 'Every variant answers' }).click();
	// Endpoint models cost no GPU memory: both stream at once.
	await expect(page.getByText("Together: none of these models uses this GPU's memory.").first()).toBeVisible();
	await expect.poll(async () => Math.min(...(await words(page)))).toBeGreaterThan(20);

	await page.getByRole('button', { name: 'Stop Base + engineered prompt' }).click();
	const base = page.getByRole('article', { name: 'Answer of Base + engineered prompt' });
	const adapter = page.getByRole('article', { name: 'Answer of Adapter + plain prompt' });
	await expect(base.getByText('Stopped')).toBeVisible();
	const [stoppedAt, otherAt] = await words(page);
	await expect.poll(async () => (await words(page))[1]).toBeGreaterThan(otherAt + 50);
	expect((await words(page))[0]).toBe(stoppedAt);
	await expect(adapter.getByText('done')).toBeVisible({ timeout: 30_000 });
	expect(await words(page)).toEqual([stoppedAt, 2000]);
	expect(stoppedAt).toBeLessThan(2000);
});
