// The comparison end to end against the OpenAI-compatible test server's oracle models (llama.cpp
// convention: the base sends every adapter at scale 0, the adapter variant adapter 0 at scale 1):
// import a test set, build the default pair, run the batch, check the statistics shown against
// values worked out by hand, override a score by hand, vote blind, build the 2×2 ablation and
// reload in the middle of its batch: it resumes with every result stored exactly once.
import { expect, test, type Page } from '@playwright/test';
import { oracleAnswer, keywordLabel } from '../server/oracle.ts';
import { openApp, recipePane, saveRecipe, useEndpoint } from './helpers.ts';

// Twelve reviews. The engineered base has 2 few-shot examples and no adapter, so the oracle's skill
// is 0.25 × 2 = 0.5: it answers right exactly when the item's difficulty (FNV-1a of "Review: <text>"
// mod 100, / 100) is below 0.5 — true for the first six, false for the last six (checked below).
const EASY = [
	'The handle broke after a week',
	'The colour is blue',
	'Works as described',
	'It is made of plastic',
	'Love the soft fabric',
	'Great for camping trips'
];
const HARD = [
	'I love this kettle, it boils fast',
	'It arrived on Tuesday',
	'Great value for the price',
	'Terrible customer service',
	'Perfect fit for my desk',
	'Awful smell out of the box'
];
const REVIEWS = [...EASY, ...HARD];
const EXAMPLES = [
	{ user: 'Review: Nice mug', assistant: 'neutral' },
	{ user: 'Review: Great lamp', assistant: 'positive' }
];
const csv = ['review,expected', ...REVIEWS.map((r) => `"${r}",${keywordLabel(r)}`)].join('\n');

async function writeRecipes(page: Page): Promise<void> {
	const pane = recipePane(page);
	await pane.getByLabel('Recipe name').fill('Engineered');
	await pane
		.getByLabel('System prompt')
		.fill('Label the sentiment of the review: positive, negative or neutral. Answer with the label only.');
	for (const [i, ex] of EXAMPLES.entries()) {
		await pane.getByRole('button', { name: 'Add example' }).click();
		await pane.getByLabel(`Example ${i + 1}: user`).fill(ex.user);
		await pane.getByLabel(`Example ${i + 1}: assistant`).fill(ex.assistant);
	}
	await pane.getByLabel('User message template').fill('Review: {{review}}');
	await saveRecipe(page);
	await pane.getByRole('combobox', { name: 'Recipe', exact: true }).selectOption('');
	await pane.getByLabel('Recipe name').fill('Plain');
	await pane.getByLabel('User message template').fill('{{review}}');
	await saveRecipe(page);
}

async function setUpPair(page: Page, kind: 'pair' | '2×2 ablation', name: string): Promise<void> {
	const setup = page.getByRole('form', { name: 'New comparison' });
	await setup.getByLabel('Name').fill(name);
	await setup.getByLabel('Test set').selectOption({ label: 'Reviews' });
	await setup.getByLabel('Base model').selectOption({ label: 'oracle-base with llama.cpp adapters at scale 0 (endpoint base)' });
	await setup
		.getByLabel('Same model with the LoRA adapter')
		.selectOption({ label: 'oracle-base with llama.cpp adapter 0 at scale 1 (endpoint)' });
	await setup.getByLabel('Plain recipe (for the adapter)').selectOption({ label: 'Plain (v1)' });
	await setup.getByLabel('Engineered recipe (for the base)').selectOption({ label: 'Engineered (v1)' });
	await setup.getByRole('button', { name: kind === 'pair' ? 'Create the pair' : 'Create the 2×2 ablation' }).click();
	await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
}

/** Rows of the results table in IndexedDB and their distinct (batch, variant, item) slots. */
async function storedResults(page: Page): Promise<{ rows: number; slots: number }> {
	return page.evaluate(
		() =>
			new Promise<{ rows: number; slots: number }>((resolve, reject) => {
				const open = indexedDB.open('tune-or-prompt');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const req = open.result.transaction('results').objectStore('results').getAll();
					req.onsuccess = () => {
						const rows = req.result as { batchId: string; variantId: string; itemId: string }[];
						resolve({ rows: rows.length, slots: new Set(rows.map((r) => `${r.batchId}|${r.variantId}|${r.itemId}`)).size });
						open.result.close();
					};
				};
			})
	);
}

test('the oracle agrees with the hand-picked split of easy and hard items', () => {
	const messages = (r: string) => [
		{ role: 'system', content: 's' },
		...EXAMPLES.flatMap((e) => [
			{ role: 'user', content: e.user },
			{ role: 'assistant', content: e.assistant }
		]),
		{ role: 'user', content: `Review: ${r}` }
	];
	for (const r of EASY) expect(oracleAnswer(messages(r), 0), r).toBe(keywordLabel(r));
	for (const r of HARD) expect(oracleAnswer(messages(r), 0), r).not.toBe(keywordLabel(r));
});

