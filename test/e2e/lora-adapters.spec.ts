// The LoRA adapters panel, driven as a user: a tiny PEFT adapter (test/factories) is added through
// the file input and inspected (base, targets, layers, rank, alpha, scaling, dtype); the catalog's
// suggested bases are offered; a tiny MLC base written into Cache Storage under the catalog URL of
// SmolLM2-135M-Instruct-q0f32-MLC is chosen, passes the compatibility check, and deriving shows
// progress and then the fidelity summary; "Chat with it" selects the derived model in the model
// picker. Nothing leaves for another host until that load asks for the model library. After a
// reload the adapter library and the derived model are still listed. A pickle (.bin) adapter is
// refused with the reason and nothing is stored.
import { createHash } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../factories/tiny-models.ts';
import { openApp, openPlace, putInWebLlmCache, recordOutsideRequests, waitForStart } from './helpers.ts';

const HF_BASE = 'HuggingFaceTB/SmolLM2-135M-Instruct';
const BASE_ID = 'SmolLM2-135M-Instruct-q0f32-MLC';
// web-llm 0.2.86's record for the base: `model` is this URL, and web-llm appends resolve/main/.
const BASE_FOLDER = `https://huggingface.co/mlc-ai/${BASE_ID}/resolve/main/`;
const LIBRARY_NAME = `LoRA for ${HF_BASE}`;

// SmolLM2 is a llama model; its q0f32 quantization is what the tiny base is converted to.
const arch = tinyArch('llama');
const RANK = 4;
const ALPHA = 8;
const adapter = buildPeftAdapter(arch, {
	targets: ['q_proj', 'v_proj'],
	rank: RANK,
	alpha: ALPHA,
	dtype: 'F32',
	extraConfig: { base_model_name_or_path: HF_BASE }
});

/** The adapter's id: SHA-256 of adapter_config.json, a zero byte and adapter_model.safetensors. */
const adapterHash = createHash('sha256')
	.update(adapter.files.get('adapter_config.json')!)
	.update(new Uint8Array([0]))
	.update(adapter.files.get('adapter_model.safetensors')!)
	.digest('hex');
/** The derived model's id and the label the picker shows for it. */
const DERIVED_ID = `${BASE_ID}+lora-${adapterHash.slice(0, 12)}`;
const DERIVED_LABEL = `${BASE_ID} + LoRA ${adapterHash.slice(0, 8)}`;

/** Playwright file payloads for the adapter's files (optionally renamed). */
function payloads(files: Map<string, Uint8Array>, rename: Record<string, string> = {}) {
	return [...files].map(([name, bytes]) => ({
		name: rename[name] ?? name,
		mimeType: 'application/octet-stream',
		buffer: Buffer.from(bytes)
	}));
}

async function openAdapters(page: Page) {
	await openPlace(page, 'Adapters');
	const panel = page.getByRole('region', { name: 'LoRA adapters' });
	await expect(panel.getByRole('heading', { name: 'LoRA adapters', level: 2 })).toBeVisible();
	return panel;
}

/** The inspector's value for a term (dt → dd). */
function reportValue(panel: ReturnType<Page['getByRole']>, term: string) {
	return panel.getByRole('term').filter({ hasText: term }).locator('xpath=following-sibling::dd[1]');
}

