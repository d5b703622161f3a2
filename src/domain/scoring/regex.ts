// Regexes from test files, compiled and run with re2js (RE2 semantics: linear time in the input, so
// no pattern can hang the tab), with promptfoo-style `/pattern/flags` literals, JavaScript escapes
// translated, a cap on pattern length and on the text examined, a small cache of compiled patterns,
// and error messages that name unsupported features (backreferences, lookaround).
// Pure TypeScript plus re2js (a pure-JS regex engine): no svelte, dexie, DOM, web-llm or node: imports.
import { RE2JS } from 're2js';

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 2000;
/** Only this many leading characters of an output are searched. */
export const MAX_REGEX_INPUT = 100_000;
const CACHE_SIZE = 500;

/** Flags accepted in `/pattern/flags`; g and u change nothing when testing for a match. */
const FLAG_BITS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, g: 0, u: 0 };

export type CompiledRegex = { ok: true; re: RE2JS; display: string } | { ok: false; error: string; display: string };

/**
 * Splits `/pattern/flags` into its parts; anything else (including a lone `/`) is a plain pattern
 * with no flags.
 */
export function parseRegexLiteral(text: string): { pattern: string; flags: string } {
	const m = /^\/([\s\S]*)\/([A-Za-z]*)$/.exec(text);
	return m && text.length >= 2 ? { pattern: m[1], flags: m[2] } : { pattern: text, flags: '' };
}

/** A pattern as `/…/flags` for messages, shortened to about 60 characters. */
function shown(text: string): string {
	const full = parseRegexLiteral(text).pattern !== text ? text : `/${text}/`;
	return full.length > 60 ? `${full.slice(0, 57)}…` : full;
}

/**
 * The first construct RE2 rejects by design that appears in a pattern (outside character classes),
 * as a sentence saying what to do instead; null when there is none.
 */
export function unsupportedFeature(pattern: string): string | null {
	let inClass = false;
	for (let i = 0; i < pattern.length; i++) {
		const c = pattern[i];
		if (c === '\\') {
			const n = pattern[i + 1] ?? '';
			if (!inClass && /[1-9]/.test(n))
				return `uses a backreference (\\${n}), which RE2 does not support (it cannot refer back to a captured group); rewrite the pattern without it`;
			if (!inClass && n === 'k' && pattern[i + 2] === '<')
				return 'uses a named backreference (\\k<…>), which RE2 does not support (it cannot refer back to a captured group); rewrite the pattern without it';
			i++;
			continue;
		}
		if (inClass) {
			if (c === ']') inClass = false;
			continue;
		}
		if (c === '[') {
			inClass = true;
			if (pattern[i + 1] === ']') i++;
			continue;
		}
		const ahead = pattern.slice(i, i + 4);
		if (ahead.startsWith('(?=') || ahead.startsWith('(?!'))
			return `uses a lookahead (${ahead.slice(0, 3)}…), which RE2 does not support; match the text itself instead, or use a not- assertion for a negative check`;
		if (ahead.startsWith('(?<=') || ahead.startsWith('(?<!'))
			return `uses a lookbehind (${ahead}…), which RE2 does not support; match the text itself instead, or use a not- assertion for a negative check`;
		if (ahead.startsWith('(?>'))
			return 'uses an atomic group ((?>…)), which RE2 does not support (and does not need: it never backtracks); use (?:…)';
		if (/^[*+?}]\+/.test(ahead))
			return `uses a possessive quantifier (${ahead.slice(0, 2)}), which RE2 does not support (and does not need: it never backtracks); drop the second +`;
	}
	return null;
}

const cache = new Map<string, CompiledRegex>();

function compileUncached(text: string): CompiledRegex {
	const display = shown(text);
	if (text.length > MAX_PATTERN_LENGTH)
		return {
			ok: false,
			display,
			error: `regex ${display} is ${text.length} characters long; the limit is ${MAX_PATTERN_LENGTH}: shorten it`
		};
	const { pattern, flags } = parseRegexLiteral(text);
	let bits = 0;
	for (const f of flags) {
		if (!(f in FLAG_BITS))
			return {
				ok: false,
				display,
				error: `regex ${display} has the flag "${f}", which is not supported: use i (ignore case), m (multiline) or s (dot matches newline)`
			};
		bits |= FLAG_BITS[f];
	}
	// Checked before compiling: translateRegExp reads an unknown escape such as \k as a literal k,
	// so a named backreference would otherwise compile into something else.
	const feature = unsupportedFeature(pattern);
	if (feature) return { ok: false, display, error: `regex ${display} ${feature}` };
	try {
		return { ok: true, display, re: RE2JS.compile(RE2JS.translateRegExp(pattern), bits) };
	} catch (e) {
		const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : String(e);
		return { ok: false, display, error: `regex ${display} is not a valid regular expression: ${why}` };
	}
}

/**
 * Compiles `/pattern/flags` or a plain pattern with re2js, remembering the last few hundred results.
 * Never throws: a pattern that is too long, has an unknown flag or does not compile gives
 * `{ ok: false, error }` with the reason in words.
 */
export function compileRegex(text: string): CompiledRegex {
	let hit = cache.get(text);
	if (hit) return hit;
	hit = compileUncached(text);
	if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
	cache.set(text, hit);
	return hit;
}

/** Whether the regex matches anywhere in the first MAX_REGEX_INPUT characters of text (linear time). */
export function regexFinds(re: RE2JS, text: string): boolean {
	return re.test(text.length > MAX_REGEX_INPUT ? text.slice(0, MAX_REGEX_INPUT) : text);
}
