// First-hour bugs, end to end against the built app and the OpenAI-compatible test server: after a
// reload the endpoint form shows the saved settings that runs use (Save off until something
// changes); an empty user message blocks Run with its reason; a stopped answer says "Stopped" and
// its prompt token count is not shown as 0.
import { expect, test } from '@playwright/test';
import {
	TEST_SERVER_URL,
	answerPane,
	openApp,
	recipePane,
	runAndStopWithEsc,
	setEndpointModel,
	useEndpoint,
	waitForStart
} from './helpers.ts';

test('after a reload the endpoint form shows the saved base URL and model, and runs use them', async ({ page }) => {
	await openApp(page);
	await useEndpoint(page, { model: 'echo' });
	await page.reload();
	await waitForStart(page);
	const form = page.getByRole('form', { name: 'Endpoint settings' });
	await expect(form.getByLabel('Base URL')).toHaveValue(TEST_SERVER_URL);
	await expect(form.getByLabel('Model name', { exact: true })).toHaveValue('echo');
	await expect(form.getByRole('button', { name: 'Save endpoint' })).toBeDisabled();
	await recipePane(page).getByLabel('User message template').fill('Hello there');
	await page.keyboard.press('Control+Enter');
	await expect(answerPane(page)).toContainText('Echo: Hello there', { timeout: 30_000 });
});

test('an empty user message blocks Run with the reason; typing one enables it', async ({ page }) => {
	await openApp(page);
	await useEndpoint(page);
	const pane = answerPane(page);
	await expect(pane.getByRole('button', { name: /^Run/ })).toBeDisabled();
	await expect(pane).toContainText('The user message is empty');
	await recipePane(page).getByLabel('User message template').fill('Hi');
	await expect(pane.getByRole('button', { name: /^Run/ })).toBeEnabled();
});

test('a stopped answer says "Stopped" and shows no prompt count of 0', async ({ page }) => {
	await openApp(page);
	await useEndpoint(page);
	await setEndpointModel(page, 'slow-2000');
	await recipePane(page).getByLabel('User message template').fill('Tell me a long story');
	await runAndStopWithEsc(page);
	const pane = answerPane(page);
	await expect(pane.getByRole('status').filter({ hasText: 'Stopped' })).toBeVisible();
	const prompt = pane.getByRole('term').filter({ hasText: 'Prompt tokens' }).locator('xpath=following-sibling::dd');
	if ((await prompt.count()) > 0) await expect(prompt).not.toHaveText('0');
});
