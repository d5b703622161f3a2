// Covers src/util/format.ts: bytes in binary units, seconds and milliseconds, rates, and that
// bad input (negative, NaN, Infinity) shows a dash instead of a misleading number.
import { describe, expect, test } from 'vitest';
import { formatBytes, formatMs, formatRate, formatSeconds } from '../../../src/util/format.ts';

describe('formatBytes', () => {
	test.each([
		[0, '0 B'],
		[1023, '1023 B'],
		[1024, '1.0 KB'],
		[1536, '1.5 KB'],
		[5 * 1024 * 1024, '5.0 MB'],
		[2.25 * 1024 ** 3, '2.3 GB']
	])('%d bytes → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

	test.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('%d → dash', (v) => expect(formatBytes(v)).toBe('—'));
});

describe('formatSeconds', () => {
	test.each([
		[0, '0 s'],
		[42.4, '42 s'],
		[185, '3 min 5 s'],
		[3720, '1 h 2 min']
	])('%d s → %s', (s, text) => expect(formatSeconds(s)).toBe(text));
	test('negative → dash', () => expect(formatSeconds(-5)).toBe('—'));
});

describe('formatMs and formatRate', () => {
	test.each([
		[850.4, '850 ms'],
		[2345, '2.35 s']
	])('%d ms → %s', (ms, text) => expect(formatMs(ms)).toBe(text));
	test('rate', () => {
		expect(formatRate(12.345)).toBe('12.3 tok/s');
		expect(formatRate(undefined)).toBe('—');
		expect(formatRate(Number.NaN)).toBe('—');
	});
});
