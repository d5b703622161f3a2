// The report's answer to "fine-tune or prompt?" in one sentence, from the primary pair (engineered
// prompt on the base model vs the adapter): a winner, a match within the noise, or how much more evidence
// is needed. Unlike the per-pair sentence (experiment/verdict-text.ts) it speaks of the two sides' roles.
// Pure TypeScript: no svelte, dexie, DOM, worker, echarts or web-llm imports.
import type { PairStats } from '../stats/compare.ts';
import { swapPair } from './family.ts';

/** Half-width of the band (as a proportion) inside which a difference counts as a match. */
const DEFAULT_MARGIN = 0.1;
const MINUS = '\u2212';

/**
 * The decision sentence. Orientation: `pair.a` is the prompt side and `pair.b` the adapter side, so
 * the difference is prompt − adapter (swapPair a pair computed the other way round first; a pair whose
 * a and b are exactly sides.adapter and sides.prompt is swapped here as a safety net).
 *
 * The winner comes from the pair's verdict, i.e. the exact McNemar test, while the interval is
 * Newcombe's; at the edge they can disagree (McNemar p < 0.05 with an interval touching or crossing 0).
 * The test decides then: the winner is still named, with the interval as computed.
 * A match needs the whole 95 % interval within ±margin (default 0.10, i.e. 10 points).
 */
export function decisionVerdict(
	pair: PairStats | null,
	sides: { prompt: string; adapter: string },
	opts: { margin?: number } = {}
): string {
	const reversed = pair !== null && pair.a === sides.adapter && pair.b === sides.prompt && sides.adapter !== sides.prompt;
	const oriented = pair && reversed ? swapPair(pair) : pair;
	const estimate = oriented?.passDiff.estimate ?? null;
	const ci = oriented?.passDiff.ci95 ?? null;
	if (!oriented || oriented.n === 0 || estimate === null || ci === null) return 'No results on shared items yet: run the batch.';
	const [lo, hi] = ci;
	const margin = opts.margin ?? DEFAULT_MARGIN;

	if (oriented.verdict !== 'none') {
		const promptWins = oriented.verdict === 'a';
		// The winner's lead is positive: prompt − adapter for the prompt, adapter − prompt for the adapter.
		const [wLo, wHi] = promptWins ? [lo, hi] : [-hi, -lo];
		const lead = Math.abs(points(estimate));
		return `${promptWins ? 'The engineered prompt' : 'The adapter'} wins by ${lead} ${lead === 1 ? 'point' : 'points'} (95 % interval ${plain(wLo)} to ${plain(wHi)}).`;
	}

	// A tiny tolerance so an interval ending exactly on the margin (0.1 from 1/10) counts as inside it.
	if (lo >= -margin - 1e-12 && hi <= margin + 1e-12)
		return `Prompting matches the adapter within the noise (difference ${signed(estimate)} points, 95 % interval ${signed(lo)} to ${signed(hi)}).`;

	if (oriented.moreItemsNeeded !== null) {
		const gap = Math.abs(points(estimate));
		const size = gap === 0 ? 'a difference of less than 1 point' : `a ${gap}-point difference`;
		return `Not enough evidence yet: about ${oriented.moreItemsNeeded} more ${oriented.moreItemsNeeded === 1 ? 'item' : 'items'} would settle ${size}.`;
	}
	return `Not enough evidence yet: no difference observed on ${oriented.n} ${oriented.n === 1 ? 'item' : 'items'}, and the 95 % interval (${signed(lo)} to ${signed(hi)}) is too wide to call it a match.`;
}

/**
 * A proportion in whole percentage points, halves rounded away from zero so that a flipped pair gives
 * the mirrored numbers (the 1e-9 absorbs binary dust: 0.145 is stored as 0.14499…).
 */
function points(x: number): number {
	const p = Math.round(Math.abs(x) * 100 + 1e-9);
	return p === 0 ? 0 : Math.sign(x) * p;
}

/** "6", "0", "−3". */
function plain(x: number): string {
	const p = points(x);
	return p < 0 ? `${MINUS}${-p}` : `${p}`;
}

/** "+5", "0", "−3". */
function signed(x: number): string {
	const p = points(x);
	return p > 0 ? `+${p}` : plain(x);
}
