// Exact two-sided binomial tests at p = ½: the exact McNemar test on discordant pairs and the sign test
// on votes. Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { regularizedBeta } from './distributions.ts';

function checkCount(name: string, k: number): void {
	if (!Number.isInteger(k) || k < 0) throw new RangeError(`${name} must be a whole number ≥ 0, got ${k}`);
}

/**
 * P(X ≤ k) for X ~ Binomial(n, ½). Summed exactly term by term up to n = 1000 (C(n,i)/2ⁿ is exact in
 * doubles for small n); above that through the regularized incomplete beta I_{½}(n − k, k + 1).
 */
export function binomialHalfCdf(k: number, n: number): number {
	checkCount('k', k);
	checkCount('n', n);
	if (k >= n) return 1;
	if (n > 1000) return regularizedBeta(0.5, n - k, k + 1);
	let term = Math.pow(2, -n);
	let sum = term;
	for (let i = 1; i <= k; i++) {
		term = (term * (n - i + 1)) / i;
		sum += term;
	}
	return Math.min(1, sum);
}

/**
 * The exact two-sided binomial test of b against c under H0: each of the b + c trials goes either way
 * with probability ½. p = min(1, 2·P(X ≤ min(b, c))) with X ~ Bin(b + c, ½); p = 1 when b + c = 0.
 */
export function exactBinomialTwoSided(b: number, c: number): number {
	checkCount('b', b);
	checkCount('c', c);
	const n = b + c;
	if (n === 0) return 1;
	return Math.min(1, 2 * binomialHalfCdf(Math.min(b, c), n));
}

/**
 * The exact (conditional) McNemar test on a paired 2×2 table's discordant cells.
 * @param onlyA items A passes and B fails
 * @param onlyB items B passes and A fails
 * @returns the two-sided p-value
 */
export function mcnemarExact(onlyA: number, onlyB: number): number {
	return exactBinomialTwoSided(onlyA, onlyB);
}

/**
 * The exact two-sided sign test on votes: ties and "both bad" are left out before calling.
 * @returns the two-sided p-value (1 when there are no decisive votes)
 */
export function signTest(aWins: number, bWins: number): number {
	return exactBinomialTwoSided(aWins, bWins);
}
