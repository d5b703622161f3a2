// The family of comparisons an experiment reports: one declared primary pair, read unadjusted, and the
// secondary pairs, whose exact McNemar p values are Holm-adjusted together so that looking at many pairs
// does not manufacture a winner. Each pair is reported in the orientation asked for.
// Pure TypeScript: no svelte, dexie, DOM, worker, echarts or web-llm imports.
import type { Comparison, PairStats } from '../stats/compare.ts';
import { holmAdjust } from '../stats/holm.ts';
import type { ComparisonFamily } from './types.ts';

const ALPHA = 0.05;

/** Negation that never yields −0 (so a flipped 0 still equals 0). */
const negate = (x: number) => (x === 0 ? 0 : -x);
const flipInterval = (ci: [number, number] | null): [number, number] | null => (ci ? [negate(ci[1]), negate(ci[0])] : null);

/**
 * The same pair seen from the other side: a ↔ b, onlyA ↔ onlyB, votes' aWins ↔ bWins and the verdict
 * swapped; the pass-rate and score differences (a − b) negated with their intervals flipped. The
 * symmetric figures (n, both, neither, McNemar p, moreItemsNeeded, the sign test's p) stay.
 */
export function swapPair(p: PairStats): PairStats {
	return {
		...p,
		a: p.b,
		b: p.a,
		onlyA: p.onlyB,
		onlyB: p.onlyA,
		passDiff: { estimate: p.passDiff.estimate === null ? null : negate(p.passDiff.estimate), ci95: flipInterval(p.passDiff.ci95) },
		scoreDiff: p.scoreDiff ? { ...p.scoreDiff, mean: negate(p.scoreDiff.mean), ci95: flipInterval(p.scoreDiff.ci95) } : null,
		votes: p.votes ? { ...p.votes, aWins: p.votes.bWins, bWins: p.votes.aWins } : null,
		verdict: p.verdict === 'a' ? 'b' : p.verdict === 'b' ? 'a' : 'none'
	};
}

/** The pair {a, b} of the comparison in the orientation [a, b], whichever way it was computed; null when absent. */
export function findPair(comparison: Comparison, wanted: readonly [string, string]): PairStats | null {
	const [a, b] = wanted;
	for (const p of comparison.pairs) {
		if (p.a === a && p.b === b) return p;
		if (p.a === b && p.b === a) return swapPair(p);
	}
	return null;
}

/**
 * The primary pair (unadjusted; null when not declared or not in the comparison) and the secondary
 * pairs with their Holm-adjusted p, over the labels used in `comparison`. A secondary pair that is not
 * in the comparison, repeats an earlier one or is the primary pair itself is left out, so the Holm
 * family counts each comparison once. `significant`: adjusted p < 0.05 and the discordant counts differ.
 */
export function comparisonFamily(
	comparison: Comparison,
	primary: readonly [string, string] | null,
	secondaryPairs: readonly (readonly [string, string])[]
): ComparisonFamily {
	const key = ([a, b]: readonly [string, string]) => JSON.stringify([a, b].sort());
	const seen = new Set<string>(primary ? [key(primary)] : []);
	const secondary: PairStats[] = [];
	for (const wanted of secondaryPairs) {
		if (seen.has(key(wanted))) continue;
		const pair = findPair(comparison, wanted);
		if (!pair) continue;
		seen.add(key(wanted));
		secondary.push(pair);
	}
	const adjusted = holmAdjust(secondary.map((p) => p.mcnemarP));
	const m = secondary.length;
	const primaryPair = primary ? findPair(comparison, primary) : null;
	return {
		primary: primaryPair ? { pair: primaryPair } : null,
		secondary: secondary.map((pair, i) => ({
			pair,
			adjustedP: adjusted[i],
			significant: adjusted[i] < ALPHA && pair.onlyA !== pair.onlyB,
			reason: `Holm-adjusted over ${m} secondary ${m === 1 ? 'comparison' : 'comparisons'}: p ${formatP(pair.mcnemarP, '= ')} → ${formatP(adjusted[i])}`
		}))
	};
}

/** Three decimals ("0.012", or "= 0.012" with the prefix), "< 0.001" below that. */
function formatP(p: number, prefix = ''): string {
	return p < 0.001 ? '< 0.001' : `${prefix}${p.toFixed(3)}`;
}
