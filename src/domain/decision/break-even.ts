// When does the adapter's one-off cost (deriving it in the browser, optionally a training price) pay for
// the engineered prompt's per-call cost (a longer prompt to prefill on every call)? From the medians of
// the two sides' measured costs: the per-call difference, the calls to break even, a small curve for the
// chart and one plain sentence. Pure TypeScript: no svelte, dexie, DOM, worker, echarts or web-llm imports.
import type { BreakEven, BreakEvenPoint, TokenPrices, VariantCost } from './types.ts';

/** Calls on the curve when nothing breaks even (no crossing to centre the chart on). */
const DEFAULT_CURVE_CALLS = 1000;
/** Curve intervals: 6 steps up to twice the break-even put the crossing exactly on the middle point. */
const CURVE_STEPS = 6;

/**
 * The break-even of `adapter` (the LoRA side, one-off cost) against `prompt` (the base model with the
 * engineered prompt, per-call cost). Differences are prompt side − adapter side, of the medians.
 * callsToBreakEven = ⌈oneOffMs / extraPrefillMsPerCall⌉ when both are known and the extra is > 0.
 * With prices, money compares the per-call price of the median call on each side.
 */
export function breakEven(prompt: VariantCost, adapter: VariantCost, prices?: TokenPrices): BreakEven {
	const extraPromptTokensPerCall = difference(prompt.promptTokens?.median, adapter.promptTokens?.median);
	const extraPrefillMsPerCall = difference(prompt.timeToFirstTokenMs?.median, adapter.timeToFirstTokenMs?.median);
	const oneOffMs = adapter.facts.deriveMs;
	const { adapterBytes, derivedBytes } = adapter.facts;
	const oneOffBytes = adapterBytes === null && derivedBytes === null ? null : (adapterBytes ?? 0) + (derivedBytes ?? 0);
	const callsToBreakEven =
		oneOffMs !== null && extraPrefillMsPerCall !== null && extraPrefillMsPerCall > 0 ? ceilCalls(oneOffMs / extraPrefillMsPerCall) : null;
	const money = prices ? moneyBreakEven(prompt, adapter, prices) : null;
	const curve = breakEvenCurve(callsToBreakEven, extraPrefillMsPerCall, oneOffMs);
	const sentence = [
		timeSentence(extraPromptTokensPerCall, extraPrefillMsPerCall, oneOffMs, callsToBreakEven),
		money ? moneySentence(money, prices?.oneOffPrice) : null
	]
		.filter((s) => s !== null)
		.join(' ');
	return {
		promptLabel: prompt.label,
		adapterLabel: adapter.label,
		extraPromptTokensPerCall,
		extraPrefillMsPerCall,
		oneOffMs,
		oneOffBytes,
		callsToBreakEven,
		money,
		curve,
		sentence
	};
}

function difference(x: number | undefined, y: number | undefined): number | null {
	return x === undefined || y === undefined ? null : x - y;
}

/** ⌈x⌉ that ignores floating-point dust above a whole number (3.0000000000000004 calls is 3 calls). */
function ceilCalls(x: number): number {
	return Math.max(0, Math.ceil(x - 1e-9));
}

function moneyBreakEven(prompt: VariantCost, adapter: VariantCost, prices: TokenPrices): BreakEven['money'] {
	const perCall = (side: VariantCost) =>
		side.promptTokens && side.completionTokens
			? (side.promptTokens.median / 1000) * prices.promptPer1k + (side.completionTokens.median / 1000) * prices.completionPer1k
			: null;
	const promptPerCall = perCall(prompt);
	const adapterPerCall = perCall(adapter);
	if (promptPerCall === null || adapterPerCall === null) return null;
	const extraPerCall = promptPerCall - adapterPerCall;
	const callsToBreakEven = prices.oneOffPrice !== undefined && extraPerCall > 0 ? ceilCalls(prices.oneOffPrice / extraPerCall) : null;
	return { currency: prices.currency, promptPerCall, adapterPerCall, extraPerCall, callsToBreakEven };
}

/** Cumulative ms on each side at 0 … 2 × the break-even calls (or 0 … 1000 calls when there is none). */
function breakEvenCurve(callsToBreakEven: number | null, extraMs: number | null, oneOffMs: number | null): BreakEvenPoint[] {
	// At least one call per step, so the whole-number call counts stay distinct.
	const top = Math.max(CURVE_STEPS, callsToBreakEven ? 2 * callsToBreakEven : DEFAULT_CURVE_CALLS);
	const perCall = Math.max(extraMs ?? 0, 0);
	const points: BreakEvenPoint[] = [];
	for (let k = 0; k <= CURVE_STEPS; k++) {
		const calls = Math.round((top * k) / CURVE_STEPS);
		points.push({ calls, promptMs: calls * perCall, adapterMs: oneOffMs ?? 0 });
	}
	return points;
}

