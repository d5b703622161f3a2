// The answer of a sweep in one sentence: for the few-shot sweep, how many examples the engineered
// prompt needs before the adapter's lead is within the noise; for the strength sweep, the scale with
// the best pass rate and whether it beats the base. Pure: no svelte, dexie, DOM, worker or web-llm.
import { swapPair } from './family.ts';
import type { PairStats, VariantStats } from '../stats/compare.ts';
import type { SweepPoint, SweepSummary, SweepTag } from './types.ts';

const ALPHA = 0.05;
/** Few-shot: the point estimate may trail the adapter by at most this much (5 points). */
const MARGIN = 0.05;
// Pass rates are k/n; keep 0.75 ≥ 0.8 − 0.05 true despite floating point.
const EPS = 1e-9;

/** One sweep point as the caller has it: its variant's stats and its pair with the reference. */
export interface SweepPointInput {
	variantId: string;
	label: string;
	/** Number of examples (few-shot) or adapter scale (strength). */
	x: number;
	stats: VariantStats | null;
	/**
	 * The pair of this point with the reference, oriented a = the point, b = the reference (so
	 * passDiff is point − reference). A pair given the other way round (a = the reference, b = the
	 * point, by id or label, as compareResults may order it) is flipped here.
	 */
	vsReference: PairStats | null;
	/** Holm-adjusted p of that pair among the experiment's secondary comparisons. */
	adjustedP: number | null;
	promptTokensPerCall: number | null;
	timeToFirstTokenMs: number | null;
}

export interface SweepReferenceInput {
	variantId: string;
	label: string;
	stats: VariantStats | null;
}

const pct = (x: number) => `${Math.round(x * 100)} %`;
const examplesLabel = (k: number) => `${k} example${k === 1 ? '' : 's'}`;

/** A p-value short enough to read, with enough digits that rounding never crosses 0.05. */
export function formatP(p: number): string {
	if (p < 0.001) return 'p < 0.001';
	for (let digits = 2; digits < 6; digits++) {
		const s = Number(p.toPrecision(digits));
		if (s < ALPHA === p < ALPHA) return `p = ${s}`;
	}
	return `p = ${p}`;
}

// Pairs name their variants by id or by label (compareResults takes whatever the rows call them).
function orient(
	pair: PairStats | null,
	point: { variantId: string; label: string },
	reference: SweepReferenceInput | null
): PairStats | null {
	if (!pair || !reference) return pair;
	const isPoint = (name: string) => name === point.variantId || name === point.label;
	const isReference = (name: string) => name === reference.variantId || name === reference.label;
	return isReference(pair.a) && isPoint(pair.b) && !isPoint(pair.a) ? swapPair(pair) : pair;
}

/** Point − reference in pass rate: the paired estimate when there is one, else the two rates. */
function lead(point: SweepPoint, refRate: number): number {
	return point.vsReference?.passDiff.estimate ?? point.passRate! - refRate;
}

