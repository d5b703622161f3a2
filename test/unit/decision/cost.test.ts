// summarize and variantCost: medians of odd and even counts, non-finite values left out, the newest
// result per item, optional prefill/decode rates, and where the figures came from. Expected values are
// worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { summarize, variantCost } from '../../../src/domain/decision/cost.ts';
import type { VariantFacts } from '../../../src/domain/decision/types.ts';
import type { AnswerStats } from '../../../src/domain/engine/types.ts';
import type { ResultRow } from '../../../src/domain/experiment/types.ts';

const facts: VariantFacts = { gpuMemoryMB: 4000, baseBytes: 2e9, adapterBytes: 2e7, derivedBytes: null, deriveMs: 41000 };

const stats = (over: Partial<AnswerStats> = {}): AnswerStats => ({
	promptTokens: 100,
	completionTokens: 50,
	timeToFirstTokenMs: 80,
	totalMs: 1000,
	source: 'engine',
	...over
});

let nextId = 0;
const result = (over: Partial<ResultRow> & { itemId: string }): ResultRow => ({
	id: `r${nextId++}`,
	batchId: 'b1',
	experimentId: 'e1',
	variantId: 'v1',
	status: 'done',
	output: 'ok',
	stats: stats(),
	model: { source: 'prebuilt', modelId: 'm' },
	engine: { kind: 'webllm', version: 'test' },
	mode: 'together',
	reuseKey: 'k',
	createdAt: 1,
	...over
});

const cost = (results: ResultRow[]) => variantCost({ variantId: 'v1', label: 'Adapter', results, facts });

describe('summarize', () => {
	it('takes the middle value of an odd count', () => {
		// sorted 1, 2, 9 → median 2; mean (1 + 2 + 9)/3 = 4
		expect(summarize([9, 1, 2])).toEqual({ n: 3, median: 2, mean: 4 });
	});

	it('takes the mean of the two middle values of an even count', () => {
		// sorted 1, 2, 4, 10 → median (2 + 4)/2 = 3; mean 17/4 = 4.25
		expect(summarize([10, 1, 4, 2])).toEqual({ n: 4, median: 3, mean: 4.25 });
	});

	it('leaves out NaN and infinities, and gives null when nothing finite is left', () => {
		expect(summarize([Number.NaN, Infinity, 3, -Infinity])).toEqual({ n: 1, median: 3, mean: 3 });
		expect(summarize([])).toBeNull();
		expect(summarize([Number.NaN])).toBeNull();
	});
});

describe('variantCost', () => {
	it('counts only done results with stats of this variant, the newest per item', () => {
		const c = cost([
			// q1: an older batch (createdAt 1) and a newer one (createdAt 5): only the newer counts
			result({ itemId: 'q1', createdAt: 1, stats: stats({ promptTokens: 999, timeToFirstTokenMs: 999 }) }),
			result({ itemId: 'q1', createdAt: 5, stats: stats({ promptTokens: 120, timeToFirstTokenMs: 90 }) }),
			result({ itemId: 'q2', createdAt: 2, stats: stats({ promptTokens: 100, timeToFirstTokenMs: 70 }) }),
			result({ itemId: 'q3', createdAt: 2, stats: stats({ promptTokens: 110, timeToFirstTokenMs: 85 }) }),
			// failed, another variant's, and done without stats: none of these count
			result({ itemId: 'q4', status: 'failed', stats: stats({ promptTokens: 5000 }) }),
			result({ itemId: 'q1', variantId: 'other', createdAt: 9, stats: stats({ promptTokens: 7000 }) }),
			result({ itemId: 'q5', stats: undefined })
		]);
		// counted: q1 (120, 90), q2 (100, 70), q3 (110, 85)
		expect(c.calls).toBe(3);
		// prompt tokens sorted 100, 110, 120 → median 110, mean 110
		expect(c.promptTokens).toEqual({ n: 3, median: 110, mean: 110 });
		// TTFT sorted 70, 85, 90 → median 85, mean 245/3
		expect(c.timeToFirstTokenMs).toEqual({ n: 3, median: 85, mean: expect.closeTo(245 / 3, 10) });
		expect(c.completionTokens).toEqual({ n: 3, median: 50, mean: 50 });
		expect(c.totalMs).toEqual({ n: 3, median: 1000, mean: 1000 });
		expect(c).toMatchObject({ variantId: 'v1', label: 'Adapter', statsSource: 'engine', facts });
	});

	it('keeps the newest done result of an item, as the results matrix does, even if a newer one failed', () => {
		const c = cost([
			result({ itemId: 'q1', createdAt: 1, stats: stats({ promptTokens: 40 }) }),
			result({ itemId: 'q1', createdAt: 3, status: 'failed', stats: stats({ promptTokens: 400 }) })
		]);
		expect(c.calls).toBe(1);
		expect(c.promptTokens?.median).toBe(40);
	});

	it('summarises prefill and decode rates over the calls that reported them', () => {
		const c = cost([
			result({ itemId: 'q1', stats: stats({ prefillTokensPerSec: 500, decodeTokensPerSec: 20 }) }),
			result({ itemId: 'q2', stats: stats({ prefillTokensPerSec: 700 }) }),
			result({ itemId: 'q3', stats: stats() })
		]);
		expect(c.calls).toBe(3);
		// prefill: 500 and 700 → n 2, median (500 + 700)/2 = 600; decode: only 20
		expect(c.prefillTokensPerSec).toEqual({ n: 2, median: 600, mean: 600 });
		expect(c.decodeTokensPerSec).toEqual({ n: 1, median: 20, mean: 20 });
	});

	it('gives null rates when no call reported them', () => {
		const c = cost([result({ itemId: 'q1' })]);
		expect(c.prefillTokensPerSec).toBeNull();
		expect(c.decodeTokensPerSec).toBeNull();
	});

	it('says where the figures came from: engine, measured, mixed, or null without calls', () => {
		const engine = cost([result({ itemId: 'q1' }), result({ itemId: 'q2' })]);
		const measured = cost([result({ itemId: 'q1', stats: stats({ source: 'measured' }) })]);
		const mixed = cost([result({ itemId: 'q1' }), result({ itemId: 'q2', stats: stats({ source: 'measured' }) })]);
		expect(engine.statsSource).toBe('engine');
		expect(measured.statsSource).toBe('measured');
		expect(mixed.statsSource).toBe('mixed');
		const none = cost([]);
		expect(none).toMatchObject({ calls: 0, statsSource: null, promptTokens: null, timeToFirstTokenMs: null, totalMs: null });
	});
});
