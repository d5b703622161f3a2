// Runs one assertion on one output: resolves `{{expected}}` and absent values to the item's expected
// output, applies the base check, then a `not-` negation (pass flipped, score = 1 − score). A broken
// assertion, or one that needs an expected output the item lacks, gives an error result, never a throw.
// Pure TypeScript plus re2js: no svelte, dexie, DOM, web-llm or node: imports.
import { RE2JS } from 're2js';
import { checkJson } from './json.ts';
import { compileRegex, MAX_REGEX_INPUT, regexFinds } from './regex.ts';
import { levenshteinDistance, rougeL } from './text.ts';
import type { Assertion, AssertionResult, BaseAssertionType } from './types.ts';
import { assertionProblems, EXPECTED_PLACEHOLDER, isNumericText, splitAssertionType } from './validate.ts';

/** ROUGE-L inputs are cut to this many characters each (the LCS is quadratic in the word count). */
export const MAX_ROUGE_CHARS = 20_000;
/** Levenshtein inputs are cut to this many characters each (the distance is quadratic in length). */
export const MAX_LEVENSHTEIN_CHARS = 5_000;
export const DEFAULT_ROUGE_THRESHOLD = 0.75;
export const DEFAULT_LEVENSHTEIN_THRESHOLD = 0.2;

type Outcome = { pass: boolean; score: number; reason: string } | { error: string };

class NeedsExpected extends Error {}

