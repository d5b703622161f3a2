// Fidelity figures: gain g = ⟨st, d⟩/⟨d, d⟩ and subspace error e_sub = ‖Ūᵀ(st − d)V̄‖_F/‖d‖_F, with the
// verdict thresholds (carried / note / warning). Expected values are worked out by hand in each test on
// matrices small enough to read: an adapter carried exactly, one erased by rounding to nearest, and a
// rank-deficient B whose column space is one line.

import { describe, expect, it } from 'vitest';
import {
	buildFidelityReport,
	emptySums,
	type FidelitySums,
	fidelityOf,
	fidelityVerdict,
	orthonormalColumns,
	SubspaceAccumulator
} from '../../../src/domain/merge/index.ts';

/** Row-major product of B [rows, r] and A [r, cols], times s. */
function lowRank(b: number[][], a: number[][], s: number): number[][] {
	return b.map((bi) => a[0].map((_, j) => s * bi.reduce((acc, bik, k) => acc + bik * a[k][j], 0)));
}

/** The merge pass's sums for stored delta st and intended d (plain loops), plus the subspace sum. */
function sums(st: number[][], d: number[][], b: number[][], a: number[][]): FidelitySums {
	const s = emptySums();
	const rank = a.length,
		cols = a[0].length;
	const acc = new SubspaceAccumulator(b.flat(), b.length, rank, a.flat(), cols);
	st.forEach((row, i) => {
		row.forEach((x, j) => {
			const y = d[i][j];
			s.dot += x * y;
			s.storedSq += x * x;
			s.intendedSq += y * y;
			s.diffSq += (x - y) ** 2;
		});
		acc.addRow(
			i,
			row.map((x, j) => x - d[i][j])
		);
		s.elements += row.length;
	});
	s.subSq = acc.subSq;
	return s;
}

