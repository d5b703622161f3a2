// Covers the InitProgressReport parser: numbers read from each web-llm text form (texts built with
// the same template as web-llm 0.2.86's lib/index.js), phase mapping onto one monotonic fraction,
// bytes, total-bytes and ETA formulas, and texts it does not know.
import { describe, expect, test } from 'vitest';
import { WEIGHTS_SHARE, parseProgressText, toLoadProgress } from '../../../src/domain/engine/index.ts';

const MB = 1024 * 1024;
// Built like web-llm does: "Fetching param cache[" + iter + "/" + n + "]: " + MB + "MB fetched. " ...
function fetchText(i: number, n: number, mb: number, pct: number, secs: number): string {
	return `Fetching param cache[${i}/${n}]: ${mb}MB fetched. ${pct}% completed, ${secs} secs elapsed. It can take a while when we first visit this page to populate the cache. Later refreshes will become faster.`;
}

describe('parseProgressText', () => {
	test.each([
		[
			fetchText(3, 10, 120, 40, 12),
			{
				phase: 'fetching',
				shardIndex: 3,
				shardCount: 10,
				megabytes: 120,
				percent: 40,
				elapsedSeconds: 12
			}
		],
		[
			'Loading model from cache[5/24]: 200MB loaded. 51% completed, 3 secs elapsed.',
			{
				phase: 'loading-cache',
				shardIndex: 5,
				shardCount: 24,
				megabytes: 200,
				percent: 51,
				elapsedSeconds: 3
			}
		],
		[
			'Loading GPU shader modules[7/80]: 8% completed, 1 secs elapsed.',
			{ phase: 'shaders', shardIndex: 7, shardCount: 80, percent: 8, elapsedSeconds: 1 }
		],
		['Start to fetch params', { phase: 'start' }],
		['Finish loading on WebGPU - google', { phase: 'done' }],
		['something new', { phase: 'other' }]
	])('%s', (text, expected) => {
		expect(parseProgressText(text)).toEqual(expected);
	});
});

describe('toLoadProgress', () => {
	test('fetch phase: bytes, total and ETA from the observed rate', () => {
		const p = toLoadProgress({
			progress: 0.4,
			timeElapsed: 12,
			text: fetchText(3, 10, 120, 40, 12)
		});
		expect(p.fraction).toBeCloseTo(0.4 * WEIGHTS_SHARE, 10);
		expect(p.loadedBytes).toBe(120 * MB);
		expect(p.totalBytes).toBe(Math.round((120 * MB) / 0.4));
		// 12 s for 40 % → 18 s for the remaining 60 %.
		expect(p.etaSeconds).toBeCloseTo(18, 10);
	});

	test('the overall fraction never goes back when shaders start at 0', () => {
		const reports = [
			{ progress: 0, timeElapsed: 0, text: 'Start to fetch params' },
			{ progress: 0.5, timeElapsed: 2, text: fetchText(1, 2, 10, 50, 2) },
			{ progress: 1, timeElapsed: 4, text: fetchText(2, 2, 20, 100, 4) },
			{
				progress: 0,
				timeElapsed: 4,
				text: 'Loading GPU shader modules[0/10]: 0% completed, 4 secs elapsed.'
			},
			{
				progress: 0.5,
				timeElapsed: 5,
				text: 'Loading GPU shader modules[5/10]: 50% completed, 5 secs elapsed.'
			},
			{ progress: 1, timeElapsed: 6, text: 'Finish loading on WebGPU - x' }
		];
		const fractions = reports.map((r) => toLoadProgress(r).fraction);
		for (let i = 1; i < fractions.length; i++) expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
		expect(fractions.at(-1)).toBe(1);
		expect(fractions[4]).toBeCloseTo(WEIGHTS_SHARE + 0.5 * (1 - WEIGHTS_SHARE), 10);
	});

	test('no ETA or total before anything arrived', () => {
		const p = toLoadProgress({ progress: 0, timeElapsed: 0, text: fetchText(0, 10, 0, 0, 0) });
		expect(p.etaSeconds).toBeUndefined();
		expect(p.totalBytes).toBeUndefined();
	});

	test('out-of-range progress is clamped', () => {
		expect(toLoadProgress({ progress: Number.NaN, timeElapsed: 0, text: 'x' }).fraction).toBe(0);
		expect(toLoadProgress({ progress: 7, timeElapsed: 0, text: 'x' }).fraction).toBe(1);
	});
});
