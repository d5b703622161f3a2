// Offline: after one online visit the service worker (workbox precache) is active, and with the
// network cut the app still opens from the cache with its history and recipes (IndexedDB).
import { expect, test } from '@playwright/test';
import {
	TRANSLATE_RECIPE,
	fillTemplate,
	historyRuns,
	openApp,
	recipePane,
	runByKeyboard,
	saveRecipe,
	useEndpoint,
	waitForDone,
	waitForStart,
	writeRecipe
} from './helpers.ts';

test('after one online visit the app reloads offline with its history and recipes', async ({ page, context }) => {
	await openApp(page);
	await useEndpoint(page);
	await writeRecipe(page, TRANSLATE_RECIPE);
	await saveRecipe(page);
	await runByKeyboard(page);
	await waitForDone(page);
	await expect(historyRuns(page)).toHaveCount(1);
	const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
	expect(scope).toBe(new URL('/', page.url()).href);

	await context.setOffline(true);
	try {
		await page.reload();
		await waitForStart(page);
		const served = await page.evaluate(() => navigator.serviceWorker.controller !== null);
		expect(served).toBe(true);
		await expect(historyRuns(page)).toHaveCount(1);
		await expect(historyRuns(page).first()).toContainText('done');
		const recipeSelect = recipePane(page).getByRole('combobox', { name: 'Recipe', exact: true });
		await recipeSelect.selectOption({ label: `${TRANSLATE_RECIPE.name} (v1)` });
		await expect(recipePane(page).getByLabel('System prompt')).toHaveValue(TRANSLATE_RECIPE.system);
		await historyRuns(page)
			.first()
			.getByRole('button', { name: /^Open run/ })
			.click();
		const detail = page.getByRole('article', { name: `${TRANSLATE_RECIPE.name} on echo` });
		await expect(detail).toContainText(`Echo: ${fillTemplate(TRANSLATE_RECIPE.template, TRANSLATE_RECIPE.values)}`);
	} finally {
		await context.setOffline(false);
	}
});
