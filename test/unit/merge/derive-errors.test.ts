// deriveModel on broken input: each failure gets its own clear error and no derived-model.json.
// Covers: NaN/Inf in adapter tensors, truncated adapter file, lying safetensors header, huge header
// length, DoRA config, lm_head on tied base, missing base shard, truncated base shard, bad JSON,
// cancellation through AbortSignal (before and during), progress reports.

import { expect, test } from 'vitest';
import { AdapterIncompatibleError, AdapterTensorError } from '../../../src/domain/lora/index.ts';
import { BaseModelError, DeriveAbortedError, deriveModel } from '../../../src/domain/merge/index.ts';
import { bytesSource, SafetensorsError, writeSafetensors } from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, type FileMap, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo } from './memory-io.ts';

const arch = tinyArch('llama');
const base = buildMlcFolder(arch, 'q0f16', buildHfOriginal(arch, { dtype: 'BF16' }));
const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'o_proj'], rank: 2, alpha: 2, dtype: 'F32' });
const tensors = adapter.files.get('adapter_model.safetensors')!;
const HASH = '0'.repeat(64);

async function run(opts: { files?: FileMap; tensorBytes?: Uint8Array; config?: unknown; signal?: AbortSignal; onProgress?: () => void }) {
	const io = await memoryIo(opts.files ?? base.files);
	const p = deriveModel(io, {
		baseModelId: 'tiny',
		adapter: { configJson: opts.config ?? adapter.config, tensors: bytesSource(opts.tensorBytes ?? tensors), sha256: HASH },
		signal: opts.signal,
		onProgress: opts.onProgress
	});
	return { io, p };
}

function withNaN(): Uint8Array {
	const m = adapter.modules[0];
	const a = m.a.slice();
	a[3] = NaN;
	return writeSafetensors(
		adapter.modules.flatMap((x) => [
			{ name: x.keyA, dtype: 'F32' as const, shape: [x.rank, x.inFeatures], data: new Uint8Array((x === m ? a : x.a).slice().buffer) },
			{ name: x.keyB, dtype: 'F32' as const, shape: [x.outFeatures, x.rank], data: new Uint8Array(x.b.slice().buffer) }
		])
	);
}

function hugeHeader(): Uint8Array {
	const b = new Uint8Array(16);
	new DataView(b.buffer).setBigUint64(0, 10n ** 12n, true);
	return b;
}

function lyingHeader(): Uint8Array {
	const good = tensors.slice();
	const n = Number(new DataView(good.buffer).getBigUint64(0, true));
	const text = new TextDecoder().decode(good.subarray(8, 8 + n)).replace('[2,64]', '[2,65]');
	const json = new TextEncoder().encode(text);
	const out = new Uint8Array(8 + json.length + good.length - 8 - n);
	new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
	out.set(json, 8);
	out.set(good.subarray(8 + n), 8 + json.length);
	return out;
}

function without(name: string): FileMap {
	return new Map([...base.files].filter(([n]) => n !== name));
}

function truncated(name: string): FileMap {
	const m = new Map(base.files);
	m.set(name, m.get(name)!.subarray(0, 100));
	return m;
}

test.each([
	['NaN in lora_A', { tensorBytes: withNaN() }, AdapterTensorError, /NaN/],
	['truncated adapter file', { tensorBytes: tensors.subarray(0, tensors.length - 50) }, SafetensorsError, /truncated|outside|size/i],
	['lying header (shape × dtype ≠ bytes)', { tensorBytes: lyingHeader() }, SafetensorsError, /./],
	['huge header length', { tensorBytes: hugeHeader() }, SafetensorsError, /header/i],
	['DoRA', { config: { ...adapter.config, use_dora: true } }, AdapterIncompatibleError, /DoRA/],
	['lm_head on tied base', { config: { ...adapter.config, modules_to_save: ['lm_head'] } }, AdapterIncompatibleError, /ties lm_head/],
	['missing shard', { files: without('params_shard_1.bin') }, BaseModelError, /params_shard_1\.bin/],
	['truncated shard', { files: truncated('params_shard_0.bin') }, BaseModelError, /re-download/],
	['missing tensor-cache.json', { files: without('tensor-cache.json') }, BaseModelError, /tensor-cache\.json/],
	[
		'bad JSON config',
		{ files: new Map([...base.files, ['mlc-chat-config.json', new TextEncoder().encode('{')]]) },
		BaseModelError,
		/not valid JSON/
	]
])('%s', async (_, opts, errorClass, message) => {
	const { io, p } = await run(opts as Parameters<typeof run>[0]);
	await expect(p).rejects.toBeInstanceOf(errorClass);
	await expect(p).rejects.toThrow(message);
	expect(io.out.has('derived-model.json')).toBe(false);
});

test('an aborted signal stops before anything is written', async () => {
	const c = new AbortController();
	c.abort();
	const { io, p } = await run({ signal: c.signal });
	await expect(p).rejects.toBeInstanceOf(DeriveAbortedError);
	expect(io.out.size).toBe(0);
});

test('aborting during the merge stops between tensors, leaving no manifest', async () => {
	const c = new AbortController();
	let calls = 0;
	const { io, p } = await run({
		signal: c.signal,
		onProgress: () => {
			if (++calls === 5) c.abort();
		}
	});
	await expect(p).rejects.toBeInstanceOf(DeriveAbortedError);
	expect(io.out.has('derived-model.json')).toBe(false);
	expect(io.out.has('tensor-cache.json')).toBe(false);
});

test('progress goes from 0 to all base shard bytes', async () => {
	const seen: number[] = [];
	const io = await memoryIo(base.files);
	let total = 0;
	await deriveModel(io, {
		baseModelId: 'tiny',
		adapter: { configJson: adapter.config, tensors: bytesSource(tensors), sha256: HASH },
		onProgress: (pr) => {
			seen.push(pr.doneBytes);
			total = pr.totalBytes;
		}
	});
	const shardBytes = [...base.files].filter(([n]) => n.startsWith('params_shard_')).reduce((a, [, b]) => a + b.length, 0);
	expect(total).toBe(shardBytes);
	expect(seen.at(-1)).toBe(shardBytes);
	expect(seen.every((v, i) => i === 0 || v >= seen[i - 1])).toBe(true);
});
