// The two 4-bit routes and the original-checkpoint spot-check.
// Stochastic rounding into the base's grid (no originals): same seed → same bytes; unbiased (the mean
// stored delta over many seeds is within 5 standard errors of d, the variance of one draw being
// scale²·f(1 − f) with f the fractional part of code + d/scale); gain within [0.9, 1.1] (codes at the
// grid's ends are clamped, which loses a little of the delta: the tiny models' uniform weights put
// many codes there, real checkpoints few).
// Spot-check: codes are judged one by one, a converter that resolves exact halves differently passes,
// a different checkpoint of the same shape is refused.

import { describe, expect, it } from 'vitest';
import {
	checkOriginalCodes,
	deriveModel,
	fidelityVerdict,
	type ModuleDelta,
	OriginalMismatchError,
	requantizeModule
} from '../../../src/domain/merge/index.ts';
import type { MlcTarget } from '../../../src/domain/lora/index.ts';
import { bytesSource, dequantizeQ4, quantizeQ4, type TensorCacheRecord } from '../../../src/domain/weights/index.ts';
import { prng } from '../../factories/prng.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo, outTensor } from './memory-io.ts';

const ROWS = 4,
	COLS = 32,
	RANK = 2;

function smallModule(seed: number) {
	const r = prng(seed);
	const w = r.floats(ROWS * COLS, -1, 1);
	const { qWeight, qScale } = quantizeQ4(w, ROWS, COLS, 'float32');
	const a = r.floats(RANK * COLS, -1, 1);
	const b = r.floats(ROWS * RANK, -1, 1);
	const scale = 0.02; // |d| up to about a third of a step (step = max|w|/7 ≈ 0.14)
	const target = { hfModule: 'model.layers.0.self_attn.q_proj', mlcModule: 'm', part: null } as unknown as MlcTarget;
	const delta: ModuleDelta = { target, rowStart: 0, rowEnd: ROWS, rank: RANK, scale, a, b };
	const d = new Float64Array(ROWS * COLS);
	for (let i = 0; i < ROWS; i++)
		for (let j = 0; j < COLS; j++) for (let k = 0; k < RANK; k++) d[i * COLS + j] += scale * b[i * RANK + k] * a[k * COLS + j];
	const qWeightRec: TensorCacheRecord = {
		name: 'm.q_weight',
		shape: [ROWS, 4],
		dtype: 'uint32',
		format: 'raw',
		nbytes: ROWS * 16,
		byteOffset: 0
	};
	const qScaleRec: TensorCacheRecord = {
		name: 'm.q_scale',
		shape: [ROWS, 1],
		dtype: 'float32',
		format: 'raw',
		nbytes: ROWS * 4,
		byteOffset: 0
	};
	const input = (seedText: string) => ({
		deltas: [delta],
		cols: COLS,
		qWeightRec,
		qScaleRec,
		qWeightBytes: new Uint8Array(qWeight.buffer.slice(0)),
		qScaleBytes: new Uint8Array(qScale.buffer.slice(0)),
		route: 'stochastic' as const,
		seed: seedText,
		dtype: 'float32' as const,
		checkOriginal: false
	});
	return { qWeight, qScale, d, input };
}

describe('stochastic rounding into the base grid', () => {
	it('is reproducible: the same seed gives the same bytes, another seed other bytes', async () => {
		const m = smallModule(1);
		const x = await requantizeModule(m.input('adapter-hash'));
		const y = await requantizeModule(m.input('adapter-hash'));
		const z = await requantizeModule(m.input('other-hash'));
		expect(y.qWeight).toEqual(x.qWeight);
		expect(z.qWeight).not.toEqual(x.qWeight);
		expect(x.qScale).toEqual(new Uint8Array(m.qScale.buffer));
	});

	it('is unbiased: the mean stored delta over 400 seeds is within 5 standard errors of d', async () => {
		const m = smallModule(2);
		const N = 400;
		const was = dequantizeQ4(m.qWeight, m.qScale, ROWS, COLS);
		const mean = new Float64Array(ROWS * COLS);
		for (let n = 0; n < N; n++) {
			const out = await requantizeModule(m.input(`seed-${n}`));
			const now = dequantizeQ4(new Uint32Array(out.qWeight.slice().buffer), m.qScale, ROWS, COLS);
			for (let i = 0; i < mean.length; i++) mean[i] += (now[i] - was[i]) / N;
		}
		let checked = 0;
		for (let i = 0; i < mean.length; i++) {
			const s = m.qScale[Math.floor(i / COLS)];
			const code = (m.qWeight[Math.floor(i / 8)] >>> ((i % 8) * 4)) & 0xf;
			const x = code + m.d[i] / s;
			if (x < 0 || x > 14) continue; // clamped at the grid's ends: biased by design
			const f = x - Math.floor(x);
			const se = Math.sqrt((s * s * f * (1 - f)) / N);
			expect(Math.abs(mean[i] - m.d[i])).toBeLessThanOrEqual(5 * se + 1e-6);
			checked++;
		}
		expect(checked).toBeGreaterThan(100);
	});

	it('keeps the gain within [0.9, 1.1] on a tiny model and reports the extra noise', async () => {
		const arch = tinyArch('qwen2');
		const base = buildMlcFolder(arch, 'q4f16_1', buildHfOriginal(arch, { dtype: 'BF16' }));
		const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'v_proj', 'down_proj'], rank: 4, alpha: 8, dtype: 'F32' });
		const run = async (sha256: string) => {
			const io = await memoryIo(base.files);
			const result = await deriveModel(io, {
				baseModelId: 'tiny',
				adapter: { configJson: adapter.config, tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!), sha256 }
			});
			return { io, result };
		};
		const { io, result } = await run('ab'.repeat(32));
		const f = result.fidelity.summary;
		expect(f.minGain).toBeGreaterThanOrEqual(0.9);
		expect(f.maxGain).toBeLessThanOrEqual(1.1);
		expect(f.extraNoise).toBeGreaterThan(0);
		const again = await run('ab'.repeat(32));
		const name = 'model.layers.0.self_attn.c_attn.q_weight';
		expect(outTensor(again.io.out, name).bytes).toEqual(outTensor(io.out, name).bytes);
	});
});

