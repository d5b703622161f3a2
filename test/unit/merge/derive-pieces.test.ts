// The streaming path in pieces (DeriveOptions.pieceBytes): tensors are read, merged and written a few rows
// at a time, and still give exactly the files of the in-memory path, fidelity sums included (each piece
// carries the previous one's sums). No piece is larger than pieceBytes, or one row when a row is larger;
// 4-bit modules go whole. Covers q0f16 (rows read into the output and merged in place), q0f32 (bf16 rows,
// f32 output: a separate read buffer) and q4f16_1 (whole modules), 1 and 2 kernels.
import { expect, test } from 'vitest';
import {
	adapterSha256,
	deriveModel,
	type DeriveResult,
	type MergeKernel,
	SimdMergeKernel,
	splitRowsKernel
} from '../../../src/domain/merge/index.ts';
import { bytesSource } from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, type MlcQuant, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo, streamingMemoryIo } from './memory-io.ts';

const arch = tinyArch('qwen2');
const original = buildHfOriginal(arch, { dtype: 'BF16' });
const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'up_proj', 'down_proj'], rank: 2, alpha: 4, dtype: 'F16' });

async function derive(
	io: Awaited<ReturnType<typeof memoryIo>>,
	extra: { pieceBytes?: number; kernel?: MergeKernel } = {}
): Promise<DeriveResult> {
	const configBytes = adapter.files.get('adapter_config.json')!;
	const tensorBytes = adapter.files.get('adapter_model.safetensors')!;
	return deriveModel(io, {
		baseModelId: 'tiny',
		adapter: { configJson: adapter.config, tensors: bytesSource(tensorBytes), sha256: await adapterSha256(configBytes, tensorBytes) },
		scale: 1,
		createdBy: 'test',
		...extra
	});
}

const withoutDate = (bytes: Uint8Array) => {
	const { createdAt: _at, ...rest } = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
	return rest;
};

// 300 B: not a whole number of rows (hidden 64 → 128 B f16 rows, 128 B bf16 / 256 B f32 rows), so pieces
// end mid-tensor at row boundaries for merges and at arbitrary bytes for copies
test.each([
	['q0f16', 300],
	['q0f32', 300],
	['q4f16_1', 300],
	['q0f16', 1]
] as [MlcQuant, number][])('%s in pieces of %i B: the files of the in-memory path, sums to the last bit', async (quant, pieceBytes) => {
	const base = buildMlcFolder(arch, quant, original);
	const whole = await memoryIo(base.files, quant.startsWith('q4') ? original.files : undefined);
	const ref = await derive(whole, { kernel: new SimdMergeKernel() });
	const io = await streamingMemoryIo(base.files, quant.startsWith('q4') ? original.files : undefined);
	const got = await derive(io, { pieceBytes, kernel: new SimdMergeKernel() });

	expect(got.fidelity).toEqual(ref.fidelity);
	expect([...io.out.keys()].sort()).toEqual([...whole.out.keys()].sort());
	for (const [file, bytes] of whole.out) {
		if (file === 'derived-model.json') expect(withoutDate(io.out.get(file)!)).toEqual(withoutDate(bytes));
		else expect(Buffer.compare(io.out.get(file)!, bytes), file).toBe(0);
	}
	// bounded pieces: at most pieceBytes, or one output row where a row is larger (the widest, down_proj's:
	// intermediate 128 columns, 256 B in f16, 512 B in f32)
	const rowBytes = (quant === 'q0f32' ? 4 : 2) * arch.intermediate;
	const biggest = Math.max(...[...io.pieces.values()].flat());
	if (!quant.startsWith('q4')) expect(biggest).toBeLessThanOrEqual(Math.max(pieceBytes, rowBytes));
	expect(io.pieces.size).toBeGreaterThan(0);
});

test('two kernels in pieces: the same bytes, and each piece’s sums carried into the next', async () => {
	const base = buildMlcFolder(arch, 'q0f16', original);
	const whole = await memoryIo(base.files);
	const ref = await derive(whole, { kernel: new SimdMergeKernel() });
	const io = await streamingMemoryIo(base.files);
	// minRowsPerShare 1: even 2-row pieces are split between the two kernels
	const got = await derive(io, { pieceBytes: 512, kernel: splitRowsKernel([new SimdMergeKernel(), new SimdMergeKernel()], 1) });
	for (const [file, bytes] of whole.out) if (file.endsWith('.bin')) expect(Buffer.compare(io.out.get(file)!, bytes), file).toBe(0);
	got.fidelity.modules.forEach((m, i) => {
		const r = ref.fidelity.modules[i];
		expect(m.elements).toBe(r.elements);
		expect(m.gain).toBeCloseTo(r.gain, 12);
		expect(m.relError).toBeCloseTo(r.relError, 12);
	});
});

test('pieceBytes must be a positive whole number', async () => {
	const base = buildMlcFolder(arch, 'q0f16', original);
	for (const bad of [0, -1, 1.5, NaN]) {
		await expect(derive(await streamingMemoryIo(base.files), { pieceBytes: bad })).rejects.toThrow(RangeError);
	}
});
