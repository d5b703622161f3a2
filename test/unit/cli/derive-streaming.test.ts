// The Node command's streaming path (tensors written in pieces, whole-shard copies of untouched shards, the
// adapter read per tensor, threads) writes exactly the bytes the in-memory path the browser uses writes, for an
// unquantized base and for 4-bit bases with and without the original weights, with 1 and 2 threads. On the
// tiny 4-bit model, c_attn's q_scale (512 B, touched by q_proj) shares a 3,072 B shard with the bias and the
// untouched o_proj: a shard with few changed bytes, streamed through like the others.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { deriveModel } from '../../../src/domain/merge/index.ts';
import { adapterSha256 } from '../../../src/domain/merge/derived-id.ts';
import { bytesSource } from '../../../src/domain/weights/index.ts';
import { runDeriveCli as cli, tempFolders } from '../../helpers/derive-cli.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo } from '../merge/memory-io.ts';

const { root, folder } = tempFolders('derive-streaming-');
const arch = tinyArch('qwen2');
const original = buildHfOriginal(arch, { dtype: 'BF16' });
const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'up_proj', 'down_proj'], rank: 2, alpha: 4, dtype: 'F16' });
const adapterDir = folder('adapter', adapter.files);
const origDir = folder('original', original.files);

/** The manifest without the fields that name who wrote it and when. */
const comparable = (bytes: Uint8Array) => {
	const { createdAt: _at, createdBy: _by, ...rest } = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
	return rest;
};

test.each([
	['q0f16', false, 1],
	['q0f16', false, 2],
	['q4f16_1', true, 1],
	['q4f16_1', true, 2],
	['q4f16_1', false, 2]
] as const)('%s (original weights: %s), %i thread(s): the same bytes as the in-memory path', async (quant, withOriginal, threads) => {
	const base = buildMlcFolder(arch, quant, original);
	const name = `base-${quant}-${withOriginal}-${threads}`;
	const baseDir = folder(name, base.files);
	const out = join(root, `out-${name}`);
	const args = ['--base', baseDir, '--adapter', adapterDir, '--out', out, '--threads', String(threads)];
	const r = cli(...args, ...(withOriginal ? ['--original', origDir] : []));
	expect(r.stderr).toBe('');
	expect(r.code).toBe(0);

	const io = await memoryIo(base.files, withOriginal ? original.files : undefined);
	const configBytes = adapter.files.get('adapter_config.json')!;
	const tensorBytes = adapter.files.get('adapter_model.safetensors')!;
	await deriveModel(io, {
		baseModelId: name,
		adapter: { configJson: adapter.config, tensors: bytesSource(tensorBytes), sha256: await adapterSha256(configBytes, tensorBytes) },
		scale: 1
	});
	expect(readdirSync(out).sort()).toEqual([...io.out.keys()].sort());
	for (const [file, bytes] of io.out) {
		const written = new Uint8Array(readFileSync(join(out, file)));
		if (file === 'derived-model.json') expect(comparable(written), file).toEqual(comparable(bytes));
		else expect(Buffer.compare(written, bytes), file).toBe(0);
	}
});
