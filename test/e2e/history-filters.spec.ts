// The history pane with several runs: two saved recipes × two endpoint models, statuses done and
// stopped. Filtering by status, model and recipe, and searching text (case-insensitive, in prompts
// and answers) shows exactly the matching runs; opening a run shows its snapshot (the messages sent,
// the sampling settings, the output and its stats); deleting a run removes it, also after a reload.
import { expect, test, type Page } from '@playwright/test';
import {
	TRANSLATE_RECIPE,
	fillTemplate,
	historyPane,
	historyRuns,
	openApp,
	recipePane,
	runAndStopWithEsc,
	runByKeyboard,
	saveRecipe,
	setEndpointModel,
	useEndpoint,
	waitForStart,
	writeRecipe,
	type RecipeInput
} from './helpers.ts';

const SUMMARY_RECIPE: RecipeInput = {
	name: 'Summarise',
	system: 'You summarise in one line.',
	example: { user: 'Summarise rain', assistant: 'Water falls.' },
	template: 'Summarise {{topic}}',
	values: { topic: 'pineapple harvest' }
};
const MAX_TOKENS = 6;
const TEMPERATURE = 0.3;

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** What the test server answers (see test/server): "Echo:", the user's words, filler, cut at max. */
function expectedAnswer(userText: string, maxTokens: number): string {
	const filler = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
	return ['Echo:', ...words(userText), ...filler].slice(0, maxTokens).join(' ');
}

/** Runs with Ctrl+Enter and waits until the history holds `count` runs, the newest one done. */
async function runToDone(page: Page, count: number): Promise<void> {
	await runByKeyboard(page);
	await expect(historyRuns(page)).toHaveCount(count);
	await expect(historyRuns(page).first()).toContainText('done', { timeout: 30_000 });
}

/** Four runs, newest first: Summarise·echo·done, Summarise·slow·done, Translate·slow·stopped, Translate·echo·done. */
async function makeRuns(page: Page): Promise<void> {
	await openApp(page);
	await useEndpoint(page);
	await writeRecipe(page, TRANSLATE_RECIPE);
	await saveRecipe(page);
	await runToDone(page, 1);
	await setEndpointModel(page, 'slow-2000');
	await runAndStopWithEsc(page);
	await expect(historyRuns(page)).toHaveCount(2);
	await expect(historyRuns(page).first()).toContainText('stopped');

	await recipePane(page).getByRole('button', { name: 'New', exact: true }).click();
	await writeRecipe(page, SUMMARY_RECIPE);
	const sampling = recipePane(page).getByRole('group', { name: 'Sampling' });
	await sampling.getByLabel('Temperature').fill(String(TEMPERATURE));
	await sampling.getByLabel('Max tokens').fill(String(MAX_TOKENS));
	await saveRecipe(page);
	await runToDone(page, 3);
	await setEndpointModel(page, 'echo');
	await runToDone(page, 4);
}

