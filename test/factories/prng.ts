// Tiny deterministic PRNG (mulberry32) for test data: same seed, same numbers, on every machine.
// Test-only; imports nothing.

export interface Prng {
	/** Uniform in [0, 1). */
	next(): number;
	/** Uniform in [lo, hi). */
	uniform(lo: number, hi: number): number;
	/** Integer in [0, n). */
	int(n: number): number;
	/** Float32Array of `n` uniform values in [lo, hi). */
	floats(n: number, lo: number, hi: number): Float32Array;
}

/** A PRNG seeded with a 32-bit integer. */
export function prng(seed: number): Prng {
	let s = seed >>> 0;
	const next = (): number => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		uniform: (lo, hi) => lo + (hi - lo) * next(),
		int: (n) => Math.floor(next() * n),
		floats(n, lo, hi) {
			const out = new Float32Array(n);
			for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
			return out;
		}
	};
}

/** Derives a stable 32-bit seed from a string (FNV-1a), to give each tensor its own stream. */
export function seedOf(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}
