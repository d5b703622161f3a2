// Wilson score interval for a single proportion (Wilson 1927; method 3 of Newcombe 1998, Stat Med 17:857).
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { Z95 } from './distributions.ts';

/**
 * The Wilson score interval for `successes` out of `n`:
 * (2np̂ + z² ± z·√(z² + 4np̂(1−p̂))) / (2(n + z²)), clamped to [0, 1] against rounding.
 * @param z the normal quantile (default z_{0.975}, a 95 % interval)
 * @throws RangeError when n is not a positive whole number or successes is outside 0..n
 */
export function wilsonInterval(successes: number, n: number, z: number = Z95): [number, number] {
	if (!Number.isInteger(n) || n <= 0) throw new RangeError(`a proportion needs a whole number of trials above 0, got n=${n}`);
	if (!Number.isInteger(successes) || successes < 0 || successes > n) {
		throw new RangeError(`successes must be a whole number from 0 to n=${n}, got ${successes}`);
	}
	const p = successes / n;
	const z2 = z * z;
	const centre = 2 * n * p + z2;
	const half = z * Math.sqrt(z2 + 4 * n * p * (1 - p));
	const denom = 2 * (n + z2);
	const lo = successes === 0 ? 0 : (centre - half) / denom;
	const hi = successes === n ? 1 : (centre + half) / denom;
	return [Math.max(0, lo), Math.min(1, hi)];
}
