// `npm run bench` step (Vitest project bench-browser, real Chromium Cache Storage + the real derive
// worker): a synthetic SmolLM2-360M-shaped q0f16 model (H 960, I 2560, 15/5 heads of 64, vocab 49152,
// tied; same shapes and f16 distribution as scripts/bench-derive.ts, whose generator writes files with
// node:fs and so cannot run here) is put into 'webllm/model' shard by shard; a rank-16 adapter on the
// seven linear modules. Times (1) a plain Cache→Cache copy of the same folder in the worker and (2) the
// derivation; writes bench-results/derive-browser.json. Measures only; asserts correctness, not speed.
import { commands } from 'vitest/browser';
import { expect, test } from 'vitest';
import { writeSafetensors } from '../../src/domain/weights/index.ts';
import { createDeriveClient } from '../../src/workers/derive-client.ts';

/** Decoder layers; 32 is the real model (~725 MB). Lower it here if the machine's disk is tight. */
const LAYERS = 32;
const H = 960, I = 2560, HQ = 15, HKV = 5, D = 64, VOCAB = 49152, RANK = 16;
const SHARD = 32 * 1024 * 1024;

let seed = 0x9e3779b9;
function fillRandomF16(out: Uint16Array): void {
	let x = seed;
	for (let i = 0; i < out.length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = (x & 0x83ff) | ((9 + ((x >>> 10) & 3)) << 10);
	}
	seed = x;
}

const put = async (scope: string, url: string, body: BlobPart) =>
	(await caches.open(scope)).put(url, new Response(new Blob([body]), { status: 200 }));

async function cacheBase(folder: string): Promise<number> {
	const params: [string, number[]][] = [['model.embed_tokens.weight', [VOCAB, H]]];
	for (let l = 0; l < LAYERS; l++) {
		const p = `model.layers.${l}`;
		params.push([`${p}.self_attn.qkv_proj.weight`, [(HQ + 2 * HKV) * D, H]]);
		params.push([`${p}.self_attn.o_proj.weight`, [H, HQ * D]]);
		params.push([`${p}.mlp.gate_up_proj.weight`, [2 * I, H]]);
		params.push([`${p}.mlp.down_proj.weight`, [H, I]]);
		params.push([`${p}.input_layernorm.weight`, [H]]);
		params.push([`${p}.post_attention_layernorm.weight`, [H]]);
	}
	params.push(['model.norm.weight', [H]]);
	const shards: { dataPath: string; format: 'raw-shard'; nbytes: number; records: unknown[] }[] = [];
	let chunks: Uint8Array<ArrayBuffer>[] = [], records: unknown[] = [], size = 0, total = 0;
	const flush = async () => {
		if (!chunks.length) return;
		const dataPath = `params_shard_${shards.length}.bin`;
		await put('webllm/model', `${folder}${dataPath}`, new Blob(chunks));
		shards.push({ dataPath, format: 'raw-shard', nbytes: size, records });
		total += size;
		chunks = [];
		records = [];
		size = 0;
	};
	for (const [name, shape] of params) {
		const v = new Uint16Array(shape.reduce((a, b) => a * b, 1));
		fillRandomF16(v);
		const bytes = new Uint8Array(v.buffer);
		if (size > 0 && size + bytes.length > SHARD) await flush();
		records.push({ name, shape, dtype: 'float16', format: 'f32-to-bf16', nbytes: bytes.length, byteOffset: size });
		chunks.push(bytes);
		size += bytes.length;
	}
	await flush();
	const mlcConfig = {
		model_type: 'llama',
		quantization: 'q0f16',
		model_config: { hidden_size: H, intermediate_size: I, num_hidden_layers: LAYERS, num_attention_heads: HQ, num_key_value_heads: HKV, head_dim: D, vocab_size: VOCAB, tie_word_embeddings: true },
		vocab_size: VOCAB,
		tokenizer_files: ['tokenizer.json']
	};
	await put('webllm/config', `${folder}mlc-chat-config.json`, JSON.stringify(mlcConfig));
	await put('webllm/model', `${folder}tokenizer.json`, '{"version":"1.0"}');
	await put('webllm/model', `${folder}tensor-cache.json`, JSON.stringify({ metadata: {}, records: shards }));
	return total;
}

function buildAdapter(): { config: Blob; tensors: Blob } {
	const dims: Record<string, [string, number, number]> = {
		q_proj: ['self_attn', H, HQ * D], k_proj: ['self_attn', H, HKV * D], v_proj: ['self_attn', H, HKV * D],
		o_proj: ['self_attn', HQ * D, H], gate_proj: ['mlp', H, I], up_proj: ['mlp', H, I], down_proj: ['mlp', I, H]
	};
	const rand = (n: number) => {
		const f = new Float32Array(n);
		for (let i = 0; i < n; i++) f[i] = (Math.random() - 0.5) * 0.02;
		return new Uint8Array(f.buffer);
	};
	const tensors = [];
	for (let l = 0; l < LAYERS; l++) {
		for (const [m, [parent, inF, outF]] of Object.entries(dims)) {
			const base = `base_model.model.model.layers.${l}.${parent}.${m}`;
			tensors.push({ name: `${base}.lora_A.weight`, dtype: 'F32' as const, shape: [RANK, inF], data: rand(RANK * inF) });
			tensors.push({ name: `${base}.lora_B.weight`, dtype: 'F32' as const, shape: [outF, RANK], data: rand(outF * RANK) });
		}
	}
	const config = { peft_type: 'LORA', task_type: 'CAUSAL_LM', base_model_name_or_path: 'HuggingFaceTB/SmolLM2-360M-Instruct', r: RANK, lora_alpha: 32, target_modules: Object.keys(dims), bias: 'none' };
	return { config: new Blob([JSON.stringify(config)]), tensors: new Blob([writeSafetensors(tensors) as Uint8Array<ArrayBuffer>]) };
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
