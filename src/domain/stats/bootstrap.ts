// A 95 % interval for the mean of paired differences (score under A minus score under B, item by
// item). Below 30 items it is the Student-t interval mean ± t_{0.975,n−1}·sd/√n, because percentile
// bootstraps under-cover at small n; from 30 items it is a seeded BCa bootstrap (bias-corrected and
// accelerated, Efron 1987, acceleration from the jackknife), falling back to the t interval when BCa is
// degenerate (every resample on one side of the mean, or no spread). `method` says which one was used.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { normalCdf, normalQuantile, studentTQuantile, Z95 } from './distributions.ts';

export interface MeanInterval {
	n: number;
	mean: number;
	/** null when n < 2 (no spread can be estimated from one item). */
	ci95: [number, number] | null;
	method: 'bca' | 't';
}

export interface BootstrapOptions {
	/** Number of resamples (at least 2000; default 2000). */
	resamples?: number;
	/** PRNG seed (default 1): the same data and seed give the same interval. */
	seed?: number;
	/** Smallest n that uses BCa (default 30); below it the t interval is used. */
	minBcaN?: number;
}

/** Below this many items the t interval is used instead of BCa. */
export const MIN_BCA_N = 30;
const MIN_RESAMPLES = 2000;

function mean(xs: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < xs.length; i++) s += xs[i];
	return s / xs.length;
}

/** mean ± t_{0.975, n−1}·s/√n with s the sample standard deviation; null for n < 2. */
export function tInterval(xs: readonly number[]): [number, number] | null {
	const n = xs.length;
	if (n < 2) return null;
	const m = mean(xs);
	let ss = 0;
	for (const x of xs) ss += (x - m) ** 2;
	const half = (studentTQuantile(0.975, n - 1) * Math.sqrt(ss / (n - 1))) / Math.sqrt(n);
	return [m - half, m + half];
}

/** Linear interpolation between order statistics of a sorted array at probability p. */
function quantileSorted(sorted: Float64Array, p: number): number {
	const pos = Math.min(Math.max(p, 0), 1) * (sorted.length - 1);
	const i = Math.floor(pos);
	const f = pos - i;
	return i + 1 < sorted.length ? sorted[i] * (1 - f) + sorted[i + 1] * f : sorted[i];
}

/** The BCa interval for the mean, or null when it is degenerate. */
function bcaInterval(xs: readonly number[], resamples: number, seed: number): [number, number] | null {
	const n = xs.length;
	if (xs.every((x) => x === xs[0])) return null;
	const theta = mean(xs);
	const data = Float64Array.from(xs);
	const boots = new Float64Array(resamples);
	// mulberry32 (as in prng.ts), inlined: this loop runs resamples × n times.
	let state = seed >>> 0;
	for (let b = 0; b < resamples; b++) {
		let s = 0;
		for (let i = 0; i < n; i++) {
			state = (state + 0x6d2b79f5) >>> 0;
			let t = Math.imul(state ^ (state >>> 15), state | 1);
			t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
			s += data[Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n)];
		}
		boots[b] = s / n;
	}
	let below = 0;
	let equal = 0;
	for (const t of boots) {
		if (t < theta) below++;
		else if (t === theta) equal++;
	}
	const share = (below + equal / 2) / resamples;
	if (share <= 0 || share >= 1) return null;
	const z0 = normalQuantile(share);
	// Jackknife acceleration: a = Σ(θ̄ − θ₍ᵢ₎)³ / (6·(Σ(θ̄ − θ₍ᵢ₎)²)^{3/2}).
	const total = theta * n;
	const jack = xs.map((x) => (total - x) / (n - 1));
	const jm = mean(jack);
	let s2 = 0;
	let s3 = 0;
	for (const j of jack) {
		s2 += (jm - j) ** 2;
		s3 += (jm - j) ** 3;
	}
	if (!(s2 > 0)) return null;
	const a = s3 / (6 * s2 ** 1.5);
	const adjust = (z: number) => {
		const w = z0 + z;
		const den = 1 - a * w;
		return den > 0 ? normalCdf(z0 + w / den) : NaN;
	};
	const p1 = adjust(-Z95);
	const p2 = adjust(Z95);
	if (!Number.isFinite(p1) || !Number.isFinite(p2)) return null;
	boots.sort();
	return [quantileSorted(boots, p1), quantileSorted(boots, p2)];
}

/**
 * The mean of paired differences with a 95 % interval: Student t below `minBcaN` items (default 30)
 * or when BCa is degenerate, otherwise a seeded BCa bootstrap with `resamples` resamples.
 * @throws RangeError on an empty list, a non-finite value or fewer than 2000 resamples
 */
export function pairedMeanInterval(diffs: readonly number[], options: BootstrapOptions = {}): MeanInterval {
	const n = diffs.length;
	if (n === 0) throw new RangeError('a mean difference needs at least one item scored under both variants');
	if (diffs.some((d) => !Number.isFinite(d))) throw new RangeError('every difference must be a finite number');
	const resamples = options.resamples ?? MIN_RESAMPLES;
	if (!Number.isInteger(resamples) || resamples < MIN_RESAMPLES) {
		throw new RangeError(`the bootstrap needs at least ${MIN_RESAMPLES} resamples, got ${resamples}`);
	}
	const m = mean(diffs);
	if (n >= (options.minBcaN ?? MIN_BCA_N)) {
		const ci = bcaInterval(diffs, resamples, options.seed ?? 1);
		if (ci) return { n, mean: m, ci95: ci, method: 'bca' };
	}
	return { n, mean: m, ci95: tInterval(diffs), method: 't' };
}
