// Running a recipe against the OpenAI-compatible test server: the messages preview, Ctrl+Enter,
// the streamed answer (the server echoes the last user message), stats (time to first token, token
// counts), Esc stopping a long answer, and clear messages for endpoint errors (a refusing model,
// a wrong API key on a server that requires one).
import { expect, test, type Page } from '@playwright/test';
import { startTestServer } from '../server/openai-test-server.ts';
import {
	TRANSLATE_RECIPE,
	answerPane,
	fillTemplate,
	openApp,
	recipePane,
	runByKeyboard,
	useEndpoint,
	waitForDone,
	writeRecipe
} from './helpers.ts';

/** Words in a text, counted the way the test server counts tokens (whitespace-separated). */
const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

/** Value shown next to a label in the answer statistics. */
function stat(page: Page, label: string) {
	return answerPane(page).getByRole('term').filter({ hasText: label }).locator('xpath=following-sibling::dd');
}

test.describe('a run on the endpoint', () => {
	test.beforeEach(async ({ page }) => {
		await openApp(page);
		await useEndpoint(page);
		await writeRecipe(page, TRANSLATE_RECIPE);
	});

	test('the preview lists exactly the messages that will be sent', async ({ page }) => {
		const expected = [
			['system', TRANSLATE_RECIPE.system],
			['user', TRANSLATE_RECIPE.example.user],
			['assistant', TRANSLATE_RECIPE.example.assistant],
			['user', fillTemplate(TRANSLATE_RECIPE.template, TRANSLATE_RECIPE.values)]
		];
		const preview = recipePane(page).getByRole('group').filter({ hasText: 'Messages sent' });
		await expect(preview.getByText(`Messages sent (${expected.length})`)).toBeVisible();
		const items = preview.getByRole('listitem');
		await expect(items).toHaveCount(expected.length);
		for (const [i, [role, content]] of expected.entries()) {
			await expect(items.nth(i)).toHaveText(`${role}${content}`);
		}
	});

	test('Ctrl+Enter streams the answer with the filled-in values, then shows stats', async ({ page }) => {
		const userText = fillTemplate(TRANSLATE_RECIPE.template, TRANSLATE_RECIPE.values);
		await runByKeyboard(page);
		await waitForDone(page);
		await expect(answerPane(page)).toContainText(`Echo: ${userText}`);
		// The server answers "Echo:", the user's words, then 8 filler words; 1 token = 1 word.
		await expect(stat(page, 'Completion tokens')).toHaveText(String(1 + words(userText) + 8));
		const sent = [TRANSLATE_RECIPE.system, TRANSLATE_RECIPE.example.user, TRANSLATE_RECIPE.example.assistant, userText];
		await expect(stat(page, 'Prompt tokens')).toHaveText(String(sent.reduce((n, s) => n + words(s), 0)));
		await expect(stat(page, 'First token')).toHaveText(/\d/);
	});

	test('Esc stops a long answer part-way and keeps what arrived', async ({ page }) => {
		await useEndpoint(page, { model: 'slow-2000' });
		await runByKeyboard(page);
		const pane = answerPane(page);
		await expect(pane.getByRole('button', { name: /^Stop/ })).toBeVisible();
		await expect(pane).toContainText('alpha');
		await page.keyboard.press('Escape');
		await expect(pane.getByRole('button', { name: /^Run/ })).toBeVisible();
		const text = (await pane.getByRole('region', { name: 'Answer', exact: true }).last().innerText()).trim();
		// 2,000 words at 200/s take 10 s; stopping early leaves far fewer.
		expect(words(text)).toBeGreaterThan(3);
		expect(words(text)).toBeLessThan(2000);
		await page.waitForTimeout(500);
		expect((await pane.getByRole('region', { name: 'Answer', exact: true }).last().innerText()).trim()).toBe(text);
	});
});

test('a refusing model shows a clear error, not a hang', async ({ page }) => {
	await openApp(page);
	await useEndpoint(page, { model: 'refuse' });
	await writeRecipe(page, TRANSLATE_RECIPE);
	await runByKeyboard(page);
	const alert = answerPane(page).getByRole('alert');
	await expect(alert).toBeVisible();
	await expect(alert).toContainText('HTTP 500');
	await expect(alert).toContainText('This model always refuses (test)');
	await expect(alert).toContainText('Check the base URL, the API key and the model name');
	await expect(answerPane(page).getByRole('button', { name: /^Run/ })).toBeEnabled();
});

test('a wrong API key shows a message that says to check the key', async ({ page }) => {
	const server = await startTestServer({ apiKey: 'right-key', host: '127.0.0.1' });
	try {
		await openApp(page);
		await useEndpoint(page, { baseUrl: `${server.url}/v1`, apiKey: 'wrong-key' });
		await writeRecipe(page, TRANSLATE_RECIPE);
		await runByKeyboard(page);
		const alert = answerPane(page).getByRole('alert');
		await expect(alert).toBeVisible();
		await expect(alert).toContainText('HTTP 401');
		await expect(alert).toContainText('rejected the API key');
	} finally {
		await server.close();
	}
});
