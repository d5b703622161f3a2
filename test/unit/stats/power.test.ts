// More paired items needed for 80 % power at two-sided α = 0.05 (Connor 1987, Biometrics 43:207):
// n = (z_{α/2}·√ψ + z_β·√(ψ − δ²))² / δ², with z_{α/2} = 1.959964 and z_β = z_{0.8} = 0.841621.
import { describe, expect, it } from 'vitest';
import { moreItemsNeeded, pairedSampleSize } from '../../../src/domain/stats/power.ts';

describe('pairedSampleSize', () => {
	it('gives 154.599 for ψ = 0.2, δ = 0.1', () => {
		// 1.959964·√0.2 = 0.876523; 0.841621·√(0.2 − 0.01) = 0.841621·0.435890 = 0.366854;
		// (0.876523 + 0.366854)² / 0.01 = 1.243377² / 0.01 = 154.5987
		expect(pairedSampleSize(0.2, 0.1)).toBeCloseTo(154.5987, 3);
	});

	it('depends on the size of the difference, not its sign', () => {
		expect(pairedSampleSize(0.4, -0.2)).toBeCloseTo(pairedSampleSize(0.4, 0.2), 12);
	});

	it('refuses a zero difference or one larger than the discordant share', () => {
		expect(() => pairedSampleSize(0.2, 0)).toThrow(/non-zero/);
		expect(() => pairedSampleSize(0.2, 0.3)).toThrow(/at most/);
	});
});

describe('moreItemsNeeded', () => {
	it('asks for 155 − 40 = 115 more items after 40 items with 6 discordant for A and 2 for B', () => {
		// ψ = 8/40 = 0.2, δ = 4/40 = 0.1 → n = 154.5987 → 155 in all
		expect(moreItemsNeeded(40, 6, 2)).toBe(115);
	});

	it('asks for 77 − 50 = 27 more items after 50 items with 5 against 15', () => {
		// ψ = 0.4, δ = −0.2: (1.959964·0.632456 + 0.841621·0.6)² / 0.04 = (1.239585 + 0.504973)² / 0.04 = 76.087 → 77
		expect(moreItemsNeeded(50, 5, 15)).toBe(27);
	});

	it('asks for at least 1 more item when the formula is already met', () => {
		// n = 100, 10 against 0: ψ = δ = 0.1 → (0.619795 + 0.841621·0.3)² / 0.01 = 76.09 < 100
		expect(moreItemsNeeded(100, 10, 0)).toBe(1);
	});

	it('is null when no difference was observed', () => {
		expect(moreItemsNeeded(30, 4, 4)).toBeNull();
		expect(moreItemsNeeded(0, 0, 0)).toBeNull();
	});
});
