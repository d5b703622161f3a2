// Covers f16/bf16 <-> f32 conversions: every f16 and bf16 bit pattern against the IEEE formula,
// f32 -> f16 round trip of all finite f16 values, hand-worked ties (nearest even), overflow,
// subnormals, NaN; tvmjs's bf16 rule (RNE inside the bf16 range, truncation outside); findNonFinite.

import { describe, expect, test } from 'vitest';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits, findNonFinite, roundToF16 } from '../../../src/domain/weights/index.ts';

/** The IEEE 754 binary16 value of a bit pattern, straight from the definition. */
function f16Formula(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const e = (h >> 10) & 0x1f;
	const m = h & 0x3ff;
	if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
	if (e === 0) return sign * 2 ** -14 * (m / 1024);
	return sign * 2 ** (e - 15) * (1 + m / 1024);
}

function bf16Formula(h: number): number {
	const sign = h & 0x8000 ? -1 : 1;
	const e = (h >> 7) & 0xff;
	const m = h & 0x7f;
	if (e === 0xff) return m === 0 ? sign * Infinity : NaN;
	if (e === 0) return sign * 2 ** -126 * (m / 128);
	return sign * 2 ** (e - 127) * (1 + m / 128);
}

const ALL = Uint16Array.from({ length: 65536 }, (_, i) => i);

describe('f16', () => {
	test('every bit pattern widens to the value the formula gives (signed zeros kept)', () => {
		const out = f16BitsToF32(ALL);
		for (let h = 0; h < 65536; h++)
			expect(Object.is(out[h], f16Formula(h)) || (Number.isNaN(out[h]) && Number.isNaN(f16Formula(h)))).toBe(true);
	});

	test('every non-NaN f16 value converts back to its own bits', () => {
		const finite = ALL.filter((h) => !Number.isNaN(f16Formula(h)));
		const back = f32ToF16Bits(f16BitsToF32(finite));
		expect(Array.from(back)).toEqual(Array.from(finite));
	});

	test.each([
		// [value, expected bits, why]
		[1 + 2 ** -11, 0x3c00, 'tie between 1 and 1+2^-10 goes to even 1'],
		[1 + 3 * 2 ** -11, 0x3c02, 'tie between 1+2^-10 and 1+2^-9 goes to even 1+2^-9'],
		[1 + 2 ** -11 + 2 ** -20, 0x3c01, 'just above the tie rounds up'],
		[65504, 0x7bff, 'largest finite'],
		[65519.99, 0x7bff, 'below the overflow tie'],
		[65520, 0x7c00, 'the tie past 65504 rounds to Inf'],
		[1e6, 0x7c00, 'overflow'],
		[-1e6, 0xfc00, 'negative overflow'],
		[2 ** -24, 0x0001, 'smallest subnormal'],
		[2 ** -25, 0x0000, 'half the smallest subnormal ties to even zero'],
		[2 ** -25 + 2 ** -40, 0x0001, 'above half rounds up'],
		[3 * 2 ** -25, 0x0002, 'subnormal tie 1.5 ulp goes to even 2'],
		[2 ** -14 - 2 ** -26, 0x0400, 'rounds up across into the smallest normal'],
		[-0, 0x8000, 'negative zero'],
		[1e-30, 0x0000, 'far underflow']
	])('%d -> 0x%s (%s)', (value, bits) => {
		expect(f32ToF16Bits(new Float32Array([value]))[0]).toBe(bits);
	});

	test('NaN stays NaN, Inf stays Inf', () => {
		const out = f32ToF16Bits(new Float32Array([NaN, Infinity, -Infinity]));
		expect(Number.isNaN(f16Formula(out[0]))).toBe(true);
		expect([out[1], out[2]]).toEqual([0x7c00, 0xfc00]);
	});

	test('roundToF16 agrees with the bulk conversion', () => {
		for (const v of [0.1, -3.14159, 1234.5678, 6e-6, 70000]) {
			expect(roundToF16(v)).toBe(f16Formula(f32ToF16Bits(new Float32Array([v]))[0]));
		}
	});

	test('writes into a given dst and refuses one that is too short', () => {
		const dst = new Float32Array(2);
		expect(f16BitsToF32(new Uint16Array([0x3c00, 0xc000]), dst)).toBe(dst);
		expect(Array.from(dst)).toEqual([1, -2]);
		expect(() => f16BitsToF32(new Uint16Array(3), dst)).toThrow(RangeError);
	});
});

describe('bf16', () => {
	test('every bit pattern widens to the value the formula gives', () => {
		const out = bf16BitsToF32(ALL);
		for (let h = 0; h < 65536; h++) {
			const want = bf16Formula(h);
			expect(Object.is(out[h], want) || (Number.isNaN(out[h]) && Number.isNaN(want))).toBe(true);
		}
	});

	test('every non-NaN bf16 value converts back to its own bits', () => {
		const finite = ALL.filter((h) => !Number.isNaN(bf16Formula(h)));
		expect(Array.from(f32ToBf16Bits(bf16BitsToF32(finite)))).toEqual(Array.from(finite));
	});

	test.each([
		[1 + 2 ** -8, 0x3f80, 'tie between 1 and 1+2^-7 goes to even 1'],
		[1 + 3 * 2 ** -8, 0x3f82, 'tie goes up to even 1+2^-6'],
		[1 + 2 ** -8 + 2 ** -20, 0x3f81, 'above the tie rounds up'],
		[-(1 + 2 ** -8 + 2 ** -20), 0xbf81, 'negative, above the tie'],
		// tvmjs truncates at or beyond the bf16 limit 0x7F7F0000 instead of rounding into Inf
		[3.4028234663852886e38, 0x7f7f, 'f32 max truncates to the largest bf16 (tvmjs)'],
		[Infinity, 0x7f80, 'Inf']
	])('%d -> 0x%s (%s)', (value, bits) => {
		expect(f32ToBf16Bits(new Float32Array([value]))[0]).toBe(bits);
	});
});

describe('findNonFinite', () => {
	test.each([
		[[1, 2, 3], -1],
		[[1, NaN, 3], 1],
		[[Infinity], 0],
		[[0, 0, -Infinity], 2],
		[[], -1]
	])('%j -> %d', (values, at) => {
		expect(findNonFinite(new Float32Array(values))).toBe(at);
	});
});
