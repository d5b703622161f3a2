// Paired difference of proportions with Newcombe's method 10 interval (Newcombe 1998, Stat Med
// 17:2635). The expected limits are derived by hand below from the method's formulas.
import { describe, expect, it } from 'vitest';
import { pairedDifference, pairedPhi } from '../../../src/domain/stats/paired-diff.ts';

describe('pairedPhi', () => {
	it('is 0 when 0 ≤ D = both·neither − onlyA·onlyB ≤ n/2 (table 1, 1, 7, 12: D = 12 − 7 = 5 ≤ 10.5)', () => {
		expect(pairedPhi({ both: 1, onlyA: 1, onlyB: 7, neither: 12 })).toBe(0);
	});

	it('is (D − n/2)/√(margins) when D > n/2 (table 14, 5, 0, 22: (308 − 20.5)/√(19·22·14·27) = 0.723276)', () => {
		expect(pairedPhi({ both: 14, onlyA: 5, onlyB: 0, neither: 22 })).toBeCloseTo(287.5 / Math.sqrt(19 * 22 * 14 * 27), 14);
		expect(pairedPhi({ both: 14, onlyA: 5, onlyB: 0, neither: 22 })).toBeCloseTo(0.723276, 6);
	});

	it('is D/√(margins) when D < 0 (table 36, 12, 2, 0: −24/√(48·2·38·12) = −24/209.2272 = −0.114708)', () => {
		expect(pairedPhi({ both: 36, onlyA: 12, onlyB: 2, neither: 0 })).toBeCloseTo(-0.114708, 6);
	});

	it('is 0 when a margin is empty', () => {
		expect(pairedPhi({ both: 0, onlyA: 0, onlyB: 3, neither: 5 })).toBe(0);
	});
});

describe('pairedDifference', () => {
	it('gives −0.2857 (−0.5069 to −0.0256) for the table both 1, onlyA 1, onlyB 7, neither 12 (n = 21)', () => {
		// Hand calculation, z = 1.959964, z² = 3.841459, denominator of both Wilson intervals 2(21 + z²) = 49.682918.
		// p₁ = 2/21 = 0.095238: Wilson centre 4 + z² = 7.841459, half z·√(z² + 4·2·19/21) = z·√11.079554 = 6.523931
		//   → l₁ = 1.317528/49.682918 = 0.026519, u₁ = 14.365390/49.682918 = 0.289142
		// p₂ = 8/21 = 0.380952: centre 16 + z² = 19.841459, half z·√(z² + 4·8·13/21) = z·√23.650983 = 9.531748
		//   → l₂ = 10.309711/49.682918 = 0.207510, u₂ = 29.373207/49.682918 = 0.591213
		// φ̂ = 0 (D = 5 ≤ n/2), θ̂ = (1 − 7)/21 = −0.285714
		// L = θ̂ − √((p₁ − l₁)² + (u₂ − p₂)²) = −0.285714 − √(0.068719² + 0.210261²) = −0.285714 − 0.221206 = −0.506920
		// U = θ̂ + √((u₁ − p₁)² + (p₂ − l₂)²) = −0.285714 + √(0.193904² + 0.173442²) = −0.285714 + 0.260156 = −0.025558
		const r = pairedDifference({ both: 1, onlyA: 1, onlyB: 7, neither: 12 });
		expect(r.estimate).toBeCloseTo(-6 / 21, 14);
		expect(r.ci95[0]).toBeCloseTo(-0.50692, 4);
		expect(r.ci95[1]).toBeCloseTo(-0.025558, 4);
	});

	it('uses a positive φ̂ to narrow the interval: table 14, 5, 0, 22 (n = 41) gives 0.1220 (0.0115 to 0.2265)', () => {
		// p₁ = 19/41 = 0.463415, p₂ = 14/41 = 0.341463, θ̂ = 5/41 = 0.121951, φ̂ = 0.723276, denominator 2(41 + z²) = 89.682918
		// Wilson 19/41: centre 38 + z² = 41.841459, half z·√(z² + 4·19·22/41) = z·√44.621946 = 13.092565
		//   → l₁ = 0.320567, u₁ = 0.612539
		// Wilson 14/41: centre 28 + z² = 31.841459, half z·√(z² + 4·14·27/41) = z·√40.719508 = 12.506764
		//   → l₂ = 0.215586, u₂ = 0.494495
		// L = θ̂ − √(0.142848² − 2·0.723276·0.142848·0.153032 + 0.153032²)
		//   = 0.121951 − √(0.020406 − 0.031622 + 0.023419) = 0.121951 − √0.012203 = 0.121951 − 0.110467 = 0.011484
		// U = θ̂ + √(0.149124² − 2·0.723276·0.149124·0.125877 + 0.125877²)
		//   = 0.121951 + √(0.022238 − 0.027154 + 0.015845) = 0.121951 + √0.010929 = 0.121951 + 0.104542 = 0.226493
		const r = pairedDifference({ both: 14, onlyA: 5, onlyB: 0, neither: 22 });
		expect(r.estimate).toBeCloseTo(5 / 41, 14);
		expect(r.ci95[0]).toBeCloseTo(0.011484, 3);
		expect(r.ci95[1]).toBeCloseTo(0.226493, 3);
	});

	it('contains the estimate and stays within [−1, 1] on every table up to n = 8', () => {
		for (let n = 1; n <= 8; n++) {
			for (let both = 0; both <= n; both++) {
				for (let onlyA = 0; onlyA <= n - both; onlyA++) {
					for (let onlyB = 0; onlyB <= n - both - onlyA; onlyB++) {
						const neither = n - both - onlyA - onlyB;
						const r = pairedDifference({ both, onlyA, onlyB, neither });
						expect(r.ci95[0]).toBeGreaterThanOrEqual(-1);
						expect(r.ci95[1]).toBeLessThanOrEqual(1);
						expect(r.ci95[0]).toBeLessThanOrEqual(r.estimate + 1e-12);
						expect(r.ci95[1]).toBeGreaterThanOrEqual(r.estimate - 1e-12);
					}
				}
			}
		}
	});

	it('is symmetric under swapping A and B: the interval is negated and reversed', () => {
		const ab = pairedDifference({ both: 9, onlyA: 7, onlyB: 2, neither: 4 });
		const ba = pairedDifference({ both: 9, onlyA: 2, onlyB: 7, neither: 4 });
		expect(ba.estimate).toBeCloseTo(-ab.estimate, 14);
		expect(ba.ci95[0]).toBeCloseTo(-ab.ci95[1], 12);
		expect(ba.ci95[1]).toBeCloseTo(-ab.ci95[0], 12);
	});

	it('gives an interval around 0 when every pair agrees, and reaches 1 when A alone always passes', () => {
		const same = pairedDifference({ both: 10, onlyA: 0, onlyB: 0, neither: 0 });
		expect(same.estimate).toBe(0);
		expect(same.ci95[0]).toBeLessThan(0);
		expect(same.ci95[1]).toBeGreaterThan(0);
		const all = pairedDifference({ both: 0, onlyA: 10, onlyB: 0, neither: 0 });
		expect(all.estimate).toBe(1);
		expect(all.ci95[1]).toBe(1);
	});

	it('refuses an empty table with a clear message', () => {
		expect(() => pairedDifference({ both: 0, onlyA: 0, onlyB: 0, neither: 0 })).toThrow(/at least one item/);
	});
});
