// Blind A/B order: which answer is shown on the left, decided per (experiment, item) by a hash, so
// it looks random to the voter and stays the same across reloads. Pure.

/** FNV-1a 32-bit over the UTF-16 code units (enough spread for a left/right choice). */
function fnv1a(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h;
}

/** True when variant b's answer is shown on the left for this item. */
export function blindSwap(experimentId: string, itemId: string): boolean {
	return (fnv1a(`${experimentId}\u0000${itemId}`) & 1) === 1;
}
