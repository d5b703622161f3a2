// Scores one output against a scoring spec: every assertion's result, their weighted mean score, and
// a pass either from the spec's passThreshold or, without one, from every weighted assertion passing.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { runAssertion } from './assertions.ts';
import type { OutputScore, ScoringSpec } from './types.ts';

/**
 * Runs every assertion of `spec` on `output` (`expected` is the item's expected output, used for
 * `{{expected}}` and absent values). Weights default to 1; weight 0 assertions are reported but not
 * counted. score = Σ wᵢ·scoreᵢ / Σ wᵢ over weighted assertions (an error counts as score 0); pass =
 * score ≥ spec.passThreshold, or every weighted assertion passing when there is no threshold. pass
 * and score are null when no assertion has weight > 0. Broken assertions give error results; only a
 * spec whose assertions are not a list, or whose passThreshold is outside [0, 1], throws (run
 * validateScoringSpec on specs from files).
 */
export function scoreOutput(output: string, expected: string | undefined, spec: ScoringSpec): OutputScore {
	if (!spec || !Array.isArray(spec.assertions))
		throw new TypeError('scoreOutput needs a spec with an "assertions" list; check it with validateScoringSpec first');
	const t = spec.passThreshold;
	if (t !== undefined && !(typeof t === 'number' && t >= 0 && t <= 1))
		throw new RangeError(`passThreshold must be a number from 0 to 1, got ${String(t)}; check the spec with validateScoringSpec first`);
	const text = typeof output === 'string' ? output : String(output ?? '');
	let sumW = 0;
	let sumWS = 0;
	let allPass = true;
	const results = spec.assertions.map((a, i) => {
		const r = runAssertion(a, i, text, expected);
		const w = typeof a?.weight === 'number' && Number.isFinite(a.weight) && a.weight >= 0 ? a.weight : 1;
		r.weight = w;
		if (w > 0) {
			sumW += w;
			sumWS += w * r.score;
			if (!r.pass) allPass = false;
		}
		return r;
	});
	if (sumW === 0) return { pass: null, score: null, results };
	const score = sumWS / sumW;
	return { pass: t === undefined ? allPass : score >= t - 1e-12, score, results };
}