test('a comparison end to end: test set, pair, batch, hand-checked statistics, manual score, blind vote, 2×2 resumed after a reload', async ({
	page
}) => {
	await openApp(page);
	await useEndpoint(page, { model: 'oracle-base' });
	await writeRecipes(page);

	await page.getByRole('link', { name: 'Experiment' }).click();
	const sets = page.getByRole('region', { name: 'Test sets' });
	await sets
		.getByLabel('Import a file (CSV, JSONL or JSON)')
		.setInputFiles({ name: 'reviews.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
	await expect(sets.getByText('12 items, variables: review, with expected outputs.')).toBeVisible();
	await sets.getByLabel('Name').fill('Reviews');
	await sets.getByRole('button', { name: 'Add the test set' }).click();
	await expect(sets.getByRole('button', { name: 'Edit Reviews' })).toBeVisible();

	await setUpPair(page, 'pair', 'Sentiment: prompt or adapter');
	await page.getByRole('button', { name: 'Run the test set' }).click();
	await expect(page.getByText('24 of 24 done')).toBeVisible();

	// By hand: the adapter passes all 12, the engineered base the 6 easy ones. Wilson 95 % for 6/12:
	// (0.5 + 1.9208/12 ± 1.96·√(0.25/12 + 3.8415/576)) / (1 + 3.8415/12) = 0.254 … 0.746; for 12/12:
	// 12/(12 + 3.8415) = 0.757 … 1. Exact McNemar: 6 discordant pairs all for the adapter,
	// p = 2 · 0.5⁶ = 0.03125 < 0.05, so the adapter wins by 50 points.
	const verdict = page.getByRole('region', { name: 'Verdict' });
	await expect(verdict.getByTestId('verdict')).toContainText('Adapter + plain prompt wins by 50 points');
	await expect(verdict.getByTestId('verdict')).toContainText('exact McNemar p = 0.031, 12 items');
	await expect(verdict.getByRole('row', { name: /Base \+ engineered prompt/ })).toContainText('6 / 1250 %25 % – 75 %');
	await expect(verdict.getByRole('row', { name: /Adapter \+ plain prompt/ })).toContainText('12 / 12100 %76 % – 100 %');

	// A person overrides one automatic pass: the adapter's first item marked failed → 11 / 12.
	const results = page.getByRole('region', { name: 'Results' });
	await results.getByRole('button', { name: EASY[0] }).click();
	const item = results.getByRole('region', { name: 'Item 1' });
	await item.getByLabel('Your verdict').nth(1).selectOption('false');
	await expect(verdict.getByRole('row', { name: /Adapter \+ plain prompt/ })).toContainText('11 / 12');
	await results.getByLabel('Disagreements only').check();
	// the 6 hard items (only the adapter passes) and item 1 (now only the base passes)
	await expect(results.getByText('7 of 12 items')).toBeVisible();

	// Blind vote: no names before the vote, the winner named after it, and it can be changed.
	await page.getByRole('tab', { name: 'Blind vote' }).click();
	const vote = page.getByRole('region', { name: 'Blind vote' });
	await expect(vote.getByText('Base + engineered prompt')).toHaveCount(0);
	await vote.getByRole('button', { name: 'Tie' }).click();
	await expect(vote.getByRole('status')).toHaveText('Your vote: tie. You can change it.');
	await vote.getByRole('button', { name: 'Both bad' }).click();
	await expect(vote.getByRole('status')).toHaveText('Your vote: both bad. You can change it.');

	// The 2×2 ablation: hold the server's answers after the first six requests (a step is in flight),
	// reload in the middle of the batch:
	// it resumes and ends with 48 results stored exactly once (plus the 24 of the pair).
	await page.getByRole('button', { name: 'New comparison' }).click();
	await setUpPair(page, '2×2 ablation', 'Sentiment 2×2');
	let holding = true;
	let calls = 0;
	let release!: () => void;
	const gate = new Promise<void>((r) => (release = r));
	await page.route('**/v1/chat/completions', async (route) => {
		if (holding && ++calls > 6) {
			await gate;
			return route.abort().catch(() => undefined);
		}
		return route.continue();
	});
	await page.getByRole('button', { name: 'Run the test set' }).click();
	// The pair's two variants are the same specs with the same seed: their 24 results are reused, so
	// only the other two variants' requests reach the server (and the hold).
	await expect.poll(() => calls).toBeGreaterThan(6);
	await expect(page.getByText(/^\d+ of 48 done, \d+ reused/)).toBeVisible();
	await expect(page.getByText('48 of 48 done')).toHaveCount(0);
	holding = false;
	await page.reload();
	release();
	await expect(page.getByText('48 of 48 done')).toBeVisible({ timeout: 30_000 });
	expect(await storedResults(page)).toEqual({ rows: 72, slots: 72 });
	await expect(page.getByRole('region', { name: 'Verdict' }).getByTestId('verdict')).toHaveCount(6);
});
