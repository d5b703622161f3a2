// The interval for a mean paired score difference: Student t below 30 items, seeded BCa from 30,
// checked by hand on small data and by simulated coverage on a known distribution.
import { describe, expect, it } from 'vitest';
import { pairedMeanInterval, tInterval } from '../../../src/domain/stats/bootstrap.ts';
import { mulberry32 } from '../../../src/domain/stats/prng.ts';

describe('pairedMeanInterval below 30 items (t interval)', () => {
	it('gives 0.2 ± t_{0.975,4}·s/√5 = 0.0037 to 0.3963 for 0.1, 0.3, 0.2, 0.4, 0.0', () => {
		// mean 0.2; Σ(x − m)² = 0.01 + 0.01 + 0 + 0.04 + 0.04 = 0.1; s = √(0.1/4) = 0.158114;
		// s/√5 = 0.070711; t_{0.975,4} = 2.776445 → half width 0.196324
		const r = pairedMeanInterval([0.1, 0.3, 0.2, 0.4, 0.0]);
		expect(r.method).toBe('t');
		expect(r.n).toBe(5);
		expect(r.mean).toBeCloseTo(0.2, 14);
		expect(r.ci95![0]).toBeCloseTo(0.2 - 0.196324, 5);
		expect(r.ci95![1]).toBeCloseTo(0.2 + 0.196324, 5);
	});

	it('has no interval for one item and a zero-width one when every difference is equal', () => {
		expect(pairedMeanInterval([0.5])).toEqual({ n: 1, mean: 0.5, ci95: null, method: 't' });
		expect(tInterval([0.25, 0.25, 0.25])).toEqual([0.25, 0.25]);
	});

	it('refuses empty data, non-finite values and too few resamples', () => {
		expect(() => pairedMeanInterval([])).toThrow(/at least one item/);
		expect(() => pairedMeanInterval([0.1, Number.NaN])).toThrow(/finite/);
		expect(() => pairedMeanInterval([0.1, 0.2], { resamples: 100 })).toThrow(/at least 2000 resamples/);
	});
});

describe('pairedMeanInterval from 30 items (BCa bootstrap)', () => {
	const rand = mulberry32(7);
	const data = Array.from({ length: 200 }, () => rand() - rand());

	it('uses BCa and is reproducible for a given seed', () => {
		const a = pairedMeanInterval(data, { seed: 3 });
		const b = pairedMeanInterval(data, { seed: 3 });
		expect(a.method).toBe('bca');
		expect(a.ci95).toEqual(b.ci95);
	});

	it('is close to mean ± 1.96·s/√n on 200 roughly symmetric differences', () => {
		const n = data.length;
		const m = data.reduce((s, x) => s + x, 0) / n;
		const s = Math.sqrt(data.reduce((acc, x) => acc + (x - m) ** 2, 0) / (n - 1));
		const half = (1.959964 * s) / Math.sqrt(n);
		const r = pairedMeanInterval(data, { seed: 11, resamples: 4000 });
		// The bootstrap standard error uses (n − 1)/n of the variance, and resampling adds noise: allow 10 %.
		expect(Math.abs(r.ci95![0] - (m - half))).toBeLessThan(0.1 * half);
		expect(Math.abs(r.ci95![1] - (m + half))).toBeLessThan(0.1 * half);
	});

	it('falls back to the t interval when BCa is degenerate (every difference equal)', () => {
		const r = pairedMeanInterval(Array.from({ length: 40 }, () => 0.1));
		expect(r.method).toBe('t');
		expect(r.ci95![0]).toBeCloseTo(0.1, 14);
		expect(r.ci95![1]).toBeCloseTo(0.1, 14);
	});
});

describe('coverage by simulation', () => {
	// Differences d = u² − v/2 with u, v uniform on [0, 1): a skewed distribution with mean
	// E[u²] − E[v]/2 = 1/3 − 1/4 = 1/12. The share of 400 intervals that contain 1/12 should be near 0.95
	// (binomial standard error √(0.95·0.05/400) = 0.011).
	function coverage(n: number, sets: number, seed: number): { share: number; method: string } {
		const rand = mulberry32(seed);
		let hits = 0;
		let method = '';
		for (let s = 0; s < sets; s++) {
			const d = Array.from({ length: n }, () => rand() ** 2 - rand() / 2);
			const r = pairedMeanInterval(d, { seed: s + 1 });
			method = r.method;
			if (r.ci95![0] <= 1 / 12 && 1 / 12 <= r.ci95![1]) hits++;
		}
		return { share: hits / sets, method };
	}

	it('keeps about 95 % coverage at n = 10 (t interval)', () => {
		const { share, method } = coverage(10, 400, 2024);
		expect(method).toBe('t');
		expect(share).toBeGreaterThanOrEqual(0.91);
		expect(share).toBeLessThanOrEqual(0.98);
	});

	it('keeps about 95 % coverage at n = 40 (BCa)', () => {
		const { share, method } = coverage(40, 400, 99);
		expect(method).toBe('bca');
		expect(share).toBeGreaterThanOrEqual(0.91);
		expect(share).toBeLessThanOrEqual(0.98);
	});
});
