// Covers q4 group quantization (mlc-llm q4f16_1 / q4f32_1, layout NK, group 32): hand-worked codes
// and packing (first element in the lowest nibble), ties rounded away from zero as TVM's round does,
// f16 vs f32 arithmetic giving different codes, zero groups, padding when cols % 32 != 0, agreement
// with a naive reference written here on random matrices, dequantization, and bad dimensions.

import { describe, expect, test } from 'vitest';
import { dequantizeQ4, QuantizationError, quantizeQ4 } from '../../../src/domain/weights/index.ts';
import { prng } from '../../factories/prng.ts';
import { naiveF16 } from '../../factories/tiny-models.ts';

/** Naive reference from the formula: codes[r][c] and scales[r][g], arithmetic rounded to the dtype. */
function reference(w: Float32Array, rows: number, cols: number, f16: boolean) {
	const rnd = f16 ? naiveF16 : Math.fround;
	const groups = Math.ceil(cols / 32);
	const codes: number[][] = [];
	const scales: number[][] = [];
	for (let r = 0; r < rows; r++) {
		codes.push([]);
		scales.push([]);
		for (let g = 0; g < groups; g++) {
			const idx = [...Array(32).keys()].map((i) => g * 32 + i).filter((c) => c < cols);
			const vals = idx.map((c) => rnd(w[r * cols + c]));
			const scale = rnd(Math.max(...vals.map(Math.abs)) / 7);
			scales[r].push(scale);
			for (const v of vals) {
				const x = rnd(rnd(v / scale) + 7);
				// round half away from zero, NaN -> 0, clamp to [0, 14]
				const rounded = Number.isNaN(x) ? 0 : Math.sign(x) * Math.round(Math.abs(x));
				codes[r].push(Math.min(Math.max(rounded, 0), 14));
			}
		}
	}
	return { codes, scales };
}

/** Unpacks codes: word k of a row holds elements 8k..8k+7, element 8k+j in bits [4j, 4j+4). */
function unpack(qWeight: Uint32Array, rows: number, cols: number): number[][] {
	const words = Math.ceil(cols / 32) * 4;
	return [...Array(rows).keys()].map((r) =>
		[...Array(cols).keys()].map((c) => Math.floor(qWeight[r * words + Math.floor(c / 8)] / 16 ** (c % 8)) % 16)
	);
}

describe('quantizeQ4, hand-worked', () => {
	// max |w| = 7 so scale = 1 in both dtypes and codes are w + 7, with ties at .5
	const group = new Float32Array(32);
	group.set([7, -7, 0, 1, 0.5, -0.5, -6.5, 1.5]);

	test.each(['float16', 'float32'] as const)('%s: codes, ties away from zero, packing', (dtype) => {
		const { qWeight, qScale } = quantizeQ4(group, 1, 32, dtype);
		expect(Array.from(qScale)).toEqual([1]);
		// codes 14, 0, 7, 8, 8 (7.5 up), 7 (6.5 away from zero), 1 (0.5 away from zero), 9 (8.5 up)
		expect(qWeight[0]).toBe(0x9178870e);
		expect(Array.from(qWeight.slice(1))).toEqual([0x77777777, 0x77777777, 0x77777777]);
	});

	test('f16 and f32 arithmetic give different codes in a group whose max is 1', () => {
		// w = 0.0714111328125 is exactly half of f16(1/7) = 0.142822265625
		const w = new Float32Array(32);
		w[0] = 1;
		w[1] = 0.0714111328125;
		// f16: w / scale = 0.5 exactly; + 7 = 7.5, a tie, rounded away from zero -> 8
		const h = quantizeQ4(w, 1, 32, 'float16');
		expect(h.qScale[0]).toBe(0.142822265625);
		expect((h.qWeight[0] >>> 4) & 0xf).toBe(8);
		// f32: scale = fround(1/7) = 0.1428571492…; w / scale = 0.49988; + 7 = 7.49988 -> 7
		const f = quantizeQ4(w, 1, 32, 'float32');
		expect(f.qScale[0]).toBe(Math.fround(1 / 7));
		expect((f.qWeight[0] >>> 4) & 0xf).toBe(7);
	});

	test('a zero group has scale 0, codes 0 and dequantizes to zeros', () => {
		const w = new Float32Array(64);
		w.fill(0.25, 32);
		const { qWeight, qScale } = quantizeQ4(w, 1, 64, 'float16');
		expect(qScale[0]).toBe(0);
		expect(Array.from(qWeight.slice(0, 4))).toEqual([0, 0, 0, 0]);
		expect(Array.from(dequantizeQ4(qWeight, qScale, 1, 64, 'float16').slice(0, 32)).every((v) => v === 0)).toBe(true);
	});

	test('weights are first rounded to f16 (a value just under an f16 tie is not rounded up)', () => {
		// 1 + 2^-11 + 2^-13 rounds to f16 1 + 2^-10, so max = that value and w/scale for it is exactly 7
		const w = new Float32Array(32);
		w[0] = 1 + 2 ** -11 + 2 ** -13;
		const { qScale } = quantizeQ4(w, 1, 32, 'float16');
		expect(qScale[0]).toBe(naiveF16((1 + 2 ** -10) / 7));
	});
});

