// Holm–Bonferroni step-down adjustment of p-values for several comparisons at once (Holm 1979).
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.

/**
 * Holm-adjusted p-values, in the input's order: with p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted p₍ᵢ₎ =
 * min(1, max_{j ≤ i} (m − j + 1)·p₍ⱼ₎). Reject where the adjusted value is below α.
 * @throws RangeError when a p-value is not a number in [0, 1]
 */
export function holmAdjust(ps: readonly number[]): number[] {
	ps.forEach((p, i) => {
		if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value ${i + 1} must be a number from 0 to 1, got ${p}`);
	});
	const m = ps.length;
	const order = ps.map((p, i) => [p, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
	const out = new Array<number>(m);
	let running = 0;
	order.forEach(([p, i], rank) => {
		running = Math.max(running, Math.min(1, (m - rank) * p));
		out[i] = running;
	});
	return out;
}
