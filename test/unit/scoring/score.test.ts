// Scoring an output against a whole spec: weights, informational assertions, the pass threshold on
// the weighted mean, error results counting as 0, and the time it takes.
import { describe, expect, it } from 'vitest';
import { scoreOutput } from '../../../src/domain/scoring/score.ts';
import type { ScoringSpec } from '../../../src/domain/scoring/types.ts';

describe('scoreOutput', () => {
	it('passes without a threshold only when every weighted assertion passes', () => {
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'contains', value: 'yes' },
				{ type: 'length', max: 10 }
			]
		};
		expect(scoreOutput('yes', undefined, spec)).toMatchObject({ pass: true, score: 1 });
		// one of two fails: score = (1 + 0)/2
		expect(scoreOutput('yes, certainly so', undefined, spec)).toMatchObject({ pass: false, score: 0.5 });
	});

	it('weights the mean: weights 3 and 1 with only the first passing give 3/4', () => {
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'contains', value: 'Paris', weight: 3 },
				{ type: 'starts-with', value: 'The', weight: 1 }
			]
		};
		const r = scoreOutput('It is Paris.', undefined, spec);
		expect(r.score).toBeCloseTo(0.75, 12);
		expect(r.pass).toBe(false);
		expect(r.results.map((x) => x.weight)).toEqual([3, 1]);
	});

	it('passes when the weighted mean reaches passThreshold, and not below it', () => {
		const assertions: ScoringSpec['assertions'] = [
			{ type: 'contains', value: 'Paris', weight: 3 },
			{ type: 'starts-with', value: 'The', weight: 1 }
		];
		expect(scoreOutput('It is Paris.', undefined, { assertions, passThreshold: 0.75 }).pass).toBe(true);
		expect(scoreOutput('It is Paris.', undefined, { assertions, passThreshold: 0.76 }).pass).toBe(false);
	});

	it('mixes graded scores into the mean', () => {
		// rouge-l 3/4 (Lin's example) with weight 2, contains 1 with weight 1: (2·0.75 + 1)/3 = 5/6
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'rouge-l', weight: 2 },
				{ type: 'contains', value: 'gunman' }
			],
			passThreshold: 0.8
		};
		const r = scoreOutput('police kill the gunman', 'police killed the gunman', spec);
		expect(r.score).toBeCloseTo(5 / 6, 12);
		expect(r.pass).toBe(true);
	});

	it('reports weight-0 assertions without counting them', () => {
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'contains', value: 'ok' },
				{ type: 'length', max: 2, weight: 0, label: 'short' }
			]
		};
		const r = scoreOutput('ok, done', undefined, spec);
		expect(r).toMatchObject({ pass: true, score: 1 });
		expect(r.results[1]).toMatchObject({ pass: false, weight: 0, label: 'short' });
	});

	it('gives null pass and score when no assertion is weighted', () => {
		expect(scoreOutput('x', undefined, { assertions: [] })).toEqual({ pass: null, score: null, results: [] });
		const r = scoreOutput('x', undefined, { assertions: [{ type: 'contains', value: 'x', weight: 0 }] });
		expect(r).toMatchObject({ pass: null, score: null });
		expect(r.results).toHaveLength(1);
	});

	it('counts a broken assertion as a failure with score 0, and keeps scoring the others', () => {
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'regex', value: '(?<=a)b' },
				{ type: 'is-json', value: { $ref: '#/missing' } },
				{ type: 'contains', value: 'b' },
				{ type: 'equals' }
			]
		};
		const r = scoreOutput('ab', undefined, spec);
		expect(r.results.map((x) => [x.index, x.pass, Boolean(x.error)])).toEqual([
			[0, false, true],
			[1, false, true],
			[2, true, false],
			[3, false, true]
		]);
		expect(r).toMatchObject({ pass: false, score: 0.25 });
	});

	it('negates inside the mean: not-contains failing and contains passing give 1/2', () => {
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'not-contains', value: 'sorry' },
				{ type: 'contains', value: 'here' }
			]
		};
		expect(scoreOutput('sorry, here it is', undefined, spec)).toMatchObject({ pass: false, score: 0.5 });
	});

	it('never hangs on a catastrophic regex in a 10,000-character output', () => {
		const t0 = performance.now();
		const r = scoreOutput(`${'a'.repeat(10_000)}b`, undefined, { assertions: [{ type: 'regex', value: '(a+)+$' }] });
		expect(r.pass).toBe(false);
		expect(performance.now() - t0).toBeLessThan(2000);
	});

	it('throws a clear error for a spec without an assertions list or with passThreshold outside [0, 1]', () => {
		expect(() => scoreOutput('x', undefined, {} as ScoringSpec)).toThrow(/"assertions" list/);
		expect(() => scoreOutput('x', undefined, { assertions: [], passThreshold: 1.5 })).toThrow(/from 0 to 1, got 1.5/);
	});

	it('scores one item with 5 assertions on a 1 KB output in well under 1 ms', () => {
		const output = `{"label": "positive", "reason": "${'The service was quick and friendly. '.repeat(27)}"}`;
		expect(output.length).toBeGreaterThan(1000);
		const spec: ScoringSpec = {
			assertions: [
				{ type: 'is-json', value: { type: 'object', required: ['label'] } },
				{ type: 'icontains', value: 'positive' },
				{ type: 'regex', value: '/"label":\\s*"(positive|negative)"/i' },
				{ type: 'length', max: 2000 },
				{ type: 'not-contains-any', value: ['sorry', 'cannot'] }
			]
		};
		for (let i = 0; i < 50; i++) scoreOutput(output, undefined, spec);
		const n = 500;
		const t0 = performance.now();
		for (let i = 0; i < n; i++) scoreOutput(output, undefined, spec);
		const perItem = (performance.now() - t0) / n;
		expect(scoreOutput(output, undefined, spec)).toMatchObject({ pass: true, score: 1 });
		expect(perItem).toBeLessThan(1);
	});
});
