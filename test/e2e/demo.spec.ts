// A first visit offers the demos: one click adds a demo's test set and its two recipes, and picking
// that test set in the set-up fills in the plain and the engineered recipe; with the endpoint's
// model on both sides the pair runs over all 24 items.
import { expect, test } from '@playwright/test';
import { openApp, useEndpoint } from './helpers.ts';

test('a demo comparison from the first visit', async ({ page }) => {
	await openApp(page);
	await useEndpoint(page, { model: 'echo' });
	await page.getByRole('link', { name: 'Experiment' }).click();
	await expect(page.getByText(/^Fine-tune or prompt\?/)).toBeVisible();
	const sets = page.getByRole('region', { name: 'Test sets' });
	await sets.getByRole('button', { name: 'Add demo: Review sentiment' }).click();
	await expect(sets.getByRole('button', { name: 'Edit Review sentiment' })).toBeVisible();
	await expect(sets.getByRole('button', { name: 'Add demo: Review sentiment' })).toBeDisabled();

	const setup = page.getByRole('form', { name: 'New comparison' });
	await setup.getByLabel('Test set').selectOption({ label: 'Review sentiment' });
	await expect(setup.getByLabel('Plain recipe (for the adapter)').locator('option:checked')).toHaveText('Review sentiment: plain (v1)');
	await expect(setup.getByLabel('Engineered recipe (for the base)').locator('option:checked')).toHaveText(
		'Review sentiment: engineered (v1)'
	);
	await setup.getByLabel('Base model').selectOption({ label: 'echo (endpoint)' });
	await setup.getByLabel('Same model with the LoRA adapter').selectOption({ label: 'echo as a vLLM LoRA adapter (endpoint)' });
	await setup.getByRole('button', { name: 'Create the pair' }).click();
	await expect(page.getByRole('heading', { name: 'Review sentiment', level: 2 })).toBeVisible();
	await page.getByRole('button', { name: 'Run the test set' }).click();
	await expect(page.getByText(/^48 of 48 done/)).toBeVisible({ timeout: 60_000 });
	// echo repeats the review, never a bare label: nothing passes, and no winner is named
	await expect(page.getByRole('region', { name: 'Verdict' }).getByTestId('verdict')).toContainText('Not enough evidence');
});
