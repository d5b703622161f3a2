// decisionVerdict: each sentence form (winner either side, match within the margin, not enough evidence
// with and without an observed difference, no results), rounding to whole points, the sign convention
// (prompt − adapter, "−" and "+"), the margin option and a significant pair whose interval touches 0.
import { describe, expect, it } from 'vitest';
import { decisionVerdict } from '../../../src/domain/decision/decision-verdict.ts';
import type { PairStats } from '../../../src/domain/stats/compare.ts';

const sides = { prompt: 'Base + engineered', adapter: 'Adapter + plain' };

/** A pair oriented prompt (a) vs adapter (b); only the fields the sentence reads matter. */
const pair = (estimate: number | null, ci95: [number, number] | null, over: Partial<PairStats> = {}): PairStats => ({
	a: sides.prompt,
	b: sides.adapter,
	n: 40,
	both: 20,
	onlyA: 5,
	onlyB: 5,
	neither: 10,
	mcnemarP: 1,
	passDiff: { estimate, ci95 },
	scoreDiff: null,
	votes: null,
	verdict: 'none',
	moreItemsNeeded: null,
	...over
});

describe('decisionVerdict', () => {
	it('names the adapter as winner with its lead and interval as positive numbers', () => {
		// prompt − adapter = −0.15 (−0.24 to −0.06) → adapter leads by 15 (6 to 24)
		const p = pair(-0.15, [-0.24, -0.06], { verdict: 'b', mcnemarP: 0.003, moreItemsNeeded: 0 });
		expect(decisionVerdict(p, sides)).toBe('The adapter wins by 15 points (95 % interval 6 to 24).');
	});

	it('names the engineered prompt as winner', () => {
		const p = pair(0.12, [0.03, 0.21], { verdict: 'a', mcnemarP: 0.01, moreItemsNeeded: 0 });
		expect(decisionVerdict(p, sides)).toBe('The engineered prompt wins by 12 points (95 % interval 3 to 21).');
	});

	it('says "1 point" for a one-point lead', () => {
		const p = pair(0.01, [0.001, 0.03], { verdict: 'a', mcnemarP: 0.04, moreItemsNeeded: 0 });
		expect(decisionVerdict(p, sides)).toBe('The engineered prompt wins by 1 point (95 % interval 0 to 3).');
	});

	it('still names the winner when McNemar is significant but the interval touches or crosses 0', () => {
		// the test decides; the interval is shown as computed: adapter lead 20 (0 to 38)
		expect(decisionVerdict(pair(-0.2, [-0.38, 0], { verdict: 'b', mcnemarP: 0.031 }), sides)).toBe(
			'The adapter wins by 20 points (95 % interval 0 to 38).'
		);
		// prompt − adapter interval (−0.38, 0.012) → adapter's lead (−0.012, 0.38): −1 to 38
		expect(decisionVerdict(pair(-0.2, [-0.38, 0.012], { verdict: 'b', mcnemarP: 0.031 }), sides)).toBe(
			'The adapter wins by 20 points (95 % interval \u22121 to 38).'
		);
	});

	it('calls a match when the whole interval lies within ±10 points, signed as prompt − adapter', () => {
		expect(decisionVerdict(pair(-0.02, [-0.09, 0.05]), sides)).toBe(
			'Prompting matches the adapter within the noise (difference \u22122 points, 95 % interval \u22129 to +5).'
		);
		// zero is written "0"; an interval ending exactly on ±0.10 is inside
		expect(decisionVerdict(pair(0, [-0.1, 0.1]), sides)).toBe(
			'Prompting matches the adapter within the noise (difference 0 points, 95 % interval \u221210 to +10).'
		);
	});

	it('rounds halves away from zero, so the mirrored pair gives mirrored numbers', () => {
		// −2.5 → −3, −8.5 → −9, +3.5 → +4 (Math.round would give −2 and −8)
		expect(decisionVerdict(pair(-0.025, [-0.085, 0.035]), sides)).toBe(
			'Prompting matches the adapter within the noise (difference \u22123 points, 95 % interval \u22129 to +4).'
		);
		// 0.145 is stored as 0.14499…; it still rounds to 15
		expect(decisionVerdict(pair(0.145, [0.05, 0.24], { verdict: 'a' }), sides)).toBe(
			'The engineered prompt wins by 15 points (95 % interval 5 to 24).'
		);
	});

	it('uses the margin option', () => {
		// the same −9 to +5 is not inside ±5 points
		const p = pair(-0.02, [-0.09, 0.05], { moreItemsNeeded: 1900 });
		expect(decisionVerdict(p, sides, { margin: 0.05 })).toBe(
			'Not enough evidence yet: about 1900 more items would settle a 2-point difference.'
		);
		expect(decisionVerdict(p, sides, { margin: 0.1 })).toMatch(/^Prompting matches the adapter/);
	});

	it('says how many more items would settle an observed difference', () => {
		const p = pair(-0.15, [-0.32, 0.03], { onlyA: 2, onlyB: 8, mcnemarP: 0.11, moreItemsNeeded: 57 });
		expect(decisionVerdict(p, sides)).toBe('Not enough evidence yet: about 57 more items would settle a 15-point difference.');
	});

	it('says when no difference was observed but the interval is too wide', () => {
		const p = pair(0, [-0.3, 0.3], { n: 12, moreItemsNeeded: null });
		expect(decisionVerdict(p, sides)).toBe(
			'Not enough evidence yet: no difference observed on 12 items, and the 95 % interval (\u221230 to +30) is too wide to call it a match.'
		);
	});

	it('asks for the batch when there is no pair or no shared item', () => {
		const none = 'No results on shared items yet: run the batch.';
		expect(decisionVerdict(null, sides)).toBe(none);
		expect(decisionVerdict(pair(null, null, { n: 0, both: 0, onlyA: 0, onlyB: 0, neither: 0 }), sides)).toBe(none);
	});

	it('turns a pair given as adapter vs prompt around before reading it', () => {
		// (adapter, prompt): adapter − prompt = +0.15 with verdict "a" = the adapter
		const reversed = pair(0.15, [0.06, 0.24], { a: sides.adapter, b: sides.prompt, verdict: 'a' });
		expect(decisionVerdict(reversed, sides)).toBe('The adapter wins by 15 points (95 % interval 6 to 24).');
		const reversedMatch = pair(0.02, [-0.05, 0.09], { a: sides.adapter, b: sides.prompt });
		expect(decisionVerdict(reversedMatch, sides)).toBe(
			'Prompting matches the adapter within the noise (difference \u22122 points, 95 % interval \u22129 to +5).'
		);
	});
});
