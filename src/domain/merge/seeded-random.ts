// A reproducible uniform stream for stochastic rounding: seeded from a text (adapter hash + tensor
// name) by FNV-1a 32-bit hashing into four words of xoshiro128**. Same text, same draws, everywhere.
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

function fnv1a(text: string, basis: number): number {
	let h = basis >>> 0;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

/**
 * A generator of uniform numbers in [0, 1) (multiples of 2⁻³²) seeded from `seedText`.
 * @param seedText e.g. `${adapterSha256}:${tensorName}`
 */
export function seededUniform(seedText: string): () => number {
	const s = new Uint32Array([
		fnv1a(seedText, 0x811c9dc5),
		fnv1a(seedText, 0x9e3779b9),
		fnv1a(seedText, 0x7f4a7c15),
		fnv1a(seedText, 0x2545f491)
	]);
	if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
	return () => {
		const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
		const t = s[1] << 9;
		s[2] ^= s[0];
		s[3] ^= s[1];
		s[1] ^= s[2];
		s[0] ^= s[3];
		s[2] ^= t;
		s[3] = rotl(s[3], 11);
		return result / 4294967296;
	};
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}
