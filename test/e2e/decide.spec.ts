// Decide and share, end to end against the OpenAI-compatible test server's oracle (llama.cpp
// convention): the pair's verdict, a few-shot sweep and an adapter-strength sweep whose pass counts
// are worked out from the oracle's rule, the Markdown report checked against hand-computed numbers,
// the HTML report opened from disk with the network off, and an experiment bundle exported and
// imported into a fresh browser profile with every stored row unchanged.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Download, type Page } from '@playwright/test';
import { keywordLabel, oracleAnswer } from '../server/oracle.ts';
import { addReviewsTestSet, dumpTables, EXAMPLES, REVIEWS, setUpPair, writeRecipes } from './comparison-fixture.ts';
import { openApp, useEndpoint } from './helpers.ts';

const SYSTEM = 'Label the sentiment of the review: positive, negative or neutral. Answer with the label only.';

/** How many of the twelve reviews the oracle labels right with k examples and adapter scale s. */
function passes(k: number, scale: number, template: (r: string) => string): number {
	return REVIEWS.filter((r) => {
		const messages = [
			...(k > 0 ? [{ role: 'system', content: SYSTEM }] : []),
			...EXAMPLES.slice(0, k).flatMap((e) => [
				{ role: 'user', content: e.user },
				{ role: 'assistant', content: e.assistant }
			]),
			{ role: 'user', content: template(r) }
		];
		return oracleAnswer(messages, scale) === keywordLabel(r);
	}).length;
}
const engineered = (r: string) => `Review: ${r}`;
const plain = (r: string) => r;

async function saveDownload(page: Page, click: () => Promise<void>, dir: string): Promise<string> {
	const [download]: [Download, void] = await Promise.all([page.waitForEvent('download'), click()]);
	const path = join(dir, download.suggestedFilename());
	await download.saveAs(path);
	return path;
}

const EXPERIMENT_TABLES = [
	'experiments',
	'variants',
	'testSets',
	'testItems',
	'batches',
	'results',
	'manualScores',
	'votes',
	'recipes',
	'recipeVersions'
];

