// Builds AnswerStats from an OpenAI-style `usage` object (web-llm adds `usage.extra` with
// time_to_first_token_s, prefill/decode tokens per second and e2e_latency_s), or from our own
// timings when the engine reports nothing. Pure: no web-llm or DOM imports.

import type { AnswerStats } from './types.ts';

/** The shape of `usage` in a chat completion chunk (OpenAI, plus web-llm's `extra`). */
export interface UsageLike {
	prompt_tokens?: number;
	completion_tokens?: number;
	extra?: {
		e2e_latency_s?: number;
		prefill_tokens_per_s?: number;
		decode_tokens_per_s?: number;
		time_to_first_token_s?: number;
	};
}

/** What we timed ourselves around a generation. */
export interface MeasuredTimings {
	startedAtMs: number;
	firstTokenAtMs?: number;
	finishedAtMs: number;
	/** Used when usage has no completion_tokens (e.g. the count of streamed chunks). */
	fallbackCompletionTokens: number;
	fallbackPromptTokens?: number;
}

function finite(x: number | undefined): x is number {
	return typeof x === 'number' && Number.isFinite(x);
}

/**
 * Engine-reported stats when usage.extra is present, else figures measured by us.
 * @param usage the final usage object, or undefined
 * @param t our own timings
 */
export function answerStatsFrom(usage: UsageLike | undefined, t: MeasuredTimings): AnswerStats {
	const measuredTotalMs = t.finishedAtMs - t.startedAtMs;
	const measuredTtftMs = (t.firstTokenAtMs ?? t.finishedAtMs) - t.startedAtMs;
	const promptTokens = usage?.prompt_tokens ?? t.fallbackPromptTokens ?? 0;
	const completionTokens = usage?.completion_tokens ?? t.fallbackCompletionTokens;
	const extra = usage?.extra;
	if (extra && finite(extra.e2e_latency_s) && finite(extra.time_to_first_token_s)) {
		const stats: AnswerStats = {
			promptTokens,
			completionTokens,
			timeToFirstTokenMs: extra.time_to_first_token_s * 1000,
			totalMs: extra.e2e_latency_s * 1000,
			source: 'engine'
		};
		if (finite(extra.prefill_tokens_per_s)) stats.prefillTokensPerSec = extra.prefill_tokens_per_s;
		if (finite(extra.decode_tokens_per_s)) stats.decodeTokensPerSec = extra.decode_tokens_per_s;
		return stats;
	}
	const stats: AnswerStats = {
		promptTokens,
		completionTokens,
		timeToFirstTokenMs: measuredTtftMs,
		totalMs: measuredTotalMs,
		source: 'measured'
	};
	const decodeMs = measuredTotalMs - measuredTtftMs;
	// The first token arrives at TTFT; the remaining n−1 are decode steps.
	if (completionTokens > 1 && decodeMs > 0) {
		stats.decodeTokensPerSec = ((completionTokens - 1) * 1000) / decodeMs;
	}
	return stats;
}
