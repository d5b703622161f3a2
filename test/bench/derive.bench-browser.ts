// `npm run bench` step (Vitest project bench-browser, real Chromium Cache Storage + the real derive
// worker): a synthetic SmolLM2-360M-shaped q0f16 model (H 960, I 2560, 15/5 heads of 64, vocab 49152,
// tied; built by test/factories/synthetic-smollm2.ts, shared with scripts/bench-derive.ts) is put into
// 'webllm/model' shard by shard; a rank-16 adapter on the seven linear modules. Times (1) a plain
// Cache→Cache copy of the same folder in the worker and (2) the derivation; writes
// bench-results/derive-browser.json. Measures only; asserts correctness, not speed.
import { commands } from 'vitest/browser';
import { expect, test } from 'vitest';
import { createDeriveClient } from '../../src/workers/derive-client.ts';
import {
	VOCAB,
	createF16Filler,
	syntheticAdapter,
	syntheticModelConfig,
	syntheticShards,
	type SyntheticShard
} from '../factories/synthetic-smollm2.ts';

/** Decoder layers; 32 is the real model (~725 MB). Lower it here if the machine's disk is tight. */
const LAYERS = 32;
const fillRandomF16 = createF16Filler();

const put = async (scope: string, url: string, body: BlobPart) =>
	(await caches.open(scope)).put(url, new Response(new Blob([body]), { status: 200 }));

async function cacheBase(folder: string): Promise<number> {
	const shards: SyntheticShard['entry'][] = [];
	let total = 0;
	for (const { entry, chunks } of syntheticShards(LAYERS, fillRandomF16)) {
		await put('webllm/model', `${folder}${entry.dataPath}`, new Blob(chunks));
		shards.push(entry);
		total += entry.nbytes;
	}
	const mlcConfig = {
		model_type: 'llama',
		quantization: 'q0f16',
		model_config: syntheticModelConfig(LAYERS),
		vocab_size: VOCAB,
		tokenizer_files: ['tokenizer.json']
	};
	await put('webllm/config', `${folder}mlc-chat-config.json`, JSON.stringify(mlcConfig));
	await put('webllm/model', `${folder}tokenizer.json`, '{"version":"1.0"}');
	await put('webllm/model', `${folder}tensor-cache.json`, JSON.stringify({ metadata: {}, records: shards }));
	return total;
}

function buildAdapter(): { config: Blob; tensors: Blob } {
	const rand = (n: number) => {
		const f = new Float32Array(n);
		for (let i = 0; i < n; i++) f[i] = (Math.random() - 0.5) * 0.02;
		return new Uint8Array(f.buffer);
	};
	const { config, safetensors } = syntheticAdapter(LAYERS, 'F32', rand);
	return { config: new Blob([JSON.stringify(config)]), tensors: new Blob([safetensors as Uint8Array<ArrayBuffer>]) };
}

test('derive in the browser: SmolLM2-360M-shaped q0f16, rank 16 on 7 modules', async () => {
	for (const s of ['webllm/model', 'webllm/config']) await caches.delete(s);
	const folder = `${location.origin}/bench-base/smollm2-360m-q0f16/resolve/main/`;
	const baseBytes = await cacheBase(folder);
	const client = createDeriveClient();
	try {
		const copy = await client.copyFolder(folder, `${location.origin}/bench-copy/resolve/main/`);
		await client.deleteDerived(`${location.origin}/bench-copy/resolve/main/`);
		const t0 = performance.now();
		const out = await client.derive({
			baseRecord: { model: folder, model_id: 'SmolLM2-360M-Instruct-q0f16-MLC', model_lib: 'https://unreachable.invalid/x.wasm' },
			adapter: buildAdapter(),
			origin: location.origin
		});
		const seconds = (performance.now() - t0) / 1000;
		expect(out.fidelity.summary.modules).toBe(7 * LAYERS);
		await client.deleteDerived(out.record.model);
		const copyMbPerSec = copy.bytes / 1e6 / (copy.elapsedMs / 1000);
		const mbPerSec = baseBytes / 1e6 / seconds;
		const result = {
			layers: LAYERS,
			baseBytes,
			seconds,
			mbPerSec,
			copySeconds: copy.elapsedMs / 1000,
			copyMbPerSec,
			ratioToCopy: seconds / (copy.elapsedMs / 1000),
			fidelity: out.fidelity.summary
		};
		await commands.writeFile('bench-results/derive-browser.json', JSON.stringify(result, null, 2));
	} finally {
		client.dispose();
		for (const s of ['webllm/model', 'webllm/config']) await caches.delete(s);
	}
});
