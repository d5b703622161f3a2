// A catalog model that is already in web-llm's Cache Storage (written here the way a finished web-llm
// download leaves it: tensor-cache.json + the shard it lists in 'webllm/model', mlc-chat-config.json
// in 'webllm/config') is reported as downloaded after an OFFLINE reload: in the cache manager with
// its size, with a "cached" badge in the picker and "loads without network" in the load row, while
// no request ever leaves for a non-localhost host. Control: pressing Load does reach for the model
// library on the network (the wasm is not cached), which proves the recorder sees worker requests.
import { expect, test } from '@playwright/test';
import { openApp, openPlace, putInWebLlmCache, recordOutsideRequests, waitForStart } from './helpers.ts';

// web-llm 0.2.86's record for this model: `model` is this URL, and web-llm appends resolve/main/.
const MODEL_ID = 'SmolLM2-135M-Instruct-q0f32-MLC';
const FOLDER = `https://huggingface.co/mlc-ai/${MODEL_ID}/resolve/main/`;

const SHARD_BYTES = 3000;

/** tensor-cache.json listing one shard with one float32 record (stored as bf16: 2 bytes each). */
function modelFiles(): Map<string, Uint8Array> {
	const shard = new Uint8Array(SHARD_BYTES).map((_, i) => i % 251);
	const tensorCache = {
		metadata: { ParamSize: 1, ParamBytes: SHARD_BYTES, BitsPerParam: 16 },
		records: [
			{
				dataPath: 'params_shard_0.bin',
				format: 'raw-shard',
				nbytes: SHARD_BYTES,
				records: [
					{
						name: 'model.norm.weight',
						shape: [SHARD_BYTES / 2],
						dtype: 'float32',
						format: 'f32-to-bf16',
						nbytes: SHARD_BYTES,
						byteOffset: 0
					}
				]
			}
		]
	};
	const config = {
		model_type: 'llama',
		quantization: 'q0f32',
		tokenizer_files: ['tokenizer.json'],
		context_window_size: 2048
	};
	const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
	return new Map([
		['params_shard_0.bin', shard],
		['tensor-cache.json', enc(tensorCache)],
		['mlc-chat-config.json', enc(config)]
	]);
}

/** Bytes as the UI writes them (binary KB with one decimal), computed here for the files written. */
function kb(bytes: number): string {
	return `${(bytes / 1024).toFixed(1)} KB`;
}

test("a model already in web-llm's cache is reported as ready without any network", async ({ page, context }) => {
	const outside = await recordOutsideRequests(context);
	await openApp(page);
	const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
	expect(scope).toBe(new URL('/', page.url()).href);

	// Before: the model is not downloaded.
	await openPlace(page, 'Models');
	await page.getByText('Choose a model').click();
	const picker = page.getByRole('region', { name: 'Models' });
	await picker.getByLabel('Search models').fill(MODEL_ID);
	const radio = picker.getByRole('radio', { name: MODEL_ID });
	await radio.check();
	const status = page.getByRole('region', { name: 'Model in this browser' }).locator('[aria-live="polite"]');
	await expect(status).toHaveText(`${MODEL_ID} is not downloaded yet.`);
	const row = picker.locator('label').filter({ has: page.getByRole('radio', { name: MODEL_ID }) });
	await expect(row).toContainText(MODEL_ID);
	await expect(row.getByText('cached', { exact: true })).toHaveCount(0);

	const files = modelFiles();
	await putInWebLlmCache(page, FOLDER, files);
	const totalBytes = [...files.values()].reduce((n, b) => n + b.length, 0);

	await context.setOffline(true);
	try {
		await page.reload();
		await waitForStart(page);
		expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

		const models = page.getByRole('region', { name: 'Model in this browser' });
		await expect(models.locator('[aria-live="polite"]')).toHaveText(`${MODEL_ID} is cached: loads without network.`);
		await expect(models.getByRole('button', { name: 'Load (from cache)' })).toBeEnabled();

		await models.getByText('Choose a model').click();
		await expect(picker.getByRole('radio', { name: MODEL_ID })).toBeChecked();
		await expect(row.getByText('cached', { exact: true })).toBeVisible();

		await models.getByText('Downloaded models and storage').click();
		const cacheList = models.getByRole('region', { name: 'Downloaded models' }).getByRole('listitem');
		await expect(cacheList).toHaveCount(1);
		await expect(cacheList.first()).toContainText(MODEL_ID);
		await expect(cacheList.first()).toContainText(kb(totalBytes));
		await expect(cacheList.first().getByRole('button', { name: `Delete ${MODEL_ID} from this browser` })).toBeVisible();

		expect(outside).toEqual([]);

		// Control: loading needs the model library (not cached), so the recorder must now see a request.
		await models.getByRole('button', { name: 'Load (from cache)' }).click();
		await expect(models.getByRole('alert')).toBeVisible({ timeout: 30_000 });
		// Only the model library (fetched by web-llm's worker); no weight file was asked for.
		expect(outside).toEqual([expect.stringMatching(/^https:\/\/raw\.githubusercontent\.com\/.*\.wasm$/)]);
	} finally {
		await context.setOffline(false);
	}
});
