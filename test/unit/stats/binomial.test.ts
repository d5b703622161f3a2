// Exact McNemar test and sign test (two-sided exact binomial at p = ½) against hand calculation and a
// published example.
import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, exactBinomialTwoSided, mcnemarExact, signTest } from '../../../src/domain/stats/binomial.ts';

describe('mcnemarExact', () => {
	it('gives 2·(C(8,0) + C(8,1))/2⁸ = 2·9/256 = 0.0703125 for b = 1, c = 7', () => {
		expect(mcnemarExact(1, 7)).toBe(0.0703125);
		expect(mcnemarExact(7, 1)).toBe(0.0703125);
	});

	it('matches the published exact conditional p = 0.070 of the airway hyper-responsiveness example (discordant 1 and 7; Fagerland, Lydersen & Laake 2013, BMC Med Res Methodol 13:91)', () => {
		expect(mcnemarExact(1, 7)).toBeCloseTo(0.07, 3);
	});

	it('gives 2·(1 + 20 + 190 + 1140 + 4845 + 15504)/2²⁰ = 0.0413895 for b = 5, c = 15', () => {
		expect(mcnemarExact(5, 15)).toBeCloseTo((2 * 21700) / 1048576, 15);
	});

	it('is 1 with no discordant pairs and capped at 1 when b = c', () => {
		expect(mcnemarExact(0, 0)).toBe(1);
		// b = c = 3: 2·P(X ≤ 3 | n = 6) = 2·(1 + 6 + 15 + 20)/64 = 84/64 > 1 → 1
		expect(mcnemarExact(3, 3)).toBe(1);
	});

	it('gives 2/2ⁿ when every discordant pair goes one way (b = 0, c = 10 → 2/1024)', () => {
		expect(mcnemarExact(0, 10)).toBe(2 / 1024);
	});

	it('agrees with the normal approximation for a large table (n = 3000, through the incomplete beta)', () => {
		// b = 1450, c = 1550: z = (|1450 − 1500| − ½)/√(3000·¼) = 49.5/27.386128 = 1.807486, and
		// 2·(1 − Φ(z)) = 0.07069; the exact test and this approximation agree to about 1e-3.
		expect(exactBinomialTwoSided(1450, 1550)).toBeCloseTo(0.0707, 3);
		// P(X ≤ m | 2m) = ½ + ½·C(2m, m)/4^m ≈ ½ + ½/√(πm) (Stirling) = 0.5 + 0.5/√(1500π) = 0.507283
		expect(binomialHalfCdf(1500, 3000)).toBeCloseTo(0.5 + 0.5 / Math.sqrt(1500 * Math.PI), 5);
	});

	it('refuses negative or fractional counts', () => {
		expect(() => mcnemarExact(-1, 2)).toThrow(/whole number/);
	});
});

describe('signTest', () => {
	it('gives 2·(1 + 10 + 45)/2¹⁰ = 0.109375 for 8 wins against 2', () => {
		expect(signTest(8, 2)).toBe(0.109375);
	});

	it('gives p = 1 without decisive votes', () => {
		expect(signTest(0, 0)).toBe(1);
	});
});