describe('quantizeQ4 against the naive reference', () => {
	test.each([
		['float16', 8, 64],
		['float32', 8, 64],
		['float16', 3, 40], // 40 = one full group + a padded one
		['float32', 5, 96]
	] as const)('%s %d×%d random matrix', (dtype, rows, cols) => {
		const r = prng(rows * 1000 + cols);
		const w = r.floats(rows * cols, -0.2, 0.2);
		for (let c = 0; c < Math.min(cols, 32); c++) w[cols + c] = 0; // row 1, group 0 is a zero group
		w[5] = 0.2 * 7; // a large outlier
		const { qWeight, qScale } = quantizeQ4(w, rows, cols, dtype);
		const ref = reference(w, rows, cols, dtype === 'float16');
		expect(unpack(qWeight, rows, cols)).toEqual(ref.codes);
		expect(Array.from(qScale)).toEqual(ref.scales.flat());
		// padding nibbles past `cols` are zero
		if (cols % 32 !== 0) {
			const words = Math.ceil(cols / 32) * 4;
			const lastWord = qWeight[words - 1];
			expect(lastWord).toBe(0);
		}
	});
});

describe('dequantizeQ4', () => {
	test('(code − 7) · scale, and within half a step of the original', () => {
		const r = prng(9);
		const rows = 4;
		const cols = 64;
		const w = r.floats(rows * cols, -1, 1);
		const { qWeight, qScale } = quantizeQ4(w, rows, cols, 'float32');
		const out = dequantizeQ4(qWeight, qScale, rows, cols);
		const codes = unpack(qWeight, rows, cols);
		for (let i = 0; i < rows * cols; i++) {
			const row = Math.floor(i / cols);
			const scale = qScale[row * 2 + Math.floor((i % cols) / 32)];
			expect(out[i]).toBe(Math.fround((codes[row][i % cols] - 7) * scale));
			expect(Math.abs(out[i] - w[i])).toBeLessThanOrEqual(scale / 2 + 1e-6);
		}
	});

	test('float16 rounds the product to f16', () => {
		const qWeight = new Uint32Array([0x0000000e, 0, 0, 0]); // code 14, then zeros
		const scale = naiveF16(0.1234);
		const out = dequantizeQ4(qWeight, new Float32Array([scale]), 1, 32, 'float16');
		expect(out[0]).toBe(naiveF16(7 * scale));
		expect(out[1]).toBe(naiveF16(-7 * scale));
	});
});

describe('bad dimensions', () => {
	test.each([
		['weight length', () => quantizeQ4(new Float32Array(10), 1, 32, 'float16')],
		['zero rows', () => quantizeQ4(new Float32Array(0), 0, 32, 'float16')],
		['fractional cols', () => quantizeQ4(new Float32Array(33), 1, 32.5, 'float32')],
		['q arrays', () => dequantizeQ4(new Uint32Array(3), new Float32Array(1), 1, 32)]
	])('%s -> QuantizationError', (_why, run) => {
		expect(run).toThrow(QuantizationError);
	});
});
