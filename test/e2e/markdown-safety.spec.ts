// Model output is untrusted: the answer is rendered as Markdown through the sanitiser. The test
// server echoes the user message, so a prompt carrying <script>, <img onerror> and a javascript:
// link comes back as model output; the Markdown must render (bold text) and none of it may run.
import { expect, test } from '@playwright/test';
import { answerPane, openApp, recipePane, runByKeyboard, useEndpoint, waitForDone } from './helpers.ts';

const PAYLOAD = [
	'**bold-marker**',
	'<script>window.__xss = "script"</script>',
	'<img src="https://images.invalid/x.png" onerror="window.__xss = \'img\'">',
	"[click-marker](javascript:window.__xss='link')",
	'<iframe src="javascript:parent.__xss=\'iframe\'"></iframe>'
].join(' ');

test('a hostile answer renders as sanitised Markdown and runs nothing', async ({ page, context }) => {
	await context.route('https://images.invalid/**', (route) => route.abort('namenotresolved'));
	const dialogs: string[] = [];
	page.on('dialog', (d) => {
		dialogs.push(d.message());
		void d.dismiss();
	});
	await openApp(page);
	await useEndpoint(page);
	await recipePane(page).getByLabel('User message template').fill(PAYLOAD);
	await runByKeyboard(page);
	await waitForDone(page);

	const answer = answerPane(page);
	await expect(answer.getByLabel('Show as Markdown')).toBeChecked();
	// Rendered as Markdown, not shown as source text.
	await expect(answer.locator('strong', { hasText: 'bold-marker' })).toBeVisible();
	const link = answer.getByText('click-marker');
	await expect(link).toBeVisible();
	expect(await link.getAttribute('href')).toBeNull();
	// The image itself arrived (so the payload reached the renderer) but without its handler.
	await expect(answer.locator('img')).toHaveCount(1);
	expect(await answer.locator('img').getAttribute('onerror')).toBeNull();
	// Give a failing image time to fire its (removed) handler.
	await page.waitForTimeout(300);
	const found = await page.evaluate(() => ({
		xss: (window as unknown as { __xss?: string }).__xss ?? null,
		scriptsInBody: document.body.querySelectorAll('script').length,
		onerrorAttrs: document.querySelectorAll('[onerror]').length,
		iframes: document.querySelectorAll('iframe').length,
		jsLinks: [...document.querySelectorAll('a[href]')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href')!)).length
	}));
	expect(found).toEqual({ xss: null, scriptsInBody: 0, onerrorAttrs: 0, iframes: 0, jsLinks: 0 });
	expect(dialogs).toEqual([]);

	// Plain-text mode shows the payload as text, verbatim.
	await answer.getByLabel('Show as Markdown').uncheck();
	await expect(answer.locator('pre')).toContainText('<script>window.__xss = "script"</script>');
});
