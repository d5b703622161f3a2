// Holm–Bonferroni adjustment against the textbook example (Holm 1979; the four-hypothesis example
// with p = 0.01, 0.04, 0.03, 0.005 used e.g. in Wikipedia's "Holm–Bonferroni method").
import { describe, expect, it } from 'vitest';
import { holmAdjust } from '../../../src/domain/stats/holm.ts';

describe('holmAdjust', () => {
	it('adjusts p = 0.01, 0.04, 0.03, 0.005 to 0.03, 0.06, 0.06, 0.02', () => {
		// Sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → running max 0.06.
		// At α = 0.05 only H4 (0.005) and H1 (0.01) are rejected, as in the example.
		const adjusted = holmAdjust([0.01, 0.04, 0.03, 0.005]);
		[0.03, 0.06, 0.06, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 15));
	});

	it('caps at 1, keeps a single p-value as it is, and accepts an empty list', () => {
		expect(holmAdjust([0.6, 0.7])).toEqual([1, 1]);
		expect(holmAdjust([0.2])).toEqual([0.2]);
		expect(holmAdjust([])).toEqual([]);
	});

	it('refuses values that are not p-values', () => {
		expect(() => holmAdjust([0.1, 1.2])).toThrow(/p-value 2 must be a number from 0 to 1/);
		expect(() => holmAdjust([Number.NaN])).toThrow(/p-value 1/);
	});
});
