// How many more paired items would detect the observed pass-rate difference: the paired-proportions
// sample size of Connor (1987, Biometrics 43:207), 80 % power, two-sided α = 0.05.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { normalQuantile } from './distributions.ts';

/**
 * n = (z_{1−α/2}·√ψ + z_{power}·√(ψ − δ²))² / δ², with ψ the discordant proportion and δ the
 * difference of the paired proportions. Returns the real-valued n (round up to use it).
 * @throws RangeError when δ = 0 or |δ| > ψ (no such table) or ψ is outside (0, 1]
 */
export function pairedSampleSize(psi: number, delta: number, alpha = 0.05, power = 0.8): number {
	if (!(psi > 0 && psi <= 1)) throw new RangeError(`the discordant proportion must be in (0, 1], got ${psi}`);
	if (delta === 0 || !(Math.abs(delta) <= psi)) throw new RangeError(`the difference must be non-zero and at most ψ=${psi}, got ${delta}`);
	const za = normalQuantile(1 - alpha / 2);
	const zb = normalQuantile(power);
	return (za * Math.sqrt(psi) + zb * Math.sqrt(Math.max(0, psi - delta * delta))) ** 2 / (delta * delta);
}

/**
 * Additional paired items needed (beyond the current n) to detect the observed difference with 80 %
 * power at α = 0.05: ceil(pairedSampleSize(ψ, δ)) − n, at least 1; null when no difference was observed
 * (onlyA = onlyB, including an empty table).
 */
export function moreItemsNeeded(n: number, onlyA: number, onlyB: number): number | null {
	if (onlyA === onlyB || n === 0) return null;
	const required = Math.ceil(pairedSampleSize((onlyA + onlyB) / n, (onlyA - onlyB) / n) - 1e-9);
	return Math.max(1, required - n);
}
