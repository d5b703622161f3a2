// Export and import through the UI: the export downloads one JSON file (format tag, the runs with
// their statuses, the recipe; the API key left out); importing it into a fresh browser context
// brings the runs into history; a corrupt or invalid file is refused with a clear message and
// nothing is imported (not even the valid parts of an invalid file).
import { readFile } from 'node:fs/promises';
import { expect, test, type Browser, type Page } from '@playwright/test';
import {
	TRANSLATE_RECIPE,
	historyPane,
	historyRuns,
	openApp,
	recipePane,
	runAndStopWithEsc,
	runByKeyboard,
	saveRecipe,
	setEndpointModel,
	useEndpoint,
	waitForDone,
	writeRecipe
} from './helpers.ts';

const API_KEY = 'sk-e2e-secret-do-not-export';

interface ExportedBundle {
	format: string;
	tables: {
		runs: { status: string; modelId: string; output: string }[];
		recipes: { name: string }[];
		settings: { key: string; value: unknown }[];
	};
}

/** Makes one finished and one stopped run with a saved recipe, then exports; returns the file text. */
async function makeHistoryAndExport(page: Page): Promise<string> {
	await openApp(page);
	await useEndpoint(page, { apiKey: API_KEY });
	await writeRecipe(page, TRANSLATE_RECIPE);
	await saveRecipe(page);
	await runByKeyboard(page);
	await waitForDone(page);
	await setEndpointModel(page, 'slow-2000');
	await runAndStopWithEsc(page);
	await expect(historyRuns(page)).toHaveCount(2);
	await expect(historyRuns(page).first()).toContainText('stopped');
	const download = page.waitForEvent('download');
	await historyPane(page).getByRole('button', { name: 'Export all (JSON)' }).click();
	const file = await download;
	expect(file.suggestedFilename()).toMatch(/\.json$/);
	return readFile(await file.path(), 'utf8');
}

/** A new, empty browser context (its own IndexedDB) with the app open. */
async function freshPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
	const context = await browser.newContext({ baseURL });
	const page = await context.newPage();
	await openApp(page);
	await expect(historyPane(page)).toContainText('No runs yet');
	return page;
}

/** Picks a file in the import control. */
async function importText(page: Page, name: string, text: string): Promise<void> {
	await historyPane(page)
		.getByLabel('Import a JSON export')
		.setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
}

test('export downloads the runs and recipe, and importing it into a fresh context restores history', async ({ page, browser, baseURL }) => {
	const text = await makeHistoryAndExport(page);
	expect(text).not.toContain(API_KEY);
	const bundle = JSON.parse(text) as ExportedBundle;
	expect(bundle.format).toBe('tune-or-prompt-export');
	expect(bundle.tables.runs.map((r) => r.status).sort()).toEqual(['done', 'stopped']);
	expect(bundle.tables.runs.map((r) => r.modelId).sort()).toEqual(['echo', 'slow-2000']);
	expect(bundle.tables.recipes.map((r) => r.name)).toEqual([TRANSLATE_RECIPE.name]);

	const other = await freshPage(browser, baseURL);
	await importText(other, 'export.json', text);
	await expect(historyPane(other).getByRole('status')).toContainText('Imported.');
	await expect(historyPane(other).getByRole('status')).toContainText('runs: 2 added');
	const runs = historyRuns(other);
	await expect(runs).toHaveCount(2);
	await expect(runs.nth(0)).toContainText('stopped');
	await expect(runs.nth(1)).toContainText('done');
	const recipeSelect = recipePane(other).getByRole('combobox', { name: 'Recipe', exact: true });
	await expect(recipeSelect.getByRole('option', { name: `${TRANSLATE_RECIPE.name} (v1)` })).toHaveCount(1);
	await other.context().close();
});

test('corrupt or invalid files are refused with a clear message and nothing is imported', async ({ page, browser, baseURL }) => {
	const valid = JSON.parse(await makeHistoryAndExport(page)) as ExportedBundle;
	// One bad row in an otherwise valid bundle: the whole file must be refused.
	const badRow = structuredClone(valid);
	badRow.tables.runs[0].status = 'exploded';
	const cases: { name: string; text: string; message: RegExp }[] = [
		{ name: 'truncated.json', text: JSON.stringify(valid).slice(0, 200), message: /JSON/i },
		{ name: 'other-app.json', text: JSON.stringify({ format: 'something-else', tables: {} }), message: /not a Tune or Prompt export/ },
		{ name: 'bad-row.json', text: JSON.stringify(badRow), message: /status/ }
	];
	const other = await freshPage(browser, baseURL);
	for (const c of cases) {
		await importText(other, c.name, c.text);
		const alert = historyPane(other).getByRole('alert');
		await expect(alert, c.name).toContainText('Import failed:');
		await expect(alert, c.name).toContainText(c.message);
		await expect(historyPane(other), c.name).toContainText('No runs yet');
		const recipeSelect = recipePane(other).getByRole('combobox', { name: 'Recipe', exact: true });
		await expect(recipeSelect.getByRole('option'), c.name).toHaveCount(1); // only "New recipe (unsaved)"
	}
	// The same page still imports a good file afterwards.
	await importText(other, 'good.json', JSON.stringify(valid));
	await expect(historyRuns(other)).toHaveCount(2);
	await other.context().close();
});
