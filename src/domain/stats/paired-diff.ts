// Difference of two paired proportions (the same items scored under A and under B) with Newcombe's
// method 10 interval: Wilson score limits of each margin combined by "square and add" with the
// correlation between the margins (Newcombe 1998, Stat Med 17:2635–2650).
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { Z95 } from './distributions.ts';
import { wilsonInterval } from './wilson.ts';

/** A paired 2×2 table of pass/fail counts. */
export interface PairedTable {
	/** Both pass (Newcombe's e). */
	both: number;
	/** A passes, B fails (f). */
	onlyA: number;
	/** B passes, A fails (g). */
	onlyB: number;
	/** Both fail (h). */
	neither: number;
}

/**
 * φ̂, the correlation of the two margins, as Newcombe's method 10 uses it: with D = both·neither −
 * onlyA·onlyB, φ̂ = (D − n/2)/√(product of the four margins) when D > n/2, 0 when 0 ≤ D ≤ n/2, and
 * D/√(…) when D < 0; 0 when any margin is empty.
 */
export function pairedPhi(t: PairedTable): number {
	const n = t.both + t.onlyA + t.onlyB + t.neither;
	const m = (t.both + t.onlyA) * (t.onlyB + t.neither) * (t.both + t.onlyB) * (t.onlyA + t.neither);
	if (m === 0) return 0;
	const d = t.both * t.neither - t.onlyA * t.onlyB;
	if (d > n / 2) return (d - n / 2) / Math.sqrt(m);
	if (d >= 0) return 0;
	return d / Math.sqrt(m);
}

/**
 * pA − pB = (onlyA − onlyB)/n with Newcombe's method 10 interval:
 * L = θ̂ − √((p₁ − l₁)² − 2φ̂(p₁ − l₁)(u₂ − p₂) + (u₂ − p₂)²),
 * U = θ̂ + √((u₁ − p₁)² − 2φ̂(u₁ − p₁)(p₂ − l₂) + (p₂ − l₂)²),
 * where [l₁, u₁], [l₂, u₂] are the Wilson intervals of p₁ = (both + onlyA)/n and p₂ = (both + onlyB)/n.
 * @throws RangeError when a count is not a whole number ≥ 0 or the table is empty
 */
export function pairedDifference(t: PairedTable, z: number = Z95): { estimate: number; ci95: [number, number] } {
	for (const [k, v] of Object.entries(t)) {
		if (!Number.isInteger(v) || v < 0) throw new RangeError(`${k} must be a whole number ≥ 0, got ${v}`);
	}
	const n = t.both + t.onlyA + t.onlyB + t.neither;
	if (n === 0) throw new RangeError('a paired difference needs at least one item scored under both variants');
	const p1 = (t.both + t.onlyA) / n;
	const p2 = (t.both + t.onlyB) / n;
	const [l1, u1] = wilsonInterval(t.both + t.onlyA, n, z);
	const [l2, u2] = wilsonInterval(t.both + t.onlyB, n, z);
	const phi = pairedPhi(t);
	const estimate = (t.onlyA - t.onlyB) / n;
	const dl = Math.sqrt(Math.max(0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2));
	const du = Math.sqrt(Math.max(0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2));
	return { estimate, ci95: [Math.max(-1, estimate - dl), Math.min(1, estimate + du)] };
}
