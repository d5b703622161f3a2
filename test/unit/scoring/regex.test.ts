// Regexes from test files run with re2js: `/pattern/flags` literals, JavaScript escapes, clear errors
// for what RE2 rejects by design, limits on pattern and input size, and linear time on patterns that
// make backtracking engines hang.
import { describe, expect, it } from 'vitest';
import {
	compileRegex,
	MAX_PATTERN_LENGTH,
	MAX_REGEX_INPUT,
	parseRegexLiteral,
	regexFinds,
	unsupportedFeature
} from '../../../src/domain/scoring/regex.ts';

function finds(pattern: string, text: string): boolean {
	const c = compileRegex(pattern);
	if (!c.ok) throw new Error(c.error);
	return regexFinds(c.re, text);
}

function errorOf(pattern: string): string {
	const c = compileRegex(pattern);
	if (c.ok) throw new Error(`${pattern} compiled`);
	return c.error;
}

describe('parseRegexLiteral', () => {
	it('splits /pattern/flags', () => {
		expect(parseRegexLiteral('/ab+c/im')).toEqual({ pattern: 'ab+c', flags: 'im' });
		expect(parseRegexLiteral('/a\\/b/')).toEqual({ pattern: 'a\\/b', flags: '' });
	});

	it('takes anything else as a plain pattern without flags', () => {
		expect(parseRegexLiteral('ab+c')).toEqual({ pattern: 'ab+c', flags: '' });
		expect(parseRegexLiteral('/')).toEqual({ pattern: '/', flags: '' });
		expect(parseRegexLiteral('/api/v1')).toEqual({ pattern: '/api/v1', flags: '' });
	});
});

describe('compileRegex and regexFinds', () => {
	it('finds a match anywhere in the text', () => {
		expect(finds('\\d{3}-\\d{4}', 'call 555-1234 now')).toBe(true);
		expect(finds('\\d{3}-\\d{4}', 'call me')).toBe(false);
	});

	it('honours the i, m and s flags', () => {
		expect(finds('/HELLO/i', 'well hello')).toBe(true);
		expect(finds('HELLO', 'well hello')).toBe(false);
		expect(finds('/^b$/m', 'a\nb\nc')).toBe(true);
		expect(finds('^b$', 'a\nb\nc')).toBe(false);
		expect(finds('/a.b/s', 'a\nb')).toBe(true);
		expect(finds('a.b', 'a\nb')).toBe(false);
	});

	it('accepts g and u, which change nothing for a yes/no match', () => {
		expect(finds('/x/gu', 'yxz')).toBe(true);
	});

	it('understands JavaScript escapes such as \\u0041, \\/ and named groups', () => {
		expect(finds('\\u0041', 'A')).toBe(true);
		expect(finds('/a\\/b/', 'a/b')).toBe(true);
		expect(finds('(?<year>\\d{4})', 'in 1999')).toBe(true);
	});

	it('reports an unknown flag by name', () => {
		expect(errorOf('/abc/y')).toMatch(/flag "y".*not supported/);
	});

	it('reports a backreference by name', () => {
		expect(errorOf('(a)\\1')).toMatch(/backreference \(\\1\)/);
		expect(errorOf('(?<q>a)\\k<q>')).toMatch(/named backreference/);
	});

	it('reports lookahead and lookbehind by name', () => {
		expect(errorOf('foo(?=bar)')).toMatch(/lookahead/);
		expect(errorOf('foo(?!bar)')).toMatch(/lookahead/);
		expect(errorOf('(?<=foo)bar')).toMatch(/lookbehind/);
		expect(errorOf('(?<!foo)bar')).toMatch(/lookbehind/);
	});

	it('reports other syntax errors with RE2’s description', () => {
		expect(errorOf('(abc')).toMatch(/not a valid regular expression: missing closing \)/);
		expect(errorOf('[z-a]')).toMatch(/invalid character class range/);
	});

	it('refuses patterns longer than the limit', () => {
		expect(MAX_PATTERN_LENGTH).toBe(2000);
		expect(errorOf('a'.repeat(2001))).toMatch(/2001 characters long; the limit is 2000/);
		expect(compileRegex('a'.repeat(2000)).ok).toBe(true);
	});

	it('compiles each pattern once', () => {
		expect(compileRegex('cache(me)?')).toBe(compileRegex('cache(me)?'));
	});

	it('searches only the first 100,000 characters of a text', () => {
		expect(MAX_REGEX_INPUT).toBe(100_000);
		const text = `${'x'.repeat(100_000)}needle`;
		expect(finds('needle', text)).toBe(false);
		expect(finds('needle', `${'x'.repeat(99_994)}needle`)).toBe(true);
	});

	it('runs (a+)+$ on 10,000 a’s followed by b in linear time (a backtracking engine would never finish)', () => {
		const text = `${'a'.repeat(10_000)}b`;
		const t0 = performance.now();
		expect(finds('(a+)+$', text)).toBe(false);
		expect(finds('(x+x+)+y', 'x'.repeat(10_000))).toBe(false);
		expect(finds('^(\\w+\\s?)*$', `${'word '.repeat(2000)}!`)).toBe(false);
		expect(performance.now() - t0).toBeLessThan(2000);
	});
});

describe('unsupportedFeature', () => {
	it('ignores escaped parentheses and character classes', () => {
		expect(unsupportedFeature('\\(?=x')).toBeNull();
		expect(unsupportedFeature('[(?=]')).toBeNull();
		expect(unsupportedFeature('[\\1]')).toBeNull();
	});

	it('names atomic groups and possessive quantifiers', () => {
		expect(unsupportedFeature('(?>ab)')).toMatch(/atomic group/);
		expect(unsupportedFeature('a++')).toMatch(/possessive quantifier/);
	});
});
