// Covers answerStatsFrom: engine-reported figures from web-llm's usage.extra (seconds → ms),
// the measured fallback (TTFT, total, decode rate for n−1 tokens), and missing usage fields.
import { describe, expect, test } from 'vitest';
import { answerStatsFrom } from '../../../src/domain/engine/index.ts';

describe('answerStatsFrom', () => {
	test('uses usage.extra when present', () => {
		const s = answerStatsFrom(
			{
				prompt_tokens: 30,
				completion_tokens: 12,
				extra: {
					e2e_latency_s: 2.5,
					time_to_first_token_s: 0.25,
					prefill_tokens_per_s: 120,
					decode_tokens_per_s: 5.5
				}
			},
			{ startedAtMs: 0, finishedAtMs: 9999, fallbackCompletionTokens: 1 }
		);
		expect(s).toEqual({
			promptTokens: 30,
			completionTokens: 12,
			timeToFirstTokenMs: 250,
			totalMs: 2500,
			prefillTokensPerSec: 120,
			decodeTokensPerSec: 5.5,
			source: 'engine'
		});
	});

	test('measures when the engine reports no timings', () => {
		const s = answerStatsFrom(
			{ prompt_tokens: 8, completion_tokens: 11 },
			{ startedAtMs: 1000, firstTokenAtMs: 1200, finishedAtMs: 2200, fallbackCompletionTokens: 3 }
		);
		expect(s.source).toBe('measured');
		expect(s.timeToFirstTokenMs).toBe(200);
		expect(s.totalMs).toBe(1200);
		expect(s.completionTokens).toBe(11);
		// 10 tokens after the first, in 1000 ms.
		expect(s.decodeTokensPerSec).toBeCloseTo(10, 10);
	});

	test('falls back to counted chunks without usage', () => {
		const s = answerStatsFrom(undefined, {
			startedAtMs: 0,
			finishedAtMs: 50,
			fallbackCompletionTokens: 1,
			fallbackPromptTokens: 4
		});
		expect(s).toMatchObject({
			promptTokens: 4,
			completionTokens: 1,
			timeToFirstTokenMs: 50,
			totalMs: 50
		});
		expect(s.decodeTokensPerSec).toBeUndefined();
	});
});
