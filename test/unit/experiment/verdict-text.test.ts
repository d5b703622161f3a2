import { describe, expect, it } from 'vitest';
import { verdictSentence } from '../../../src/domain/experiment/verdict-text.ts';
import { blindSwap } from '../../../src/domain/experiment/blind.ts';
import type { PairStats } from '../../../src/domain/stats/compare.ts';

const pair = (over: Partial<PairStats>): PairStats => ({
	a: 'Base + engineered prompt',
	b: 'Adapter + plain prompt',
	n: 40,
	both: 20,
	onlyA: 2,
	onlyB: 8,
	neither: 10,
	mcnemarP: 0.109375,
	passDiff: { estimate: -0.15, ci95: [-0.3, 0.02] },
	scoreDiff: null,
	votes: null,
	verdict: 'none',
	moreItemsNeeded: 57,
	...over
});

describe('verdict sentence', () => {
	it('names no winner without significance, and says how many more items would settle it', () => {
		expect(verdictSentence(pair({}))).toBe(
			'Not enough evidence yet: difference -15 points for Base + engineered prompt (95 % interval -30 to +2; p = 0.109, 40 items); about 57 more items would settle a 15-point difference with 80 % power.'
		);
	});
	it('names the winner with its interval turned to its side', () => {
		const s = verdictSentence(
			pair({ verdict: 'b', mcnemarP: 0.0005, passDiff: { estimate: -0.15, ci95: [-0.24, -0.06] }, moreItemsNeeded: 0 })
		);
		expect(s).toBe('Adapter + plain prompt wins by 15 points (95 % interval 6 to 24; exact McNemar p < 0.001, 40 items).');
	});
	it('says when no difference was observed', () => {
		expect(
			verdictSentence(pair({ onlyA: 0, onlyB: 0, mcnemarP: 1, passDiff: { estimate: 0, ci95: [-0.08, 0.08] }, moreItemsNeeded: null }))
		).toMatch(/^Not enough evidence: no difference observed yet/);
	});
});

describe('blind order', () => {
	it('is stable per item and not the same side for every item', () => {
		expect(blindSwap('e', 'i1')).toBe(blindSwap('e', 'i1'));
		const sides = Array.from({ length: 40 }, (_, i) => blindSwap('exp', `item-${i}`));
		const left = sides.filter(Boolean).length;
		expect(left).toBeGreaterThan(8);
		expect(left).toBeLessThan(32);
	});
});