describe('gain and subspace error', () => {
	const b = [
		[2, 0],
		[0, 1],
		[0, 0]
	];
	const a = [
		[1, 0, 0, 0],
		[0, 3, 0, 0]
	];

	it('an adapter carried exactly has gain 1 and subspace error 0, and is "carried"', () => {
		const d = lowRank(b, a, 0.5); // [[1,0,0,0],[0,1.5,0,0],[0,0,0,0]]
		const f = fidelityOf(sums(d, d, b, a));
		expect(f.gain).toBe(1);
		expect(f.subspaceError).toBe(0);
		expect(f.cosine).toBe(1);
		const report = buildFidelityReport([{ mlcModule: 'm', part: null, hfModule: 'h', ...f, elements: 12 }]);
		expect(fidelityVerdict(report.summary).level).toBe('carried');
	});

	it('an adapter erased by rounding to nearest (each delta under half a step) has gain 0 and subspace error 1: a warning', () => {
		// base codes 3..8 on a grid of step 0.1; the delta 0.02 (< 0.05) never moves a code
		const step = 0.1;
		const d = lowRank([[1], [1], [1]], [[0.02, 0.02, 0.02, 0.02]], 1);
		const codes = [
			[3, 4, 5, 6],
			[7, 8, 3, 4],
			[5, 6, 7, 8]
		];
		const st = codes.map((row, i) => row.map((c, j) => Math.round((c * step + d[i][j]) / step) * step - c * step));
		expect(st.flat().every((x) => Math.abs(x) < 1e-12)).toBe(true);
		const f = fidelityOf(sums(st, d, [[1], [1], [1]], [[0.02, 0.02, 0.02, 0.02]]));
		expect(f.gain).toBeCloseTo(0, 10);
		// st − d = −d lies in the adapter's subspace: ‖Ūᵀ(−d)V̄‖ = ‖d‖
		expect(f.subspaceError).toBeCloseTo(1, 10);
		const v = fidelityVerdict({ minGain: f.gain, maxGain: f.gain, maxSubspaceError: f.subspaceError });
		expect(v.level).toBe('warning');
		expect(v.message).toMatch(/keeps only 0% of its delta/);
	});

	it('a rank-deficient B gives a one-column Ū and the error is measured on that line only', () => {
		const bd = [
			[1, 1],
			[2, 2],
			[0, 0]
		];
		const ad = [
			[1, 0, 0, 0],
			[0, 1, 0, 0]
		];
		expect(orthonormalColumns(bd.flat(), 3, 2).k).toBe(1);
		const d = lowRank(bd, ad, 1); // [[1,1,0,0],[2,2,0,0],[0,0,0,0]]
		const r = [
			[0.1, -0.2, 0.3, 0],
			[0.05, 0.1, 0, 0.4],
			[1, 1, 1, 1]
		];
		const st = d.map((row, i) => row.map((x, j) => x + r[i][j]));
		const f = fidelityOf(sums(st, d, bd, ad));
		// Ū = (1, 2, 0)/√5, V̄ = e1, e2: ŪᵀRV̄ = [(0.1 + 2·0.05)/√5, (−0.2 + 2·0.1)/√5] = [0.2/√5, 0]; ‖d‖² = 10
		expect(f.subspaceError).toBeCloseTo(Math.sqrt(0.04 / 5 / 10), 12);
		// ⟨R, d⟩ = 0.1 − 0.2 + 0.1 + 0.2 = 0.2 → g = 1 + 0.2/10
		expect(f.gain).toBeCloseTo(1.02, 12);
		// the full-matrix relative error sees all of R: ‖R‖² = 0.14 + 0.1725 + 4
		expect(f.relError).toBeCloseTo(Math.sqrt((0.01 + 0.04 + 0.09 + 0.0025 + 0.01 + 0.16 + 4) / 10), 12);
	});

	it('noise outside the adapter subspace lowers the full-matrix cosine but not the gain or subspace error', () => {
		const d = lowRank(b, a, 0.5);
		const noise = [
			[0, 0, 0.7, -0.4],
			[0, 0, -0.3, 0.9],
			[0.5, -0.6, 0.2, 0.1]
		]; // zero on the 2×2 block
		const st = d.map((row, i) => row.map((x, j) => x + noise[i][j]));
		const f = fidelityOf(sums(st, d, b, a));
		expect(f.gain).toBeCloseTo(1, 12);
		expect(f.subspaceError).toBeCloseTo(0, 12);
		// ‖d‖² = 1 + 2.25, ‖noise‖² = 2.21, noise ⟂ d: cos = ‖d‖/‖st‖
		expect(f.cosine).toBeCloseTo(Math.sqrt(3.25 / (3.25 + 2.21)), 12);
	});

	it('on an exact (q0) merge, without a subspace sum, the subspace error is the relative error', () => {
		const s: FidelitySums = { dot: 3, storedSq: 4, intendedSq: 4, diffSq: 0.01, elements: 4 };
		const f = fidelityOf(s);
		expect(f.subspaceError).toBe(Math.sqrt(0.01 / 4));
		expect(f.gain).toBe(0.75);
	});

	it("reports the base's own 4-bit error from the originals' sums", () => {
		const f = fidelityOf({ dot: 1, storedSq: 1, intendedSq: 1, diffSq: 0, elements: 1, baseErrSq: 0.04, originalSq: 4 });
		expect(f.baseQuantRelError).toBeCloseTo(0.1, 15);
	});
});

describe('fidelity verdict', () => {
	it.each([
		[{ minGain: 0.95, maxGain: 1.05, maxSubspaceError: 0.2 }, 'carried'],
		[{ minGain: 0.9, maxGain: 1.1, maxSubspaceError: 0.3 }, 'note'],
		[{ minGain: 0.85, maxGain: 1.0, maxSubspaceError: 0.1 }, 'note'],
		[{ minGain: 0.79, maxGain: 1.0, maxSubspaceError: 0.1 }, 'warning'],
		[{ minGain: 1, maxGain: 1, maxSubspaceError: 0.51 }, 'warning']
	] as const)('%j is %s', (s, level) => {
		expect(fidelityVerdict(s).level).toBe(level);
	});

	it('a warning says which figure is at fault', () => {
		expect(fidelityVerdict({ minGain: 1, maxGain: 1, maxSubspaceError: 0.7 }).message).toMatch(/subspace error 0\.70/);
	});
});