test('decide and share: verdict, both sweeps, report by hand, offline HTML, bundle round trip', async ({ page, browser }, info) => {
	test.setTimeout(180_000);
	await openApp(page);
	await useEndpoint(page, { model: 'oracle-base' });
	await writeRecipes(page);
	await page.getByRole('link', { name: 'Experiment' }).click();
	await addReviewsTestSet(page);
	await setUpPair(page, 'pair', 'Sentiment decision');
	await page.getByRole('button', { name: 'Run the test set' }).click();
	await expect(page.getByText('24 of 24 done')).toBeVisible();

	await page.getByRole('tab', { name: 'Decide and share' }).click();
	const decision = page.getByRole('region', { name: 'Decision' });
	// By hand (as in compare.spec.ts): the prompt side passes 6 of 12, the adapter all 12; exact
	// McNemar p = 2·0.5⁶ = 0.031, so the adapter wins. Newcombe's paired interval for prompt −
	// adapter with both = 6, onlyB = 6: Wilson 6/12 = 0.2538…0.7462, 12/12 = 0.7575…1, φ = 0 (a
	// zero margin), L = −0.5 − √(0.2462²) = −0.746, U = −0.5 + √(0.2462² + 0.2425²) = −0.154: the
	// adapter's lead is 15 to 75 points.
	await expect(decision.getByTestId('decision-verdict')).toHaveText('The adapter wins by 50 points (95 % interval 15 to 75).');

	// Few-shot sweep: the engineered recipe has 2 examples, so 0, 1 and 2 are run (2 = the pair's own
	// prompt side, reused). With k examples the oracle's skill is 0.25·k.
	expect(passes(2, 0, engineered)).toBe(6);
	const k0 = passes(0, 0, engineered);
	const k1 = passes(1, 0, engineered);
	expect(k0).toBe(0);
	await decision.getByRole('button', { name: 'Run few-shot sweep' }).click();
	await expect(page.getByText('36 of 36 done')).toBeVisible();
	await expect(decision.getByTestId('sweep-few-shot')).toContainText('No number of examples up to 2 matched the adapter');
	const fewFigure = decision.getByRole('figure', { name: 'Pass rate by number of examples in the prompt' });
	await fewFigure.getByText('Table', { exact: true }).click();
	const fewTable = fewFigure.getByRole('table');
	await expect(fewTable.getByRole('row').nth(1)).toContainText(`${Math.round((k0 / 12) * 100)} %`);
	await expect(fewTable.getByRole('row').nth(2)).toContainText(`${Math.round((k1 / 12) * 100)} %`);
	await expect(fewTable.getByRole('row').nth(3)).toContainText('50 %');

	// Strength sweep on llama.cpp: the per-request scale s is the oracle's skill (plain prompt, no examples).
	const byScale = [0.25, 0.5, 1, 1.5].map((s) => passes(0, s, plain));
	expect(byScale.slice(2)).toEqual([12, 12]);
	await decision.getByRole('button', { name: 'Run strength sweep' }).click();
	await expect(page.getByText('48 of 48 done')).toBeVisible();
	const strengthFigure = decision.getByRole('figure', { name: 'Pass rate by adapter scale' });
	await strengthFigure.getByText('Table', { exact: true }).click();
	const strengthTable = strengthFigure.getByRole('table');
	for (const [i, n] of byScale.entries())
		await expect(strengthTable.getByRole('row').nth(i + 1)).toContainText(`${Math.round((n / 12) * 100)} %`);
	await expect(decision.getByTestId('sweep-strength')).toContainText('peaks at scale 1');

	// The Markdown report: the verdict and the pass rates worked out above.
	const dir = info.outputDir;
	const mdPath = await saveDownload(page, () => decision.getByRole('button', { name: 'Report (Markdown)' }).click(), dir);
	const md = (await import('node:fs')).readFileSync(mdPath, 'utf8');
	expect(md).toContain('The adapter wins by 50 points (95 % interval 15 to 75).');
	expect(md).toMatch(/Base \+ engineered prompt[^\n]*\| 12 \| 50 %/);
	expect(md).toMatch(/Adapter \+ plain prompt[^\n]*\| 12 \| 100 %/);
	expect(md).toContain('Holm');
	writeFileSync(join(dir, 'report.md'), md);

	// The HTML report opens from disk with the network off and asks for nothing.
	const htmlPath = await saveDownload(page, () => decision.getByRole('button', { name: 'Report (HTML)' }).click(), dir);
	const offline = await browser.newContext({ offline: true });
	const requests: string[] = [];
	offline.on('request', (r) => requests.push(r.url()));
	const reportPage = await offline.newPage();
	await reportPage.goto(`file://${htmlPath}`);
	await expect(reportPage.getByText('The adapter wins by 50 points (95 % interval 15 to 75).')).toBeVisible();
	await expect(reportPage.locator('svg').first()).toBeVisible();
	expect(requests).toEqual([`file://${htmlPath}`]);
	await offline.close();

	// The bundle: exported, imported into a fresh profile (an empty database), every row unchanged.
	const before = await dumpTables(page, EXPERIMENT_TABLES);
	const verdictBefore = await decision.getByTestId('decision-verdict').textContent();
	const bundlePath = await saveDownload(page, () => decision.getByRole('button', { name: 'Experiment bundle' }).click(), dir);
	const fresh = await browser.newContext();
	const other = await fresh.newPage();
	await openApp(other);
	await other.getByRole('link', { name: 'Experiment' }).click();
	await other.getByLabel('Import an experiment bundle').setInputFiles(bundlePath);
	await expect(other.getByRole('heading', { name: 'Sentiment decision', level: 2 })).toBeVisible();
	expect(await dumpTables(other, EXPERIMENT_TABLES)).toEqual(before);
	await other.getByRole('tab', { name: 'Decide and share' }).click();
	await expect(other.getByRole('region', { name: 'Decision' }).getByTestId('decision-verdict')).toHaveText(verdictBefore!);
	await fresh.close();
});