/** -1: significantly behind the reference, 1: significantly ahead, 0: within the noise; null: no test. */
function significance(point: SweepPoint, refRate: number): -1 | 0 | 1 | null {
	if (point.adjustedP === null) return null;
	if (point.adjustedP >= ALPHA) return 0;
	const d = lead(point, refRate);
	return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/** The point with the highest pass rate (ties → the smaller x); points must be sorted by x. */
function best(points: readonly SweepPoint[]): SweepPoint | null {
	let out: SweepPoint | null = null;
	for (const p of points) if (p.passRate !== null && (out === null || p.passRate > out.passRate! + EPS)) out = p;
	return out;
}

function worst(points: readonly SweepPoint[]): SweepPoint | null {
	let out: SweepPoint | null = null;
	for (const p of points) if (p.passRate !== null && (out === null || p.passRate < out.passRate! - EPS)) out = p;
	return out;
}

function pendingSentence(points: readonly SweepPoint[]): string {
	const pending = points.filter((p) => p.passRate === null).length;
	if (pending === 0) return '';
	return ` ${pending} of ${points.length} points ${pending === 1 ? 'has' : 'have'} no results yet.`;
}

function fewShot(points: SweepPoint[], refRate: number | null, refLabel: string | null): { answer: number | null; sentence: string } {
	if (refLabel === null) return { answer: null, sentence: 'The few-shot sweep has no adapter variant to compare with.' };
	if (refRate === null) return { answer: null, sentence: `${refLabel} has no results yet, so the sweep has nothing to compare with.` };
	const scored = points.filter((p) => p.passRate !== null);
	if (scored.length === 0) return { answer: null, sentence: 'No point of the sweep has results yet.' };
	// The first count at which the adapter's lead is not significant and the estimate is within 5 points.
	const hit = scored.find((p) => {
		const sig = significance(p, refRate);
		return sig !== null && sig >= 0 && p.passRate! >= refRate - MARGIN - EPS;
	});
	if (!hit) {
		const top = best(scored)!;
		const most = Math.max(...points.map((p) => p.x));
		return {
			answer: null,
			sentence:
				`No number of examples up to ${most} matched the adapter (best: ${examplesLabel(top.x)}, ${pct(top.passRate!)} vs ${pct(refRate)}).` +
				pendingSentence(points)
		};
	}
	const how = significance(hit, refRate) === 1 ? 'beats the adapter' : 'is within the noise of the adapter';
	const tokens = hit.promptTokensPerCall === null ? '' : `, at ${Math.round(hit.promptTokensPerCall)} prompt tokens per call`;
	return {
		answer: hit.x,
		sentence:
			`With ${examplesLabel(hit.x)} the engineered prompt ${how} (pass rate ${pct(hit.passRate!)} vs ${pct(refRate)}; Holm-adjusted ${formatP(hit.adjustedP!)})${tokens}.` +
			pendingSentence(points)
	};
}

function strength(points: SweepPoint[], refRate: number | null, refLabel: string | null): { answer: number | null; sentence: string } {
	const top = best(points);
	if (!top) return { answer: null, sentence: 'No point of the sweep has results yet.' };
	const low = worst(points)!;
	const scored = points.filter((p) => p.passRate !== null);
	let sentence: string;
	if (scored.length === 1) sentence = `Pass rate at scale ${top.x} is ${pct(top.passRate!)}.`;
	else if (low === top)
		sentence = `Pass rate is ${pct(top.passRate!)} at every scale with results (${scored[0].x} to ${scored[scored.length - 1].x}).`;
	else sentence = `Pass rate peaks at scale ${top.x} (${pct(top.passRate!)}); at ${low.x} it is ${pct(low.passRate!)}.`;

	if (refLabel !== null) {
		if (refRate === null) sentence += ` ${refLabel} has no results yet.`;
		else {
			const rates = `${pct(top.passRate!)} vs ${pct(refRate)}`;
			const sig = significance(top, refRate);
			if (sig === null) sentence += ` Against ${refLabel} (${pct(refRate)}) there is no paired comparison yet.`;
			else {
				const how = sig === 1 ? 'beats' : sig === -1 ? 'is still behind' : 'is within the noise of';
				sentence += ` Scale ${top.x} ${how} ${refLabel} (${rates}; Holm-adjusted ${formatP(top.adjustedP!)}).`;
			}
		}
	}
	return { answer: top.x, sentence: sentence + pendingSentence(points) };
}

/**
 * Summarises a sweep. Few-shot: the reference is the adapter + plain prompt; the answer is the
 * smallest number of examples whose Holm-adjusted p against it is ≥ 0.05 (or that beats it) and whose
 * pass rate is at least the adapter's minus 5 points. Strength: the reference is the base + plain
 * prompt (scale 0 behaviour, may be null); the answer is the scale with the highest pass rate (ties →
 * the smaller scale). Points are sorted by x; points without results are kept with nulls.
 * Each point's `vsReference` is oriented a = the point, b = the reference (flipped when given reversed).
 */
export function sweepSummary(
	kind: SweepTag['kind'],
	points: readonly SweepPointInput[],
	reference: SweepReferenceInput | null
): SweepSummary {
	const ref = reference
		? {
				variantId: reference.variantId,
				label: reference.label,
				passRate: reference.stats?.passRate ?? null,
				ci95: reference.stats?.ci95 ?? null
			}
		: null;
	const out: SweepPoint[] = [...points]
		.sort((p, q) => p.x - q.x)
		.map((p) => ({
			variantId: p.variantId,
			label: p.label,
			x: p.x,
			n: p.stats?.n ?? 0,
			passRate: p.stats?.passRate ?? null,
			ci95: p.stats?.ci95 ?? null,
			promptTokensPerCall: p.promptTokensPerCall,
			timeToFirstTokenMs: p.timeToFirstTokenMs,
			vsReference: orient(p.vsReference, p, reference),
			adjustedP: p.adjustedP
		}));
	if (out.length === 0) return { kind, points: out, reference: ref, answer: null, sentence: 'The sweep has no points yet.' };
	const { answer, sentence } = (kind === 'few-shot' ? fewShot : strength)(out, ref?.passRate ?? null, ref?.label ?? null);
	return { kind, points: out, reference: ref, answer, sentence };
}