test('an adapter is inspected, merged into a cached q0f32 base with progress and fidelity, and chatted with; it survives a reload', async ({
	page,
	context
}) => {
	const outside = await recordOutsideRequests(context);
	await openApp(page);
	const base = buildMlcFolder(arch, 'q0f32', buildHfOriginal(arch, { dtype: 'BF16' }));
	expect(base.mlcConfig.quantization).toBe('q0f32');
	await putInWebLlmCache(page, BASE_FOLDER, base.files);

	const panel = await openAdapters(page);
	await expect(panel).toContainText('No derived model yet.');
	await panel.getByRole('group', { name: 'Add a PEFT adapter' }).getByLabel('Files').setInputFiles(payloads(adapter.files));

	// The inspector, checked against the adapter built here.
	await expect(panel.getByRole('heading', { name: LIBRARY_NAME, level: 3 })).toBeVisible();
	await expect(reportValue(panel, 'Base it was trained on')).toHaveText(HF_BASE);
	await expect(reportValue(panel, 'Targets')).toHaveText('q_proj, v_proj');
	await expect(reportValue(panel, 'Layers')).toHaveText([...Array(arch.layers).keys()].join(', '));
	await expect(reportValue(panel, 'Rank (r)')).toHaveText(String(RANK));
	await expect(reportValue(panel, 'Alpha')).toHaveText(String(ALPHA));
	await expect(reportValue(panel, 'Scaling')).toHaveText(`${ALPHA / RANK} (α/r)`);
	await expect(reportValue(panel, 'Dtypes')).toHaveText('F32');
	await expect(panel.getByText('Adapter library (1)')).toBeVisible();

	// Suggested bases: the catalog's SmolLM2-135M-Instruct variants, one picked already.
	const baseSelect = panel.getByRole('combobox', { name: 'Base model' });
	// Before choosing: the pre-selected base is a suggestion this GPU can run (SwiftShader has no
	// shader-f16, so the f16 suggestions are marked "cannot run here", as in the model picker).
	const suggested = await baseSelect.getByRole('option', { name: /\(suggested\)/ }).allTextContents();
	expect(suggested.length).toBeGreaterThanOrEqual(2);
	for (const s of suggested) expect(s).toMatch(/^SmolLM2-135M-Instruct-/);
	expect(suggested).toContain(`${BASE_ID} (suggested)`);
	for (const s of suggested) expect(s.endsWith(' — cannot run here')).toBe(/f16/.test(s));
	const runnable = suggested.filter((s) => s.endsWith('(suggested)')).map((s) => s.replace(' (suggested)', ''));
	expect(runnable).toContain(await baseSelect.inputValue());

	await baseSelect.selectOption(BASE_ID);
	await expect(panel.getByRole('status').filter({ hasText: 'Fits the chosen base' })).toBeVisible();

	// Derive; a MutationObserver keeps every progress line shown, however briefly.
	await page.evaluate(() => {
		const seen: string[] = [];
		(window as unknown as { progressSeen: string[] }).progressSeen = seen;
		new MutationObserver(() => {
			const bar = document.querySelector('progress[aria-label="Derivation progress"]');
			const line = bar?.nextElementSibling?.textContent?.trim();
			if (bar && line && !seen.includes(line)) seen.push(line);
		}).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
	});
	await panel.getByRole('button', { name: 'Derive model' }).click();
	const derived = panel.getByRole('listitem').filter({ hasText: DERIVED_ID });
	await expect(derived).toHaveCount(1, { timeout: 30_000 });
	const progressSeen = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
	expect(progressSeen.filter((l) => /^Merging \d+%$/.test(l)).length).toBeGreaterThanOrEqual(2);
	expect(progressSeen).toContain('Merging 100%');
	// The base was already cached: it is checked, never reported as a download.
	expect(progressSeen.some((l) => l.startsWith('Checking the cached base model'))).toBe(true);
	expect(progressSeen.some((l) => l.startsWith('Downloading'))).toBe(false);
	await expect(panel.getByRole('progressbar', { name: 'Derivation progress' })).toHaveCount(0);
	await expect(panel.getByRole('alert')).toHaveCount(0);

	// Fidelity: one line per adapted module; q0f32 stores the merged float32 exactly, so cosine ≈ 1.
	const summary = derived.getByText(/^Fidelity over/);
	await expect(summary).toContainText(`Fidelity over ${adapter.modules.length} modules`);
	// q0f32 stores the merged weights exactly: gain 1 within rounding, no subspace error to speak of
	const [, minGain, maxGain] = (await summary.innerText()).match(/gain ([\d.]+)–([\d.]+)/)!.map(Number);
	expect(minGain).toBeGreaterThan(0.999);
	expect(maxGain).toBeLessThan(1.001);
	await expect(derived.locator('strong')).toHaveText(DERIVED_ID);
	expect(outside).toEqual([]);

	// Chat with it: the playground opens on the derived model; in Models it is selected in the picker,
	// under its label, cached.
	await derived.getByRole('button', { name: 'Chat with it' }).click();
	await expect(page.getByRole('navigation', { name: 'Places' }).getByRole('link', { name: 'Playground' })).toHaveAttribute(
		'aria-current',
		'page'
	);
	await expect(page.getByRole('region', { name: 'Model in this browser' }).locator('[aria-live="polite"]')).toContainText(DERIVED_LABEL);
	await openPlace(page, 'Models');
	const models = page.getByRole('region', { name: 'Model in this browser' });
	await expect(models.getByText(`Choose a model (${DERIVED_LABEL})`)).toBeVisible();
	await models.getByText(/^Choose a model/).click();
	const radio = models.getByRole('radio', { name: DERIVED_LABEL });
	await expect(radio).toBeChecked();
	const row = models.locator('label').filter({ has: page.getByRole('radio', { name: DERIVED_LABEL }) });
	await expect(row.getByText('cached', { exact: true })).toBeVisible();
	await expect(row).toContainText(`LoRA merged into ${adapter.modules.length} modules`);
	// The cache manager lists both the base and the derived model (under its label).
	await models.getByText('Downloaded models and storage').click();
	const downloaded = models.getByRole('region', { name: 'Downloaded models' }).getByRole('listitem');
	await expect(downloaded.filter({ hasText: DERIVED_LABEL })).toHaveCount(1);
	await expect(downloaded.filter({ hasText: BASE_ID })).toHaveCount(2); // the base, and the label

	// Reload: the library and the derived model (with its fidelity) are still there.
	await page.reload();
	await waitForStart(page);
	const again = await openAdapters(page);
	await again.getByText('Adapter library (1)').click();
	await expect(again.getByRole('button', { name: LIBRARY_NAME, exact: true })).toBeVisible();
	const derivedAgain = again.getByRole('listitem').filter({ hasText: DERIVED_ID });
	await expect(derivedAgain).toHaveCount(1);
	await expect(derivedAgain).toContainText(`Fidelity over ${adapter.modules.length} modules`);
	// The picker lists it from start-up (the saved selection is restored).
	await openPlace(page, 'Models');
	await expect(models.getByText(`Choose a model (${DERIVED_LABEL})`)).toBeVisible();
	await models.getByText(/^Choose a model/).click();
	await expect(models.getByRole('radio', { name: DERIVED_LABEL })).toBeChecked();

	// The derived model stores only its changed shards and reads the rest from the base's files, so
	// deleting the base asks first: Cancel keeps both, confirming deletes both.
	await models.getByText('Downloaded models and storage').click();
	const cache = models.getByRole('region', { name: 'Downloaded models' });
	const deleteBase = cache.getByRole('button', { name: `Delete ${BASE_ID} from this browser` });
	await deleteBase.click();
	const ask = cache.getByRole('alertdialog');
	await expect(ask).toContainText("1 derived model uses this base's files");
	await expect(ask).toContainText(DERIVED_LABEL);
	await ask.getByRole('button', { name: 'Cancel' }).click();
	await expect(cache.getByRole('listitem').filter({ hasText: DERIVED_LABEL })).toHaveCount(1);
	await deleteBase.click();
	await cache
		.getByRole('alertdialog')
		.getByRole('button', { name: `Delete ${BASE_ID} and its derived models` })
		.click();
	await expect(cache.getByText('No model is downloaded yet.')).toBeVisible();
});

test('a pickle (.bin) adapter is refused with the reason, and nothing is stored', async ({ page }) => {
	await openApp(page);
	const panel = await openAdapters(page);
	const files = payloads(adapter.files, { 'adapter_model.safetensors': 'adapter_model.bin' });
	await panel.getByRole('group', { name: 'Add a PEFT adapter' }).getByLabel('Files').setInputFiles(files);
	const alert = panel.getByRole('alert');
	await expect(alert).toContainText('adapter_model.bin is a pickle file, which can run arbitrary code');
	await expect(alert).toContainText('adapter_model.safetensors');
	await expect(panel.getByText(/^Adapter library/)).toHaveCount(0);
	await expect(panel.getByRole('combobox', { name: 'Base model' })).toHaveCount(0);
});
