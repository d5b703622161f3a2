// A first visit: the app opens on an empty database with the in-browser engine, the WebGPU probe
// has judged every catalog model (SwiftShader has no shader-f16: f16 models are marked not runnable
// with the reason, f32 ones are runnable and one is picked), history is empty, and at phone width
// (390 px) the main controls are on screen; each place (experiment, playground, models, adapters, test
// sets, history) has its own page, and a reload stays on it.
import { expect, test } from '@playwright/test';
import { answerPane, historyPane, openApp, openPlace, recipePane } from './helpers.ts';

const F16_MODEL = 'SmolLM2-360M-Instruct-q4f16_1-MLC';
const F32_MODEL = 'SmolLM2-360M-Instruct-q4f32_1-MLC';

test('first visit: in-browser engine, empty history, nothing to run yet', async ({ page }) => {
	await openApp(page);
	await expect(page.getByRole('combobox', { name: 'Engine' })).toHaveValue('webllm');
	await expect(historyPane(page)).toContainText('No runs yet');
	await expect(answerPane(page).getByRole('button', { name: /^Run/ })).toBeDisabled();
	await expect(answerPane(page)).toContainText('Load a model first.');
	await expect(recipePane(page).getByRole('combobox', { name: 'Recipe', exact: true })).toHaveValue('');
});

test('the WebGPU probe marks f16 models not runnable with the reason, f32 models runnable', async ({ page }) => {
	await openApp(page);
	await openPlace(page, 'Models');
	await page.getByText('Choose a model').click();
	const picker = page.getByRole('region', { name: 'Models' });
	await picker.getByLabel('Search models').fill('SmolLM2-360M');
	const f16 = picker.getByRole('radio', { name: F16_MODEL });
	const f32 = picker.getByRole('radio', { name: F32_MODEL });
	await expect(f16).toBeDisabled();
	await expect(f32).toBeEnabled();
	const labelOf = (id: string) => picker.locator('label').filter({ has: page.getByRole('radio', { name: id }) });
	await expect(labelOf(F16_MODEL)).toContainText("Can't run here: needs the shader-f16 GPU feature");
	await expect(labelOf(F32_MODEL)).not.toContainText("Can't run here");
	// Every model whose quantization is f16 is disabled; none with f32 is disabled for shader-f16.
	await picker.getByLabel('Search models').fill('');
	const all = picker.getByRole('radio');
	const seen = await all.evaluateAll((inputs) =>
		inputs.map((i) => ({ id: (i as HTMLInputElement).value, disabled: (i as HTMLInputElement).disabled }))
	);
	expect(seen.length).toBeGreaterThan(10);
	for (const m of seen) if (/q\df16|q0f16/.test(m.id)) expect(m, m.id).toMatchObject({ disabled: true });
	expect(seen.some((m) => /q4f32/.test(m.id) && !m.disabled)).toBe(true);
	// The default pick is a runnable model.
	const picked = await all.evaluateAll((inputs) => inputs.find((i) => (i as HTMLInputElement).checked)?.getAttribute('value'));
	expect(picked).toBeTruthy();
	expect(seen.find((m) => m.id === picked)?.disabled).toBe(false);
});

test.describe('phone width', () => {
	test.use({ viewport: { width: 390, height: 844 } });

	test('the main controls are visible and nothing overflows sideways', async ({ page }) => {
		await openApp(page);
		const controls = [
			page.getByRole('combobox', { name: 'Engine' }),
			page.getByRole('button', { name: 'Download and load' }),
			recipePane(page).getByLabel('System prompt'),
			recipePane(page).getByLabel('User message template'),
			answerPane(page).getByRole('button', { name: /^Run/ }),
			historyPane(page).getByRole('button', { name: 'Export all (JSON)' })
		];
		for (const c of controls) {
			await c.scrollIntoViewIfNeeded();
			await expect(c).toBeInViewport();
			const box = await c.boundingBox();
			expect(box!.x).toBeGreaterThanOrEqual(0);
			expect(box!.x + box!.width).toBeLessThanOrEqual(390);
		}
		const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(scrollWidth).toBeLessThanOrEqual(390);
	});
});

test('every place has its own page: experiment, playground, models, adapters, test sets, history', async ({ page }) => {
	await openApp(page);
	const places: [string, () => ReturnType<typeof page.getByRole>][] = [
		['Experiment', () => page.getByRole('region', { name: 'Experiment' })],
		['Playground', () => recipePane(page)],
		['Models', () => page.getByRole('region', { name: 'Model in this browser' }).getByText('Downloaded models and storage')],
		['Adapters', () => page.getByRole('region', { name: 'LoRA adapters' })],
		['Test sets', () => page.getByRole('region', { name: 'Test sets' })],
		['History', () => historyPane(page)]
	];
	for (const [name, content] of places) {
		await openPlace(page, name);
		await expect(content(), name).toBeVisible();
		expect(new URL(page.url()).hash).toBe(`#/${name.toLowerCase().replace(' ', '-')}`);
	}
	// A reload stays on the place it was on.
	await page.reload();
	await expect(historyPane(page)).toBeVisible();
	await expect(recipePane(page)).toHaveCount(0);
});
