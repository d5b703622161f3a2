// ROUGE-L F1 (Lin 2004, "ROUGE: A Package for Automatic Evaluation of Summaries", §3.1, β = 1) and the
// Levenshtein distance, against the paper's example and the classic textbook pairs, worked by hand.
import { describe, expect, it } from 'vitest';
import { lcsLength, levenshteinDistance, normalizedLevenshtein, rougeL, wordTokens } from '../../../src/domain/scoring/text.ts';

describe('wordTokens', () => {
	it('lowercases and splits on whitespace and punctuation', () => {
		expect(wordTokens("The CAT, sat!  Don't\tstop.")).toEqual(['the', 'cat', 'sat', 'don', 't', 'stop']);
	});

	it('keeps letters and digits of any script', () => {
		expect(wordTokens('Größe 42 — café')).toEqual(['größe', '42', 'café']);
	});
});

describe('lcsLength', () => {
	it('finds 4 for ABCBDAB and BDCABA (Cormen et al., §15.4)', () => {
		expect(lcsLength([...'ABCBDAB'], [...'BDCABA'])).toBe(4);
	});

	it('is 0 when either side is empty', () => {
		expect(lcsLength([], ['a'])).toBe(0);
		expect(lcsLength(['a'], [])).toBe(0);
	});
});

describe('rougeL', () => {
	// Lin (2004) §3.1: reference S1 = "police killed the gunman".
	it('gives 0.75 for Lin’s S2 "police kill the gunman" (LCS "police the gunman" = 3 of 4 words)', () => {
		// R = 3/4, P = 3/4, F = 2·R·P/(R + P) = 0.75
		expect(rougeL('police kill the gunman', 'police killed the gunman')).toBeCloseTo(0.75, 12);
	});

	it('gives 0.5 for Lin’s S3 "the gunman kill police" (LCS "the gunman" = 2 of 4 words)', () => {
		// R = P = 2/4, F = 0.5
		expect(rougeL('the gunman kill police', 'police killed the gunman')).toBeCloseTo(0.5, 12);
	});

	it('combines recall and precision when the lengths differ', () => {
		// candidate 3 words, reference 6, LCS 3: R = 3/6, P = 3/3, F = 2·0.5·1/1.5 = 2/3
		expect(rougeL('the cat sat', 'the cat sat on the mat')).toBeCloseTo(2 / 3, 12);
	});

	it('ignores case and punctuation', () => {
		expect(rougeL('The CAT, sat!', 'the cat sat')).toBe(1);
	});

	it('is symmetric (β = 1)', () => {
		expect(rougeL('a b c d e', 'a x c y')).toBeCloseTo(rougeL('a x c y', 'a b c d e'), 12);
		// LCS "a c" = 2, F = 2·2/(5 + 4) = 4/9
		expect(rougeL('a b c d e', 'a x c y')).toBeCloseTo(4 / 9, 12);
	});

	it('is 1 for two texts without words and 0 when only one side has words', () => {
		expect(rougeL('', '...')).toBe(1);
		expect(rougeL('', 'something')).toBe(0);
		expect(rougeL('something', '  ')).toBe(0);
	});

	it('is 0 when no word is shared', () => {
		expect(rougeL('alpha beta', 'gamma delta')).toBe(0);
	});
});

describe('levenshteinDistance', () => {
	it('is 3 for kitten → sitting (k→s, e→i, +g)', () => {
		expect(levenshteinDistance('kitten', 'sitting')).toBe(3);
	});

	it('is 2 for flaw → lawn (−f, +n)', () => {
		expect(levenshteinDistance('flaw', 'lawn')).toBe(2);
	});

	it('is 3 for "" → "abc" and for "abc" → ""', () => {
		expect(levenshteinDistance('', 'abc')).toBe(3);
		expect(levenshteinDistance('abc', '')).toBe(3);
	});

	it('is 3 for saturday → sunday', () => {
		expect(levenshteinDistance('saturday', 'sunday')).toBe(3);
	});

	it('is 0 for equal strings, symmetric otherwise', () => {
		expect(levenshteinDistance('same', 'same')).toBe(0);
		expect(levenshteinDistance('sitting', 'kitten')).toBe(3);
	});

	it('counts an emoji (two UTF-16 units) as one character', () => {
		expect(levenshteinDistance('😀a', 'a')).toBe(1);
		expect(levenshteinDistance('😀', '😃')).toBe(1);
	});
});

describe('normalizedLevenshtein', () => {
	it('divides by the longer length: kitten/sitting = 3/7, flaw/lawn = 2/4', () => {
		expect(normalizedLevenshtein('kitten', 'sitting')).toBeCloseTo(3 / 7, 12);
		expect(normalizedLevenshtein('flaw', 'lawn')).toBe(0.5);
	});

	it('is 0 for two empty strings and 1 for "" against anything', () => {
		expect(normalizedLevenshtein('', '')).toBe(0);
		expect(normalizedLevenshtein('', 'abc')).toBe(1);
	});
});
