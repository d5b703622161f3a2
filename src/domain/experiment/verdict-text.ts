// The verdict of a pair in one plain sentence: a winner only when the paired test says so,
// otherwise "not enough evidence" with the interval and how many more items would settle it.
// Pure: no svelte, dexie, DOM or web-llm imports.
import type { PairStats } from '../stats/compare.ts';

const points = (x: number) => Math.round(x * 100);
const signed = (x: number) => (points(x) > 0 ? `+${points(x)}` : `${points(x)}`);

/** e.g. "Adapter + plain prompt wins by 15 points (95 % interval 6 to 24; exact McNemar p = 0.003)." */
export function verdictSentence(pair: PairStats): string {
	const d = pair.passDiff;
	if (pair.n === 0 || d.estimate === null || d.ci95 === null) {
		if (pair.verdict !== 'none')
			return `${pair.verdict === 'a' ? pair.a : pair.b} is preferred (from scores or votes; no pass/fail on shared items).`;
		return 'No items with a pass/fail for both yet: run the batch or score the outputs.';
	}
	const [lo, hi] = d.ci95;
	const p = pair.mcnemarP < 0.001 ? 'p < 0.001' : `p = ${pair.mcnemarP.toFixed(3)}`;
	if (pair.verdict !== 'none') {
		const aWins = pair.verdict === 'a';
		const winner = aWins ? pair.a : pair.b;
		const [wLo, wHi] = aWins ? [lo, hi] : [-hi, -lo];
		return `${winner} wins by ${Math.abs(points(d.estimate))} points (95 % interval ${points(wLo)} to ${points(wHi)}; exact McNemar ${p}, ${pair.n} items).`;
	}
	const gap = `difference ${signed(d.estimate)} points for ${pair.a} (95 % interval ${signed(lo)} to ${signed(hi)}; ${p}, ${pair.n} items)`;
	if (pair.moreItemsNeeded === null) return `Not enough evidence: no difference observed yet (${gap}).`;
	return `Not enough evidence yet: ${gap}; about ${pair.moreItemsNeeded} more items would settle a ${Math.abs(points(d.estimate))}-point difference with 80 % power.`;
}