describe('re-quantization from the originals', () => {
	it('carries the adapter (gain within [0.9, 1.1], subspace error ≤ 0.2) although the full-matrix cosine is low', async () => {
		const arch = tinyArch('llama');
		const original = buildHfOriginal(arch, { dtype: 'BF16' });
		const adapter = buildPeftAdapter(arch, {
			targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
			rank: 4,
			alpha: 8,
			dtype: 'F32'
		});
		const io = await memoryIo(buildMlcFolder(arch, 'q4f16_1', original).files, original.files);
		const { fidelity } = await deriveModel(io, {
			baseModelId: 'tiny',
			adapter: {
				configJson: adapter.config,
				tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!),
				sha256: 'ab'.repeat(32)
			}
		});
		const f = fidelity.summary;
		expect(f.medianCosine).toBeLessThan(0.9); // the old figure would have warned
		expect(f.minGain).toBeGreaterThanOrEqual(0.9);
		expect(f.maxGain).toBeLessThanOrEqual(1.1);
		expect(f.maxSubspaceError).toBeLessThanOrEqual(0.2);
		expect(fidelityVerdict(f).level).toBe('carried');
		expect(f.baseQuantRelError).toBeGreaterThan(0);
	});
});

describe('original-checkpoint spot-check', () => {
	// One row of 32: max |w| = 7 so scale = 1, and 24 values at exact halves (k + 0.5 − 7).
	const halves = Float32Array.from({ length: 32 }, (_, i) => (i === 0 ? 7 : i < 25 ? (i % 14) + 0.5 - 7 : (i % 7) - 3));
	/** Packs codes with a given rounding of w/scale + 7 (scale 1 here), 8 per word, lowest nibble first. */
	function pack(w: Float32Array, round: (x: number) => number): Uint32Array {
		const words = new Uint32Array(4);
		w.forEach((v, i) => (words[i >> 3] |= Math.min(14, Math.max(0, round(v + 7))) << ((i & 7) * 4)));
		return words;
	}
	const away = (x: number) => Math.floor(x + 0.5); // mlc-llm: ties away from zero (x ≥ 0 here)
	const even = (x: number) => (x - Math.floor(x) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x));

	it('accepts a converter that resolves exact halves to even (codes differ by one at ties only)', () => {
		const base = pack(halves, even);
		const same = pack(halves, away);
		let wordsEqual = 0;
		for (let i = 0; i < 4; i++) if (base[i] === same[i]) wordsEqual++;
		expect(wordsEqual).toBeLessThan(4); // a word-level check would refuse this
		expect(() => checkOriginalCodes(halves, base, 1, 32, 'float32', 'w')).not.toThrow();
	});

	it('refuses a different checkpoint of the same shape', () => {
		const r = prng(7);
		const other = r.floats(32 * 8, -1, 1);
		const mine = r.floats(32 * 8, -1, 1);
		const base = quantizeQ4(mine, 8, 32, 'float32').qWeight;
		expect(() => checkOriginalCodes(other, base, 8, 32, 'float32', 'w')).toThrow(OriginalMismatchError);
		expect(() => checkOriginalCodes(other, base, 8, 32, 'float32', 'w')).toThrow(/4-bit codes/);
		expect(() => checkOriginalCodes(mine, base, 8, 32, 'float32', 'w')).not.toThrow();
	});

	it('counts a one-step difference away from a tie as a mismatch', () => {
		const w = Float32Array.from({ length: 32 }, (_, i) => (i === 0 ? 7 : 0.2)); // codes 14, then 7s
		const shifted = pack(w, (x) => Math.round(x) + (x < 10 ? 1 : 0)); // every 7 becomes 8
		expect(() => checkOriginalCodes(w, shifted, 1, 32, 'float32', 'w')).toThrow(OriginalMismatchError);
	});
});
