// What a variant costs per call, measured from its stored results: medians and means of prompt and
// completion tokens, time to first token, prefill and decode rates and total time, with where the
// figures came from (the engine's usage report or the app's own timing), next to its weights' facts.
// Pure TypeScript: no svelte, dexie, DOM, worker, echarts or web-llm imports.
import type { AnswerStats } from '../engine/types.ts';
import type { ResultRow } from '../experiment/types.ts';
import type { Summary, VariantCost, VariantFacts } from './types.ts';

/**
 * Median and mean of the finite values (NaN and ±Infinity are left out); null when none is left.
 * The median of an even count is the mean of the two middle values.
 */
export function summarize(values: readonly number[]): Summary | null {
	const finite = values.filter((v) => Number.isFinite(v)).sort((x, y) => x - y);
	const n = finite.length;
	if (n === 0) return null;
	const mid = Math.floor(n / 2);
	const median = n % 2 === 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
	const mean = finite.reduce((sum, v) => sum + v, 0) / n;
	return { n, median, mean };
}

/**
 * The cost of one variant from its results. Results of other variants are ignored. Per item only the
 * newest 'done' result counts (highest createdAt; on a tie the later one in the list), as in the results
 * matrix, so the figures describe the outputs the matrix shows; it counts when it carries stats.
 */
export function variantCost(input: { variantId: string; label: string; results: readonly ResultRow[]; facts: VariantFacts }): VariantCost {
	const newestByItem = new Map<string, ResultRow>();
	for (const r of input.results) {
		if (r.variantId !== input.variantId || r.status !== 'done') continue;
		const seen = newestByItem.get(r.itemId);
		if (!seen || r.createdAt >= seen.createdAt) newestByItem.set(r.itemId, r);
	}
	const stats: AnswerStats[] = [];
	for (const r of newestByItem.values()) if (r.stats) stats.push(r.stats);

	// Optional figures (prefill/decode rates) are summarised over the calls that reported them.
	const figure = (pick: (s: AnswerStats) => number | undefined) =>
		summarize(stats.map(pick).filter((v): v is number => typeof v === 'number'));

	const sources = new Set(stats.map((s) => s.source));
	const statsSource: VariantCost['statsSource'] =
		stats.length === 0 ? null : sources.size > 1 ? 'mixed' : sources.has('engine') ? 'engine' : 'measured';

	return {
		variantId: input.variantId,
		label: input.label,
		calls: stats.length,
		promptTokens: figure((s) => s.promptTokens),
		completionTokens: figure((s) => s.completionTokens),
		timeToFirstTokenMs: figure((s) => s.timeToFirstTokenMs),
		prefillTokensPerSec: figure((s) => s.prefillTokensPerSec),
		decodeTokensPerSec: figure((s) => s.decodeTokensPerSec),
		totalMs: figure((s) => s.totalMs),
		statsSource,
		facts: input.facts
	};
}