test('history: filter by status, model and recipe, search text, open a run snapshot, delete a run', async ({ page }) => {
	await makeRuns(page);
	const pane = historyPane(page);
	const runs = historyRuns(page);
	const status = pane.getByRole('combobox', { name: 'Status', exact: true });
	const model = pane.getByRole('combobox', { name: 'Model', exact: true });
	const recipe = pane.getByRole('combobox', { name: 'Recipe', exact: true });
	const search = pane.getByRole('searchbox', { name: 'Search history' });
	const metas = () => runs.locator('.meta');

	await expect(metas()).toContainText([
		`done ${SUMMARY_RECIPE.name} · echo`,
		`done ${SUMMARY_RECIPE.name} · slow-2000`,
		`stopped ${TRANSLATE_RECIPE.name} · slow-2000`,
		`done ${TRANSLATE_RECIPE.name} · echo`
	]);

	await status.selectOption('stopped');
	await expect(metas()).toContainText([`stopped ${TRANSLATE_RECIPE.name} · slow-2000`]);
	await expect(runs).toHaveCount(1);
	await status.selectOption('done');
	await expect(runs).toHaveCount(3);
	await model.selectOption('slow-2000');
	await expect(runs).toHaveCount(1);
	await expect(metas()).toContainText([`done ${SUMMARY_RECIPE.name} · slow-2000`]);
	await status.selectOption('');
	await expect(runs).toHaveCount(2);
	await expect(metas()).toContainText([`${SUMMARY_RECIPE.name} · slow-2000`, `${TRANSLATE_RECIPE.name} · slow-2000`]);
	await model.selectOption('');
	await expect(runs).toHaveCount(4);

	await recipe.selectOption({ label: SUMMARY_RECIPE.name });
	await expect(runs).toHaveCount(2);
	await expect(metas()).toContainText([`${SUMMARY_RECIPE.name} · echo`, `${SUMMARY_RECIPE.name} · slow-2000`]);
	await recipe.selectOption({ label: TRANSLATE_RECIPE.name });
	await expect(metas()).toContainText([`${TRANSLATE_RECIPE.name} · slow-2000`, `${TRANSLATE_RECIPE.name} · echo`]);
	await expect(runs).toHaveCount(2);
	await recipe.selectOption('');

	// Text search: in the prompts and answers, any case; combined with a filter.
	await search.fill(TRANSLATE_RECIPE.values.word);
	await expect(runs).toHaveCount(2);
	await expect(metas()).toContainText([TRANSLATE_RECIPE.name, TRANSLATE_RECIPE.name]);
	await search.fill('PINEAPPLE');
	await expect(metas()).toContainText([SUMMARY_RECIPE.name, SUMMARY_RECIPE.name]);
	await expect(runs).toHaveCount(2);
	await model.selectOption('echo');
	await expect(runs).toHaveCount(1);
	await expect(metas()).toContainText([`${SUMMARY_RECIPE.name} · echo`]);
	await model.selectOption('');
	await search.fill('no run says this');
	await expect(runs).toHaveCount(0);
	await search.fill('');
	await expect(runs).toHaveCount(4);

	// The snapshot of the Summarise run on slow-2000: what was sent, with which settings, and what came back.
	await runs
		.nth(1)
		.getByRole('button', { name: /^Open run/ })
		.click();
	const detail = pane.getByRole('article', { name: `${SUMMARY_RECIPE.name} on slow-2000` });
	await expect(detail).toBeVisible();
	const userText = fillTemplate(SUMMARY_RECIPE.template, SUMMARY_RECIPE.values);
	const sent = [
		['system', SUMMARY_RECIPE.system],
		['user', SUMMARY_RECIPE.example.user],
		['assistant', SUMMARY_RECIPE.example.assistant],
		['user', userText]
	];
	const messages = detail.getByRole('list').first().getByRole('listitem');
	await expect(messages).toHaveCount(sent.length);
	for (const [i, [role, content]] of sent.entries()) await expect(messages.nth(i)).toHaveText(`${role}${content}`);
	const settings = JSON.parse(await detail.locator('h4:text-is("Settings") + pre').innerText());
	expect(settings).toMatchObject({ temperature: TEMPERATURE, maxTokens: MAX_TOKENS });
	await expect(detail.locator('h4:text-is("Output") + pre')).toHaveText(expectedAnswer(userText, MAX_TOKENS));
	const stat = (label: string) => detail.getByRole('term').filter({ hasText: label }).locator('xpath=following-sibling::dd');
	await expect(stat('Completion tokens')).toHaveText(String(MAX_TOKENS));
	const promptWords = sent.reduce((n, [, c]) => n + words(c).length, 0);
	await expect(stat('Prompt tokens')).toHaveText(String(promptWords));
	await detail.getByRole('button', { name: 'Close' }).click();
	await expect(detail).toHaveCount(0);

	// Delete the stopped run; it stays deleted after a reload.
	await runs
		.filter({ hasText: 'stopped' })
		.getByRole('button', { name: /^Delete run/ })
		.click();
	// deleting asks first
	await runs.filter({ hasText: 'stopped' }).getByRole('button', { name: 'Yes, delete' }).click();
	await expect(runs).toHaveCount(3);
	await expect(runs.filter({ hasText: 'stopped' })).toHaveCount(0);
	await page.reload();
	await waitForStart(page);
	await expect(runs).toHaveCount(3);
	await expect(metas()).toContainText([
		`done ${SUMMARY_RECIPE.name} · echo`,
		`done ${SUMMARY_RECIPE.name} · slow-2000`,
		`done ${TRANSLATE_RECIPE.name} · echo`
	]);
});