function timeSentence(extraTokens: number | null, extraMs: number | null, oneOffMs: number | null, calls: number | null): string {
	const tokens = extraTokens === null ? null : tokensClause(extraTokens);
	if (extraMs === null) {
		const lead = tokens ? `The engineered prompt ${tokens}, but the` : 'The';
		return `${lead} time to first token is not measured on both sides yet, so the break-even cannot be computed.`;
	}
	const perCall = `The engineered prompt ${tokens ? `${tokens} and ` : ''}${timeClause(extraMs)}`;
	if (extraMs <= 0) return `${perCall}; the adapter side is not faster per call, so its one-off cost is never paid back in time.`;
	if (oneOffMs === null)
		return `${perCall}; the adapter's derivation time is not known (derived before it was recorded, or an endpoint adapter), so the calls to pay it back cannot be counted.`;
	if (calls === null || calls === 0)
		return `${perCall}; the adapter has no derivation time to pay back, so it is ahead from the first call.`;
	return `${perCall}; the adapter's ${formatDuration(oneOffMs)} of derivation pays that back after ${formatCount(calls)} ${calls === 1 ? 'call' : 'calls'}.`;
}

function tokensClause(extraTokens: number): string {
	const t = Math.round(Math.abs(extraTokens));
	if (t === 0) return 'sends about as many prompt tokens per call';
	return `sends ${formatCount(t)} ${extraTokens > 0 ? 'more' : 'fewer'} prompt ${t === 1 ? 'token' : 'tokens'} per call`;
}

function timeClause(extraMs: number): string {
	const ms = Math.round(Math.abs(extraMs));
	if (extraMs === 0) return 'reaches its first token as fast';
	const amount = ms === 0 ? 'less than 1' : formatCount(ms);
	return extraMs > 0 ? `takes ${amount} ms longer to its first token` : `reaches its first token ${amount} ms sooner`;
}

function moneySentence(money: NonNullable<BreakEven['money']>, oneOffPrice: number | undefined): string {
	const c = money.currency;
	const extra = money.extraPerCall;
	const perCall =
		extra === 0
			? `At these prices both sides cost ${formatMoney(money.promptPerCall, c)} per call`
			: `At these prices the engineered prompt costs ${formatMoney(Math.abs(extra), c)} ${extra > 0 ? 'more' : 'less'} per call (${formatMoney(money.promptPerCall, c)} against ${formatMoney(money.adapterPerCall, c)})`;
	if (oneOffPrice === undefined) return `${perCall}.`;
	if (money.callsToBreakEven === null) return `${perCall}, so the one-off ${formatMoney(oneOffPrice, c)} is never paid back.`;
	return `${perCall}; the one-off ${formatMoney(oneOffPrice, c)} pays back after ${formatCount(money.callsToBreakEven)} ${money.callsToBreakEven === 1 ? 'call' : 'calls'}.`;
}

/** A whole number with thousands separators: 1172 → "1,172". */
function formatCount(n: number): string {
	return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Rounded for people: "850 ms", "41 s", "41.3 s", "2 min 5 s", "1 h 5 min". */
export function formatDuration(ms: number): string {
	if (Math.round(ms) < 1000) return `${formatCount(ms)} ms`;
	const s = ms / 1000;
	if (s < 99.95) return `${trimZero(s.toFixed(1))} s`;
	const totalSeconds = Math.round(s);
	if (totalSeconds < 3600) {
		const min = Math.floor(totalSeconds / 60);
		const sec = totalSeconds % 60;
		return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
	}
	const totalMinutes = Math.round(s / 60);
	const h = Math.floor(totalMinutes / 60);
	const min = totalMinutes % 60;
	return min === 0 ? `${h} h` : `${h} h ${min} min`;
}

/** Amounts of one currency as given: two decimals from 1 up, else three significant digits. */
function formatMoney(x: number, currency: string): string {
	const text = x === 0 ? '0' : Math.abs(x) >= 1 ? x.toFixed(2) : trimZero(x.toPrecision(3));
	return `${text} ${currency}`;
}

function trimZero(text: string): string {
	return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