/** A text quoted for a reason, shortened to about 80 characters. */
function q(text: string): string {
	return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}…` : text);
}

const f2 = (x: number) => (Math.round(x * 100) / 100).toString();

/** The assertion's text: its value with `{{expected}}` replaced, or the expected output when absent. */
function textValue(a: Assertion, expected: string | undefined): string {
	const v = a.value;
	if (v === undefined || v === null) {
		if (expected === undefined) throw new NeedsExpected();
		return expected;
	}
	const s = String(v);
	if (!s.includes(EXPECTED_PLACEHOLDER)) return s;
	if (expected === undefined) throw new NeedsExpected();
	return s.split(EXPECTED_PLACEHOLDER).join(expected);
}

function listValue(a: Assertion, expected: string | undefined): string[] {
	const v = a.value;
	const items = Array.isArray(v)
		? v.map(String)
		: textValue(a, expected)
				.split(',')
				.map((x) => x.trim());
	return items
		.map((x) => {
			if (!x.includes(EXPECTED_PLACEHOLDER)) return x;
			if (expected === undefined) throw new NeedsExpected();
			return x.split(EXPECTED_PLACEHOLDER).join(expected);
		})
		.filter((x) => x !== '');
}

/** The regex source: the expected output itself when the value is absent or exactly `{{expected}}`,
 *  else the value with an embedded `{{expected}}` matched literally. */
function regexValue(a: Assertion, expected: string | undefined): string {
	const v = a.value;
	if (v === undefined || v === null || v === EXPECTED_PLACEHOLDER) return textValue({ type: 'regex' }, expected);
	const s = String(v);
	if (!s.includes(EXPECTED_PLACEHOLDER)) return s;
	if (expected === undefined) throw new NeedsExpected();
	return s.split(EXPECTED_PLACEHOLDER).join(RE2JS.quote(expected));
}

const NUMBER = /(?:(?<![\p{L}\p{N}_])[-+\u2212])?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?/gu;

/**
 * The first number written in a text: optional sign (not glued to a preceding word, so "item-3" gives
 * 3), digits with optional thousands commas ("1,234"), decimals, exponent. null when there is none.
 */
export function firstNumber(text: string): number | null {
	for (const m of text.matchAll(NUMBER)) {
		if (!/\d/.test(m[0])) continue;
		const n = Number(m[0].replace(/,/g, '').replace('\u2212', '-'));
		if (Number.isFinite(n)) return n;
	}
	return null;
}

function base(type: BaseAssertionType, a: Assertion, output: string, expected: string | undefined): Outcome {
	const yes = (pass: boolean, reason: string): Outcome => ({ pass, score: pass ? 1 : 0, reason });
	switch (type) {
		case 'equals': {
			const v = textValue(a, expected);
			if (output === v) return yes(true, `output equals ${q(v)}`);
			if (output.trim() === v.trim())
				return yes(false, `output does not equal ${q(v)}: they differ only in leading or trailing whitespace (equals is exact)`);
			let i = 0;
			while (i < output.length && i < v.length && output[i] === v[i]) i++;
			return yes(false, `output does not equal ${q(v)} (first difference at character ${i + 1})`);
		}
		case 'contains': {
			const v = textValue(a, expected);
			return output.includes(v) ? yes(true, `output contains ${q(v)}`) : yes(false, `output does not contain ${q(v)}`);
		}
		case 'icontains': {
			const v = textValue(a, expected);
			return output.toLowerCase().includes(v.toLowerCase())
				? yes(true, `output contains ${q(v)} (ignoring case)`)
				: yes(false, `output does not contain ${q(v)} (ignoring case)`);
		}
		case 'contains-any':
		case 'icontains-any':
		case 'contains-all':
		case 'icontains-all': {
			const list = listValue(a, expected);
			if (list.length === 0) return { error: `"${a.type}" has no texts to look for: give a list or comma-separated texts` };
			const fold = type.startsWith('i');
			const hay = fold ? output.toLowerCase() : output;
			const found = list.filter((x) => hay.includes(fold ? x.toLowerCase() : x));
			const how = fold ? ' (ignoring case)' : '';
			if (type.endsWith('-any'))
				return found.length
					? yes(true, `output contains ${q(found[0])}${how}`)
					: yes(false, `output contains none of ${list.map(q).join(', ')}${how}`);
			const missing = list.filter((x) => !found.includes(x));
			return missing.length
				? yes(false, `output is missing ${missing.map(q).join(', ')}${how}`)
				: yes(true, `output contains all of ${list.map(q).join(', ')}${how}`);
		}
		case 'starts-with': {
			const v = textValue(a, expected);
			return output.startsWith(v) ? yes(true, `output starts with ${q(v)}`) : yes(false, `output does not start with ${q(v)}`);
		}
		case 'regex': {
			const compiled = compileRegex(regexValue(a, expected));
			if (!compiled.ok) return { error: compiled.error };
			const note = output.length > MAX_REGEX_INPUT ? ` (in its first ${MAX_REGEX_INPUT} characters)` : '';
			return regexFinds(compiled.re, output)
				? yes(true, `output matches ${compiled.display}${note}`)
				: yes(false, `output does not match ${compiled.display}${note}`);
		}
		case 'is-json': {
			const r = checkJson(output, a.value);
			return 'error' in r ? r : yes(r.pass, r.reason);
		}
		case 'number': {
			let target: number;
			if (typeof a.value === 'number') target = a.value;
			else {
				const text = textValue(a, expected);
				const n = isNumericText(text) ? Number(text) : firstNumber(text);
				if (n === null) return { error: `"number" has no number to compare with: the expected output ${q(text)} contains none` };
				target = n;
			}
			const tol = a.tolerance ?? 0;
			const got = firstNumber(output);
			if (got === null) return yes(false, 'output contains no number');
			const off = Math.abs(got - target);
			// A relative slack of 1e-9 keeps decimal round-off (|1.1 − 1| = 0.10000000000000009) inside the tolerance.
			const pass = off <= tol + 1e-9 * Math.max(1, Math.abs(target));
			const tolText = tol ? ` (tolerance ${tol})` : '';
			return pass
				? yes(true, `first number in output is ${got}, ${off ? `within ${tol} of` : 'equal to'} ${target}`)
				: yes(false, `first number in output is ${got}, off by ${f2(off)} from ${target}${tolText}`);
		}
		case 'length': {
			const n = Array.from(output).length;
			if (a.min !== undefined && n < a.min) return yes(false, `output is ${n} characters long, shorter than the minimum ${a.min}`);
			if (a.max !== undefined && n > a.max) return yes(false, `output is ${n} characters long, longer than the maximum ${a.max}`);
			return yes(true, `output is ${n} characters long, within [${a.min ?? 0}, ${a.max ?? '∞'}]`);
		}
		case 'rouge-l': {
			const ref = textValue(a, expected);
			const threshold = a.threshold ?? DEFAULT_ROUGE_THRESHOLD;
			const cut = output.length > MAX_ROUGE_CHARS || ref.length > MAX_ROUGE_CHARS;
			const f = rougeL(output.slice(0, MAX_ROUGE_CHARS), ref.slice(0, MAX_ROUGE_CHARS));
			const note = cut ? ` (on the first ${MAX_ROUGE_CHARS} characters)` : '';
			return { pass: f >= threshold, score: f, reason: `ROUGE-L F1 ${f2(f)} ${f >= threshold ? '≥' : '<'} threshold ${threshold}${note}` };
		}
		case 'levenshtein': {
			const ref = textValue(a, expected);
			const threshold = a.threshold ?? DEFAULT_LEVENSHTEIN_THRESHOLD;
			const s = output.slice(0, MAX_LEVENSHTEIN_CHARS);
			const t = ref.slice(0, MAX_LEVENSHTEIN_CHARS);
			const edits = levenshteinDistance(s, t);
			const longer = Math.max(Array.from(s).length, Array.from(t).length);
			const d = longer === 0 ? 0 : edits / longer;
			const cut = output.length > MAX_LEVENSHTEIN_CHARS || ref.length > MAX_LEVENSHTEIN_CHARS;
			const note = cut ? ` (on the first ${MAX_LEVENSHTEIN_CHARS} characters)` : '';
			return {
				pass: d <= threshold,
				score: 1 - d,
				reason: `normalised edit distance ${f2(d)} (${edits} edit${edits === 1 ? '' : 's'} over ${longer} characters) ${d <= threshold ? '≤' : '>'} threshold ${threshold}${note}`
			};
		}
	}
}

/**
 * Runs assertion `a` (number `index` in its spec) on `output`. `expected` is the item's expected
 * output, used for `{{expected}}` and absent values. Never throws: an invalid assertion, a regex or
 * schema that cannot be used, or a missing expected output gives `{ pass: false, score: 0, error }`.
 * Negated types (`not-…`) flip pass and give score 1 − score; errors are not flipped.
 */
export function runAssertion(a: Assertion, index: number, output: string, expected: string | undefined): AssertionResult {
	const type = a?.type;
	const head = { index, type, ...(typeof a?.label === 'string' ? { label: a.label } : {}) };
	const fail = (error: string): AssertionResult => ({ ...head, pass: false, score: 0, reason: `assertion error: ${error}`, error });
	const problems = assertionProblems(a, `assertions[${index}]`);
	if (problems.length) return fail(problems.map((p) => p.message).join('; '));
	const { base: baseType, negated } = splitAssertionType(type);
	let out: Outcome;
	try {
		out = base(baseType!, a, output, expected);
	} catch (e) {
		if (e instanceof NeedsExpected)
			return fail(
				`"${type}" compares with the expected output, and this item has none: give the assertion a value or add an expected output to the item`
			);
		return fail(`"${type}" could not run: ${e instanceof Error ? e.message : String(e)}`);
	}
	if ('error' in out) return fail(out.error);
	if (!negated) return { ...head, pass: out.pass, score: out.score, reason: out.reason };
	return { ...head, pass: !out.pass, score: 1 - out.score, reason: out.reason };
}
