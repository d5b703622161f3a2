// The comparison end to end against the OpenAI-compatible test server's oracle models (llama.cpp
// convention: the base sends every adapter at scale 0, the adapter variant adapter 0 at scale 1):
// import a test set, build the default pair, run the batch, check the statistics shown against
// values worked out by hand, override a score by hand, vote blind, build the 2×2 ablation and
// reload in the middle of its batch: it resumes with every result stored exactly once.
import { expect, test } from '@playwright/test';
import { oracleAnswer, keywordLabel } from '../server/oracle.ts';
import { addReviewsTestSet, EASY, EXAMPLES, HARD, setUpPair, storedResults, writeRecipes } from './comparison-fixture.ts';
import { openApp, useEndpoint } from './helpers.ts';

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
	await addReviewsTestSet(page);

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
