import { describe, expect, it } from 'vitest';
import { buildMatrix, filterMatrix, statsInput, statsJsonl } from '../../../src/domain/experiment/results-table.ts';
import { parseResultsJsonl } from '../../../src/domain/stats/parse-jsonl.ts';
import { compareResults } from '../../../src/domain/stats/compare.ts';
import { makeResult, makeTestItem } from '../../factories/rows.ts';

const items = [
	makeTestItem({ id: 'i1', index: 0, vars: { country: 'France' } }),
	makeTestItem({ id: 'i2', index: 1, vars: { country: 'Chad' } })
];
const pass = (p: boolean) => ({ pass: p, score: p ? 1 : 0, results: [] });
const results = [
	makeResult({ id: 'r1', variantId: 'A', itemId: 'i1', output: 'Paris', score: pass(true), createdAt: 1 }),
	makeResult({ id: 'r2', variantId: 'B', itemId: 'i1', output: 'Lyon', score: pass(false), createdAt: 1 }),
	makeResult({ id: 'r3', variantId: 'A', itemId: 'i2', output: "N'Djamena", score: pass(true), createdAt: 1 }),
	makeResult({ id: 'r4', variantId: 'B', itemId: 'i2', output: 'Ndjamena', score: pass(false), createdAt: 1 }),
	// a later batch's answer for (B, i2) wins over the first one
	makeResult({ id: 'r5', batchId: 'later', variantId: 'B', itemId: 'i2', output: "N'Djamena", score: pass(true), createdAt: 2 })
];

describe('results matrix', () => {
	it('keeps the newest result per cell and flags disagreements', () => {
		const m = buildMatrix(items, ['A', 'B'], results);
		expect(m.map((r) => r.item.id)).toEqual(['i1', 'i2']);
		expect(m[1].cells.get('B')?.result.id).toBe('r5');
		expect(m.map((r) => r.disagreement)).toEqual([true, false]);
	});

	it('a manual verdict wins over the automatic pass', () => {
		const manual = new Map([['r2', { resultId: 'r2', pass: true, comment: 'Lyon is fine here', updatedAt: 3 }]]);
		const m = buildMatrix(items, ['A', 'B'], results, manual);
		expect(m[0].cells.get('B')).toMatchObject({ pass: true, manual: true });
		expect(m[0].disagreement).toBe(false);
	});

	it('filters failures, disagreements and text', () => {
		const m = buildMatrix(items, ['A', 'B'], results);
		expect(filterMatrix(m, { failuresOnly: true }).map((r) => r.item.id)).toEqual(['i1']);
		expect(filterMatrix(m, { disagreementsOnly: true }).map((r) => r.item.id)).toEqual(['i1']);
		expect(filterMatrix(m, { search: 'djamena' }).map((r) => r.item.id)).toEqual(['i2']);
		expect(filterMatrix(m, { search: 'chad' }).map((r) => r.item.id)).toEqual(['i2']);
	});

	it('exports the JSONL that npm run stats reads, giving the same statistics', () => {
		const m = buildMatrix(items, ['A', 'B'], results);
		const input = statsInput(
			m,
			new Map([
				['A', 'base'],
				['B', 'lora']
			]),
			[{ id: 'v', experimentId: 'e', itemId: 'i1', a: 'A', b: 'B', winner: 'a', createdAt: 1, updatedAt: 1 }]
		);
		// by hand: base passes i1 and i2, lora passes only i2 → both 1, onlyA 1
		const parsed = parseResultsJsonl(statsJsonl(input));
		const stats = compareResults(parsed.rows, parsed.votes);
		expect(stats.pairs[0]).toMatchObject({ a: 'base', b: 'lora', n: 2, both: 1, onlyA: 1, onlyB: 0, neither: 0 });
		expect(stats.pairs[0].votes).toMatchObject({ aWins: 1, bWins: 0 });
	});
});

import { wordDiff } from '../../../src/domain/experiment/word-diff.ts';

describe('word diff', () => {
	it('marks the words only one answer has', () => {
		const d = wordDiff('the sentiment is positive', 'the sentiment is negative');
		expect(d.filter((s) => s.kind === 'only-a').map((s) => s.text.trim())).toEqual(['positive']);
		expect(d.filter((s) => s.kind === 'only-b').map((s) => s.text.trim())).toEqual(['negative']);
	});
	it('identical answers are all shared', () => {
		expect(wordDiff('same words', 'same words').every((s) => s.kind === 'same')).toBe(true);
	});
});
