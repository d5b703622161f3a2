// Compares model variants on the same items: per variant its pass rate (Wilson interval) and mean
// score; per unordered pair the paired 2×2 pass table, the exact McNemar p, the paired pass-rate
// difference (Newcombe method 10), the mean score difference (t or BCa interval), the blind votes
// (sign test), a verdict and how many more items would settle it. This object is the contract of the
// `stats` CLI and the app. Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
//
// How the verdict is reached, in order:
// 1. When the pair has items with a pass value under both variants (n > 0): the exact McNemar test on
//    pass/fail; "a" when p < 0.05 and pA − pB > 0, "b" when p < 0.05 and pA − pB < 0, else "none".
// 2. Otherwise, when scores exist for both on some items: "a" when the score difference's interval lies
//    above 0, "b" when it lies below 0, else "none".
// 3. Otherwise, when there are votes: the sign test; "a"/"b" for the side with more wins when p < 0.05.
// moreItemsNeeded is about the pass-rate difference only: 0 when the verdict names a winner, null when
// no pass-rate difference was observed (no pair items, or onlyA = onlyB), else the Connor (1987) count.
import { mcnemarExact, signTest } from './binomial.ts';
import { pairedMeanInterval } from './bootstrap.ts';
import { pairedDifference } from './paired-diff.ts';
import { moreItemsNeeded } from './power.ts';
import { wilsonInterval } from './wilson.ts';

/** One output's result: `pass` and `score` (0..1) may each be unknown (null). */
export interface ResultRow {
	item: string;
	variant: string;
	pass: boolean | null;
	score: number | null;
}

export type VoteChoice = 'a' | 'b' | 'tie' | 'both-bad';

/** A blind vote on one item between variants a and b. */
export interface VoteLine {
	item: string;
	a: string;
	b: string;
	winner: VoteChoice;
}

export interface VariantStats {
	variant: string;
	/** Items with a pass value. */
	n: number;
	passes: number;
	passRate: number | null;
	ci95: [number, number] | null;
	meanScore: number | null;
	scoreN: number;
}

export interface PairStats {
	a: string;
	b: string;
	/** Items with a pass value under both. */
	n: number;
	both: number;
	onlyA: number;
	onlyB: number;
	neither: number;
	mcnemarP: number;
	passDiff: { estimate: number | null; ci95: [number, number] | null };
	scoreDiff: { n: number; mean: number; ci95: [number, number] | null; method: 'bca' | 't' } | null;
	votes: { aWins: number; bWins: number; ties: number; bothBad: number; signP: number } | null;
	verdict: 'a' | 'b' | 'none';
	moreItemsNeeded: number | null;
}

export interface Comparison {
	variants: VariantStats[];
	pairs: PairStats[];
}

export interface CompareOptions {
	/** Seed of the score bootstrap (default 1). */
	seed?: number;
	/** Bootstrap resamples (default 2000). */
	resamples?: number;
	/**
	 * Only these pairs, in this order and orientation ([a, b]); a pair naming a variant not in the
	 * rows or votes, or the same variant twice, is skipped. Absent: every unordered pair.
	 */
	pairs?: readonly (readonly [string, string])[];
}

const ALPHA = 0.05;

/**
 * Compares every unordered pair of variants on their shared items. Variants are ordered by first
 * appearance in `rows`, then any variant named only in `votes` by first appearance there; in each
 * pair `a` comes before `b` in that order (or, with `options.pairs`, only the pairs asked for, as
 * asked). A vote recorded as b-vs-a is flipped into the pair's orientation. Rows must be unique per
 * (item, variant) (parseResultsJsonl checks this).
 * @throws Error when a row or vote is repeated (same item and variant, or same item and pair)
 */
