// Text similarity measures used by the rouge-l and levenshtein assertions: ROUGE-L F1 (Lin 2004, β = 1)
// over lowercase word tokens and the Levenshtein edit distance over Unicode code points.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Lowercase word tokens: maximal runs of letters and digits; whitespace and punctuation separate
 * tokens and are dropped (so "Don't stop!" → ["don", "t", "stop"]).
 */
export function wordTokens(text: string): string[] {
	return text.toLowerCase().match(WORD) ?? [];
}

/** Length of the longest common subsequence of two token lists, O(m·n) time and O(min(m, n)) memory. */
export function lcsLength(a: readonly string[], b: readonly string[]): number {
	// Tokens become small integers so the inner loop compares numbers, not strings.
	const ids = new Map<string, number>();
	const toIds = (xs: readonly string[]) => Int32Array.from(xs, (x) => ids.get(x) ?? (ids.set(x, ids.size), ids.size - 1));
	let s = toIds(a);
	let t = toIds(b);
	if (s.length < t.length) [s, t] = [t, s];
	const n = t.length;
	if (n === 0) return 0;
	let prev = new Int32Array(n + 1);
	let cur = new Int32Array(n + 1);
	for (let i = 1; i <= s.length; i++) {
		const si = s[i - 1];
		for (let j = 1; j <= n; j++) {
			cur[j] = si === t[j - 1] ? prev[j - 1] + 1 : cur[j - 1] > prev[j] ? cur[j - 1] : prev[j];
		}
		[prev, cur] = [cur, prev];
	}
	return prev[n];
}

/**
 * ROUGE-L F1 of a candidate against a reference (Lin 2004, §3.1, with β = 1): with LCS the longest
 * common subsequence of their word tokens (see wordTokens), m the reference's and n the candidate's
 * token count, R = LCS/m, P = LCS/n and F = 2·R·P/(R + P) = 2·LCS/(m + n). Symmetric in its
 * arguments. Two texts without any word give 1 (nothing differs); one empty side gives 0.
 * Exact, so O(m·n): callers bound the inputs.
 */
export function rougeL(candidate: string, reference: string): number {
	const c = wordTokens(candidate);
	const r = wordTokens(reference);
	if (c.length === 0 && r.length === 0) return 1;
	if (c.length === 0 || r.length === 0) return 0;
	return (2 * lcsLength(c, r)) / (c.length + r.length);
}

function codePoints(text: string): Int32Array {
	const out = new Int32Array(text.length);
	let n = 0;
	for (const ch of text) out[n++] = ch.codePointAt(0)!;
	return out.subarray(0, n);
}

/**
 * The Levenshtein distance (fewest single-character insertions, deletions and substitutions turning
 * a into b), counted in Unicode code points, so an emoji is one character. kitten → sitting = 3.
 * Exact, so O(m·n) after stripping the common prefix and suffix: callers bound the inputs.
 */
export function levenshteinDistance(a: string, b: string): number {
	let s = codePoints(a);
	let t = codePoints(b);
	let start = 0;
	while (start < s.length && start < t.length && s[start] === t[start]) start++;
	let endS = s.length;
	let endT = t.length;
	while (endS > start && endT > start && s[endS - 1] === t[endT - 1]) {
		endS--;
		endT--;
	}
	s = s.subarray(start, endS);
	t = t.subarray(start, endT);
	if (s.length < t.length) [s, t] = [t, s];
	const n = t.length;
	if (n === 0) return s.length;
	const row = new Int32Array(n + 1);
	for (let j = 0; j <= n; j++) row[j] = j;
	for (let i = 1; i <= s.length; i++) {
		let diag = row[0];
		row[0] = i;
		const si = s[i - 1];
		for (let j = 1; j <= n; j++) {
			const up = row[j];
			const sub = diag + (si === t[j - 1] ? 0 : 1);
			const del = up + 1;
			const ins = row[j - 1] + 1;
			row[j] = sub < del ? (sub < ins ? sub : ins) : del < ins ? del : ins;
			diag = up;
		}
	}
	return row[n];
}

/**
 * The Levenshtein distance divided by the longer string's length in code points, in [0, 1]:
 * 0 for identical strings (including two empty ones), 1 when nothing can be kept.
 */
export function normalizedLevenshtein(a: string, b: string): number {
	const longer = Math.max(Array.from(a).length, Array.from(b).length);
	return longer === 0 ? 0 : levenshteinDistance(a, b) / longer;
}
