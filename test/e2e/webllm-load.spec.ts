// The in-browser (web-llm) engine as far as it goes without a downloadable model: the model files
// are on hosts these tests cut off (Playwright routes), so Load ends in a clear download error
// rather than a hang, and Cancel stops a load that is stuck waiting for the network.
import { expect, test, type BrowserContext, type Route } from '@playwright/test';
import { openApp } from './helpers.ts';

// Model weights and WebGPU libraries come from these hosts (web-llm's prebuilt app config).
const MODEL_HOSTS = /^https:\/\/(huggingface\.co|raw\.githubusercontent\.com|[^/]*\.hf\.co)\//;

// Keeps workbox out of the way so every request the app makes goes through the routes below.
test.use({ serviceWorkers: 'block' });

async function cutOffModelHosts(context: BrowserContext): Promise<void> {
	await context.route(MODEL_HOSTS, (route) => route.abort('internetdisconnected'));
}

test('Load without reachable model files shows a clear download error', async ({ page, context }) => {
	await cutOffModelHosts(context);
	await openApp(page);
	const load = page.getByRole('button', { name: 'Download and load' });
	await expect(load).toBeEnabled();
	await load.click();
	const alert = page.getByRole('alert').filter({ hasText: 'download failed' });
	await expect(alert).toBeVisible({ timeout: 20_000 });
	await expect(alert).toContainText('Check your connection and retry');
	await expect(page.getByRole('button', { name: 'Download and load' })).toBeEnabled();
});

test('Cancel stops a load stuck on the network, and a later load still answers', async ({ page, context }) => {
	const held: Route[] = [];
	let requested!: () => void;
	const firstRequest = new Promise<void>((r) => (requested = r));
	await context.route(MODEL_HOSTS, (route) => {
		held.push(route); // never answered: the download hangs
		requested();
	});
	await openApp(page);
	await page.getByRole('button', { name: 'Download and load' }).click();
	await firstRequest;
	const cancel = page.getByRole('button', { name: 'Cancel loading' });
	await expect(cancel).toBeVisible();
	await cancel.click();
	await expect(page.getByRole('button', { name: 'Download and load' })).toBeEnabled();
	await expect(page.getByRole('alert')).toHaveCount(0);
	// The worker is not wedged by the cancelled load: the next attempt reaches the network again.
	await context.unroute(MODEL_HOSTS);
	await cutOffModelHosts(context);
	await page.getByRole('button', { name: 'Download and load' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'download failed' })).toBeVisible({ timeout: 20_000 });
	for (const r of held) await r.abort().catch(() => {});
});