export function compareResults(rows: readonly ResultRow[], votes: readonly VoteLine[] = [], options: CompareOptions = {}): Comparison {
	const order: string[] = [];
	const byVariant = new Map<string, Map<string, ResultRow>>();
	const see = (v: string) => {
		if (!byVariant.has(v)) {
			byVariant.set(v, new Map());
			order.push(v);
		}
	};
	for (const r of rows) {
		see(r.variant);
		const m = byVariant.get(r.variant)!;
		if (m.has(r.item)) throw new Error(`duplicate row for item ${JSON.stringify(r.item)}, variant ${JSON.stringify(r.variant)}`);
		m.set(r.item, r);
	}
	for (const v of votes) {
		see(v.a);
		see(v.b);
	}

	const variants: VariantStats[] = order.map((variant) => {
		let n = 0;
		let passes = 0;
		let scoreN = 0;
		let scoreSum = 0;
		for (const r of byVariant.get(variant)!.values()) {
			if (r.pass !== null) {
				n++;
				if (r.pass) passes++;
			}
			if (r.score !== null) {
				scoreN++;
				scoreSum += r.score;
			}
		}
		return {
			variant,
			n,
			passes,
			passRate: n > 0 ? passes / n : null,
			ci95: n > 0 ? wilsonInterval(passes, n) : null,
			meanScore: scoreN > 0 ? scoreSum / scoreN : null,
			scoreN
		};
	});

	const pairs: PairStats[] = [];
	if (options.pairs) {
		for (const [a, b] of options.pairs) {
			if (a === b || !byVariant.has(a) || !byVariant.has(b)) continue;
			pairs.push(comparePair(a, b, byVariant.get(a)!, byVariant.get(b)!, votes, options));
		}
		return { variants, pairs };
	}
	for (let i = 0; i < order.length; i++) {
		for (let j = i + 1; j < order.length; j++) {
			pairs.push(comparePair(order[i], order[j], byVariant.get(order[i])!, byVariant.get(order[j])!, votes, options));
		}
	}
	return { variants, pairs };
}

function comparePair(
	a: string,
	b: string,
	rowsA: Map<string, ResultRow>,
	rowsB: Map<string, ResultRow>,
	allVotes: readonly VoteLine[],
	options: CompareOptions
): PairStats {
	let both = 0;
	let onlyA = 0;
	let onlyB = 0;
	let neither = 0;
	const diffs: number[] = [];
	for (const [item, ra] of rowsA) {
		const rb = rowsB.get(item);
		if (!rb) continue;
		if (ra.pass !== null && rb.pass !== null) {
			if (ra.pass && rb.pass) both++;
			else if (ra.pass) onlyA++;
			else if (rb.pass) onlyB++;
			else neither++;
		}
		if (ra.score !== null && rb.score !== null) diffs.push(ra.score - rb.score);
	}
	const n = both + onlyA + onlyB + neither;
	const mcnemarP = mcnemarExact(onlyA, onlyB);
	const passDiff = n > 0 ? pairedDifference({ both, onlyA, onlyB, neither }) : { estimate: null, ci95: null };

	let scoreDiff: PairStats['scoreDiff'] = null;
	if (diffs.length > 0) {
		const r = pairedMeanInterval(diffs, { seed: options.seed, resamples: options.resamples });
		// Score differences cannot leave [−1, 1]; clipping the interval there loses no coverage.
		const ci95 = r.ci95 ? ([Math.max(-1, r.ci95[0]), Math.min(1, r.ci95[1])] as [number, number]) : null;
		scoreDiff = { n: r.n, mean: r.mean, ci95, method: r.method };
	}

	let votes: PairStats['votes'] = null;
	const seenVotes = new Set<string>();
	for (const v of allVotes) {
		const straight = v.a === a && v.b === b;
		const flipped = v.a === b && v.b === a;
		if (!straight && !flipped) continue;
		if (seenVotes.has(v.item))
			throw new Error(`two votes for item ${JSON.stringify(v.item)} between ${JSON.stringify(a)} and ${JSON.stringify(b)}`);
		seenVotes.add(v.item);
		votes ??= { aWins: 0, bWins: 0, ties: 0, bothBad: 0, signP: 1 };
		const w = flipped && v.winner === 'a' ? 'b' : flipped && v.winner === 'b' ? 'a' : v.winner;
		if (w === 'a') votes.aWins++;
		else if (w === 'b') votes.bWins++;
		else if (w === 'tie') votes.ties++;
		else votes.bothBad++;
	}
	if (votes) votes.signP = signTest(votes.aWins, votes.bWins);

	let verdict: PairStats['verdict'] = 'none';
	if (n > 0) {
		if (mcnemarP < ALPHA && onlyA !== onlyB) verdict = onlyA > onlyB ? 'a' : 'b';
	} else if (scoreDiff) {
		if (scoreDiff.ci95 && scoreDiff.ci95[0] > 0) verdict = 'a';
		else if (scoreDiff.ci95 && scoreDiff.ci95[1] < 0) verdict = 'b';
	} else if (votes && votes.signP < ALPHA) {
		verdict = votes.aWins > votes.bWins ? 'a' : 'b';
	}

	return {
		a,
		b,
		n,
		both,
		onlyA,
		onlyB,
		neither,
		mcnemarP,
		passDiff,
		scoreDiff,
		votes,
		verdict,
		moreItemsNeeded: verdict !== 'none' ? 0 : moreItemsNeeded(n, onlyA, onlyB)
	};
}
