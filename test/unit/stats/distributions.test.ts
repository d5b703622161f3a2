// Normal and Student-t functions of src/domain/stats/distributions.ts against closed forms and the
// usual printed tables.
import { describe, expect, it } from 'vitest';
import {
	logGamma,
	normalCdf,
	normalQuantile,
	regularizedBeta,
	studentTCdf,
	studentTQuantile,
	Z95
} from '../../../src/domain/stats/distributions.ts';

describe('normal distribution', () => {
	it('gives z_0.975 = 1.959963984540054 and z_0.8 = 0.8416212335729143 (tables to 16 digits)', () => {
		expect(normalQuantile(0.975)).toBeCloseTo(Z95, 13);
		expect(normalQuantile(0.8)).toBeCloseTo(0.8416212335729143, 13);
		expect(normalQuantile(0.5)).toBe(0);
	});

	it('is symmetric and accurate in the tails: Φ⁻¹(0.001) = −3.090232306167813', () => {
		expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 12);
		expect(normalQuantile(0.999)).toBeCloseTo(3.090232306167813, 11);
		expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
	});

	it('has Φ(1.96) = 0.9750021048517795 and Φ(0) = ½, and inverts its quantile', () => {
		expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 14);
		expect(normalCdf(0)).toBeCloseTo(0.5, 15);
		for (const p of [0.01, 0.1, 0.3, 0.7, 0.95]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
	});

	it('refuses probabilities outside (0, 1)', () => {
		expect(() => normalQuantile(1.5)).toThrow(/0 < p < 1/);
	});
});

describe('Student t', () => {
	it('matches printed t_0.975 tables: 12.706, 4.303, 2.571, 2.228, 2.042 for df 1, 2, 5, 10, 30', () => {
		const table: [number, number][] = [
			[1, 12.706],
			[2, 4.303],
			[5, 2.571],
			[10, 2.228],
			[30, 2.042]
		];
		for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
	});

	it('matches the closed forms: df 1 is tan(π(p − ½)), df 2 is (2p − 1)/√(2p(1 − p))', () => {
		// df = 1 at p = 0.975: tan(0.475π) = 12.706204736174...; df = 2: 0.95/√0.04875 = 4.302652729...
		expect(studentTQuantile(0.975, 1)).toBeCloseTo(Math.tan(0.475 * Math.PI), 12);
		expect(studentTQuantile(0.975, 2)).toBeCloseTo(0.95 / Math.sqrt(0.04875), 12);
		// The CDF route agrees with the closed form for df = 2: P(T ≤ t) = ½ + t / (2√(2 + t²)).
		expect(studentTCdf(1.5, 2)).toBeCloseTo(0.5 + 1.5 / (2 * Math.sqrt(2 + 2.25)), 12);
	});

	it('approaches the normal quantile for large df and is antisymmetric', () => {
		expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(Z95, 5);
		expect(studentTQuantile(0.025, 7)).toBeCloseTo(-studentTQuantile(0.975, 7), 12);
		expect(studentTCdf(studentTQuantile(0.9, 13), 13)).toBeCloseTo(0.9, 11);
	});
});

describe('special functions', () => {
	it('logGamma gives ln((n − 1)!) and ln Γ(½) = ln √π', () => {
		expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
		expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
	});

	it('regularizedBeta matches I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b', () => {
		expect(regularizedBeta(0.3, 2.5, 1)).toBeCloseTo(0.3 ** 2.5, 12);
		expect(regularizedBeta(0.3, 1, 4)).toBeCloseTo(1 - 0.7 ** 4, 12);
	});
});
