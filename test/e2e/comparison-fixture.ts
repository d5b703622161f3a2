// The oracle comparison the end-to-end specs share: twelve reviews whose answers under the test
// server's oracle are known by hand, the two recipes written through the UI, the pair or the 2×2 set
// up in the comparison form, and a look at the stored results.
import { expect, type Page } from '@playwright/test';
import { keywordLabel } from '../server/oracle.ts';
import { recipePane, saveRecipe } from './helpers.ts';

// Twelve reviews. The engineered base has 2 few-shot examples and no adapter, so the oracle's skill
// is 0.25 × 2 = 0.5: it answers right exactly when the item's difficulty (FNV-1a of "Review: <text>"
// mod 100, / 100) is below 0.5 — true for the first six, false for the last six (checked below).
export const EASY = [
	'The handle broke after a week',
	'The colour is blue',
	'Works as described',
	'It is made of plastic',
	'Love the soft fabric',
	'Great for camping trips'
];
export const HARD = [
	'I love this kettle, it boils fast',
	'It arrived on Tuesday',
	'Great value for the price',
	'Terrible customer service',
	'Perfect fit for my desk',
	'Awful smell out of the box'
];
export const REVIEWS = [...EASY, ...HARD];
export const EXAMPLES = [
	{ user: 'Review: Nice mug', assistant: 'neutral' },
	{ user: 'Review: Great lamp', assistant: 'positive' }
];
export const REVIEWS_CSV = ['review,expected', ...REVIEWS.map((r) => `"${r}",${keywordLabel(r)}`)].join('\n');

export async function writeRecipes(page: Page): Promise<void> {
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

export async function setUpPair(page: Page, kind: 'pair' | '2×2 ablation', name: string): Promise<void> {
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
export async function storedResults(page: Page): Promise<{ rows: number; slots: number }> {
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

/** Imports the twelve reviews as the test set "Reviews" (the experiment place must be open). */
export async function addReviewsTestSet(page: Page): Promise<void> {
	const sets = page.getByRole('region', { name: 'Test sets' });
	await sets
		.getByLabel('Import a file (CSV, JSONL or JSON)')
		.setInputFiles({ name: 'reviews.csv', mimeType: 'text/csv', buffer: Buffer.from(REVIEWS_CSV) });
	await expect(sets.getByText('12 items, variables: review, with expected outputs.')).toBeVisible();
	await sets.getByLabel('Name').fill('Reviews');
	await sets.getByRole('button', { name: 'Add the test set' }).click();
	await expect(sets.getByRole('button', { name: 'Edit Reviews' })).toBeVisible();
}

/** Every row of the named IndexedDB tables, each table sorted by its JSON text (order-free comparison). */
export async function dumpTables(page: Page, tables: readonly string[]): Promise<Record<string, unknown[]>> {
	return page.evaluate(
		(names) =>
			new Promise<Record<string, unknown[]>>((resolve, reject) => {
				const open = indexedDB.open('tune-or-prompt');
				open.onerror = () => reject(open.error);
				open.onsuccess = () => {
					const tx = open.result.transaction(names);
					const out: Record<string, unknown[]> = {};
					for (const name of names) {
						const req = tx.objectStore(name).getAll();
						req.onsuccess = () =>
							(out[name] = (req.result as unknown[])
								.map((r) => JSON.stringify(r))
								.sort()
								.map((t) => JSON.parse(t)));
					}
					tx.oncomplete = () => {
						open.result.close();
						resolve(out);
					};
					tx.onerror = () => reject(tx.error);
				};
			}),
		[...tables]
	);
}
