// Wilson score interval against Newcombe (1998), "Two-sided confidence intervals for the single
// proportion: comparison of seven methods", Stat Med 17:857–872, Table I (method 3, Wilson score).
import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../src/domain/stats/wilson.ts';

describe('wilsonInterval', () => {
	it('reproduces Newcombe Table I: 81/263 → 0.2553 to 0.3662', () => {
		// By hand, z = 1.959964, z² = 3.841459, p = 81/263 = 0.307985:
		// centre = 2·81 + z² = 165.841459; half = z·√(z² + 4·263·p·(1 − p)) = z·√(3.841459 + 224.209125)
		//        = 1.959964 · 15.101344 = 29.598089; denominator = 2·(263 + z²) = 533.682918
		// → (165.841459 − 29.598089)/533.682918 = 0.25529, (165.841459 + 29.598089)/533.682918 = 0.36621
		const [lo, hi] = wilsonInterval(81, 263);
		expect(lo).toBeCloseTo(0.2553, 4);
		expect(hi).toBeCloseTo(0.3662, 4);
	});

	it('reproduces Newcombe Table I: 15/148 → 0.0624 to 0.1605', () => {
		// centre = 30 + 3.841459 = 33.841459; 4·148·p(1 − p) = 4·15·133/148 = 53.918919;
		// half = z·√(57.760378) = 1.959964·7.600025 = 14.895775; denominator = 303.682918
		// → 18.945684/303.682918 = 0.06239, 48.737234/303.682918 = 0.16049
		const [lo, hi] = wilsonInterval(15, 148);
		expect(lo).toBeCloseTo(0.0624, 4);
		expect(hi).toBeCloseTo(0.1605, 4);
	});

	it('reproduces Newcombe Table I: 0/20 → 0 to 0.1611', () => {
		// p = 0: half = z·√(z²) = z² so lo = 0 and hi = 2z²/(2(20 + z²)) = 3.841459/23.841459 = 0.16112
		expect(wilsonInterval(0, 20)).toEqual([0, expect.closeTo(0.1611, 4)]);
	});

	it('reproduces Newcombe Table I: 1/29 → 0.0061 to 0.1718', () => {
		// centre = 2 + 3.841459 = 5.841459; 4·29·p(1 − p) = 4·28/29 = 3.862069;
		// half = z·√(7.703528) = 1.959964·2.775523 = 5.439925; denominator = 65.682918
		// → 0.401534/65.682918 = 0.00611, 11.281384/65.682918 = 0.17175
		const [lo, hi] = wilsonInterval(1, 29);
		expect(lo).toBeCloseTo(0.0061, 4);
		expect(hi).toBeCloseTo(0.1718, 4);
	});

	it('is symmetric: the interval of n − x is 1 minus the interval of x', () => {
		const [lo, hi] = wilsonInterval(7, 19);
		const [lo2, hi2] = wilsonInterval(12, 19);
		expect(lo2).toBeCloseTo(1 - hi, 14);
		expect(hi2).toBeCloseTo(1 - lo, 14);
		expect(wilsonInterval(20, 20)[1]).toBe(1);
	});

	it('refuses an empty sample or impossible counts with a clear message', () => {
		expect(() => wilsonInterval(0, 0)).toThrow(/trials above 0/);
		expect(() => wilsonInterval(5, 4)).toThrow(/from 0 to n=4/);
		expect(() => wilsonInterval(1.5, 4)).toThrow(/whole number/);
	});
});
