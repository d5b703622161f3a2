// What survives a reload (IndexedDB): the runs with their statuses (one done, one stopped with Esc),
// the saved recipe with its fields, the engine settings; and editing a saved recipe saves a new
// version next to the old one.
import { expect, test } from '@playwright/test';
import {
	TRANSLATE_RECIPE,
	historyRuns,
	openApp,
	recipePane,
	runAndStopWithEsc,
	runByKeyboard,
	saveRecipe,
	setEndpointModel,
	useEndpoint,
	waitForDone,
	waitForStart,
	writeRecipe
} from './helpers.ts';

test('after a reload the history lists the runs with their statuses and the recipe is still there', async ({ page }) => {
	await openApp(page);
	await useEndpoint(page);
	await writeRecipe(page, TRANSLATE_RECIPE);
	await saveRecipe(page);
	await expect(recipePane(page).getByRole('combobox', { name: 'Recipe', exact: true })).toHaveValue(/.+/);

	await runByKeyboard(page);
	await waitForDone(page);
	await expect(historyRuns(page)).toHaveCount(1);

	await setEndpointModel(page, 'slow-2000');
	await runAndStopWithEsc(page);
	await expect(historyRuns(page)).toHaveCount(2);

	await page.reload();
	await waitForStart(page);
	await expect(page.getByRole('combobox', { name: 'Engine' })).toHaveValue('endpoint');
	const runs = historyRuns(page);
	await expect(runs).toHaveCount(2);
	// Newest first: the stopped slow run, then the finished echo run.
	await expect(runs.nth(0)).toContainText('stopped');
	await expect(runs.nth(0)).toContainText('slow-2000');
	await expect(runs.nth(1)).toContainText('done');
	await expect(runs.nth(1)).toContainText('echo');
	await expect(runs.nth(1)).toContainText(`${TRANSLATE_RECIPE.name} · echo`);

	const recipeSelect = recipePane(page).getByRole('combobox', { name: 'Recipe', exact: true });
	await expect(recipeSelect.getByRole('option', { name: `${TRANSLATE_RECIPE.name} (v1)` })).toHaveCount(1);
	await recipeSelect.selectOption({ label: `${TRANSLATE_RECIPE.name} (v1)` });
	await expect(recipePane(page).getByLabel('System prompt')).toHaveValue(TRANSLATE_RECIPE.system);
	await expect(recipePane(page).getByLabel('User message template')).toHaveValue(TRANSLATE_RECIPE.template);
	await expect(recipePane(page).getByLabel('Example 1: assistant')).toHaveValue(TRANSLATE_RECIPE.example.assistant);
});

test('editing a saved recipe and saving makes version 2 and keeps version 1', async ({ page }) => {
	await openApp(page);
	await writeRecipe(page, TRANSLATE_RECIPE);
	await saveRecipe(page);
	const pane = recipePane(page);
	const newSystem = 'You translate short phrases, politely.';
	await pane.getByLabel('System prompt').fill(newSystem);
	await expect(pane.getByText('unsaved changes')).toBeVisible();
	await pane.getByRole('button', { name: 'Save as new version' }).click();
	const version = pane.getByRole('combobox', { name: 'Version' });
	await expect(version).toHaveValue('2');
	await expect(version.getByRole('option')).toHaveText(['v1', 'v2']);

	await page.reload();
	await waitForStart(page);
	const recipeSelect = pane.getByRole('combobox', { name: 'Recipe', exact: true });
	await recipeSelect.selectOption({ label: `${TRANSLATE_RECIPE.name} (v2)` });
	await expect(pane.getByLabel('System prompt')).toHaveValue(newSystem);
	await pane.getByRole('combobox', { name: 'Version' }).selectOption('1');
	await expect(pane.getByLabel('System prompt')).toHaveValue(TRANSLATE_RECIPE.system);
});
