// The report's number formatting and escaping helpers, against values worked out by hand.
import { describe, expect, it } from 'vitest';
import {
	bytes,
	duration,
	escapeHtml,
	escapeMarkdown,
	gpuMemory,
	money,
	pValue,
	percent,
	percentInterval,
	points,
	pointsInterval,
	reportDate
} from '../../../src/domain/report/format.ts';

describe('numbers', () => {
	it('prints proportions as whole percent and intervals as "45–77 %"', () => {
		expect(percent(9 / 12)).toBe('75 %');
		expect(percent(5 / 12)).toBe('42 %');
		expect(percent(null)).toBe('—');
		expect(percentInterval([0.45, 0.77])).toBe('45–77 %');
		expect(percentInterval(null)).toBe('—');
	});

	it('prints differences in signed percentage points with a real minus sign', () => {
		expect(points(-2 / 12)).toBe('−17 points');
		expect(points(0.25)).toBe('+25 points');
		expect(points(0)).toBe('0 points');
		expect(pointsInterval([-0.42, 0.11])).toBe('−42 to +11 points');
	});

	it('prints p values with 3 decimals or "< 0.001"', () => {
		expect(pValue(0.03125)).toBe('0.031');
		expect(pValue(0.625)).toBe('0.625');
		expect(pValue(0.0004)).toBe('< 0.001');
		expect(pValue(0.001)).toBe('0.001');
		expect(pValue(null)).toBe('—');
	});

	it('prints bytes, GPU memory, durations, money and dates in words', () => {
		expect(bytes(1536)).toBe('1.5 KB');
		expect(bytes(12 * 1024 * 1024)).toBe('12.0 MB');
		expect(bytes(1024 ** 3)).toBe('1.0 GB');
		expect(bytes(500)).toBe('500 B');
		expect(bytes(null)).toBe('—');
		expect(gpuMemory(1946)).toBe('1.9 GB');
		expect(gpuMemory(0)).toBe('none (endpoint)');
		expect(gpuMemory(null)).toBe('—');
		expect(duration(850)).toBe('850 ms');
		expect(duration(41_000)).toBe('41 s');
		expect(duration(185_000)).toBe('3 min 5 s');
		expect(duration(null)).toBe('—');
		expect(money(0.000412, 'USD')).toBe('0.000412 USD');
		expect(money(12.5, 'EUR')).toBe('12.50 EUR');
		expect(reportDate('2025-05-01T14:03:27.000Z')).toBe('2025-05-01 14:03 UTC');
		expect(reportDate('not a date')).toBe('not a date');
	});
});

describe('escaping', () => {
	it('HTML-escapes & < > " \'', () => {
		expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
	});

	it('backslash-escapes Markdown markup and flattens newlines', () => {
		expect(escapeMarkdown('a | b')).toBe('a \\| b');
		expect(escapeMarkdown('**x** _y_ `z` [l](u) <img> \\')).toBe('\\*\\*x\\*\\* \\_y\\_ \\`z\\` \\[l\\](u) \\<img\\> \\\\');
		expect(escapeMarkdown('one\ntwo\r\n three')).toBe('one two three');
	});

	it('neutralises a heading, list or quote marker at the start', () => {
		expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
		expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
		expect(escapeMarkdown('12. not a list')).toBe('12\\. not a list');
		expect(escapeMarkdown('> not a quote')).toBe('\\> not a quote');
		expect(escapeMarkdown('## two')).toBe('\\## two');
		expect(escapeMarkdown('a # b - c')).toBe('a # b - c');
		expect(escapeMarkdown('0.625')).toBe('0.625');
		expect(escapeMarkdown('+312')).toBe('+312');
	});
});
