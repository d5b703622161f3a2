// breakEven: the per-call differences of the medians, the calls after which the adapter's derivation
// time is paid back, the money version with prices, the chart's curve and the sentence, each case worked
// out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { breakEven, formatDuration } from '../../../src/domain/decision/break-even.ts';
import type { Summary, VariantCost, VariantFacts } from '../../../src/domain/decision/types.ts';

const s = (median: number): Summary => ({ n: 10, median, mean: median });
const noFacts: VariantFacts = { gpuMemoryMB: null, baseBytes: null, adapterBytes: null, derivedBytes: null, deriveMs: null };

function side(label: string, over: Partial<VariantCost> = {}, facts: Partial<VariantFacts> = {}): VariantCost {
	return {
		variantId: label,
		label,
		calls: 10,
		promptTokens: s(100),
		completionTokens: s(100),
		timeToFirstTokenMs: s(100),
		prefillTokensPerSec: null,
		decodeTokensPerSec: null,
		totalMs: s(2000),
		statsSource: 'engine',
		facts: { ...noFacts, ...facts },
		...over
	};
}

// The worked example: 300 vs 88 prompt tokens, 120 vs 85 ms to the first token, 41 s of derivation.
const prompt = side('Base + engineered', { promptTokens: s(300), timeToFirstTokenMs: s(120) });
const adapter = side(
	'Adapter + plain',
	{ promptTokens: s(88), timeToFirstTokenMs: s(85) },
	{ adapterBytes: 20_000_000, derivedBytes: 1_500_000_000, deriveMs: 41000 }
);

describe('breakEven: time', () => {
	it('pays back the derivation after ⌈one-off / extra⌉ calls', () => {
		const b = breakEven(prompt, adapter);
		// 300 − 88 = 212 tokens; 120 − 85 = 35 ms; ⌈41000 / 35⌉ = ⌈1171.43⌉ = 1172
		expect(b).toMatchObject({
			promptLabel: 'Base + engineered',
			adapterLabel: 'Adapter + plain',
			extraPromptTokensPerCall: 212,
			extraPrefillMsPerCall: 35,
			oneOffMs: 41000,
			// 20 MB adapter + 1.5 GB derived model
			oneOffBytes: 1_520_000_000,
			callsToBreakEven: 1172,
			money: null
		});
		expect(b.sentence).toBe(
			'The engineered prompt sends 212 more prompt tokens per call and takes 35 ms longer to its first token; ' +
				"the adapter's 41 s of derivation pays that back after 1,172 calls."
		);
	});

	it('draws the curve from 0 to twice the break-even with the crossing on the middle point', () => {
		const b = breakEven(prompt, adapter);
		// 2 × 1172 = 2344 in 6 steps of 390.67, rounded: 0, 391, 781, 1172, 1563, 1953, 2344; prompt side = calls × 35
		expect(b.curve).toEqual([
			{ calls: 0, promptMs: 0, adapterMs: 41000 },
			{ calls: 391, promptMs: 13685, adapterMs: 41000 },
			{ calls: 781, promptMs: 27335, adapterMs: 41000 },
			{ calls: 1172, promptMs: 41020, adapterMs: 41000 },
			{ calls: 1563, promptMs: 54705, adapterMs: 41000 },
			{ calls: 1953, promptMs: 68355, adapterMs: 41000 },
			{ calls: 2344, promptMs: 82040, adapterMs: 41000 }
		]);
	});

	it('gives a whole number of calls when the division is exact up to floating-point dust', () => {
		// 100.3 − 100.2 is 0.0999999999999943 in binary; 1 ms / 0.1 ms is 10 calls, not 11
		const b = breakEven(side('P', { timeToFirstTokenMs: s(100.3) }), side('A', { timeToFirstTokenMs: s(100.2) }, { deriveMs: 1 }));
		expect(b.callsToBreakEven).toBe(10);
	});

	it('never pays back when the adapter side is not faster per call', () => {
		// 80 − 85 = −5 ms: the prompt side is the quicker one
		const b = breakEven(side('P', { promptTokens: s(300), timeToFirstTokenMs: s(80) }), adapter);
		expect(b.extraPrefillMsPerCall).toBe(-5);
		expect(b.callsToBreakEven).toBeNull();
		expect(b.sentence).toBe(
			'The engineered prompt sends 212 more prompt tokens per call and reaches its first token 5 ms sooner; ' +
				'the adapter side is not faster per call, so its one-off cost is never paid back in time.'
		);
		// no crossing: 0 to 1000 calls in 6 steps (166.67): 0, 167, 333, 500, 667, 833, 1000; prompt side costs max(−5, 0) = 0
		expect(b.curve.map((p) => p.calls)).toEqual([0, 167, 333, 500, 667, 833, 1000]);
		expect(b.curve.every((p) => p.promptMs === 0 && p.adapterMs === 41000)).toBe(true);
	});

	it('never pays back when both sides are equally fast', () => {
		const b = breakEven(side('P', { timeToFirstTokenMs: s(85) }), adapter);
		expect(b.extraPrefillMsPerCall).toBe(0);
		expect(b.callsToBreakEven).toBeNull();
		expect(b.sentence).toContain('reaches its first token as fast; the adapter side is not faster per call');
	});

	it('cannot count the calls when the derivation time is unknown', () => {
		const b = breakEven(prompt, side('Endpoint adapter', { promptTokens: s(88), timeToFirstTokenMs: s(85) }));
		expect(b).toMatchObject({ oneOffMs: null, oneOffBytes: null, callsToBreakEven: null, extraPrefillMsPerCall: 35 });
		expect(b.sentence).toBe(
			'The engineered prompt sends 212 more prompt tokens per call and takes 35 ms longer to its first token; ' +
				"the adapter's derivation time is not known (derived before it was recorded, or an endpoint adapter), so the calls to pay it back cannot be counted."
		);
		// the adapter's flat line is 0 when its one-off time is unknown; prompt side 35 ms per call up to 1000 calls
		expect(b.curve[6]).toEqual({ calls: 1000, promptMs: 35000, adapterMs: 0 });
	});

	it('adds up the one-off bytes that are known', () => {
		expect(breakEven(prompt, side('A', {}, { adapterBytes: 5 })).oneOffBytes).toBe(5);
		expect(breakEven(prompt, side('A', {}, { derivedBytes: 7 })).oneOffBytes).toBe(7);
		expect(breakEven(prompt, side('A')).oneOffBytes).toBeNull();
	});

	it('says so when the time to first token is missing on a side', () => {
		const b = breakEven(prompt, side('A', { promptTokens: s(88), timeToFirstTokenMs: null }, { deriveMs: 41000 }));
		expect(b).toMatchObject({ extraPromptTokensPerCall: 212, extraPrefillMsPerCall: null, callsToBreakEven: null });
		expect(b.sentence).toBe(
			'The engineered prompt sends 212 more prompt tokens per call, but the time to first token is not measured on both sides yet, so the break-even cannot be computed.'
		);
		const none = breakEven(side('P', { promptTokens: null, timeToFirstTokenMs: null }), side('A'));
		expect(none.extraPromptTokensPerCall).toBeNull();
		expect(none.sentence).toBe('The time to first token is not measured on both sides yet, so the break-even cannot be computed.');
	});
});

describe('breakEven: money', () => {
	// 0.50 per 1k prompt tokens, 1.50 per 1k completion tokens, one-off 2.00
	const prices = { promptPer1k: 0.5, completionPer1k: 1.5, currency: 'USD', oneOffPrice: 2 };

	it('prices the median call on each side and counts the calls to pay back the one-off price', () => {
		const b = breakEven(prompt, adapter, prices);
		// prompt: 300/1000·0.5 + 100/1000·1.5 = 0.15 + 0.15 = 0.30
		// adapter: 88/1000·0.5 + 100/1000·1.5 = 0.044 + 0.15 = 0.194
		// extra 0.106 per call; ⌈2 / 0.106⌉ = ⌈18.87⌉ = 19
		expect(b.money).toEqual({
			currency: 'USD',
			promptPerCall: expect.closeTo(0.3, 12),
			adapterPerCall: expect.closeTo(0.194, 12),
			extraPerCall: expect.closeTo(0.106, 12),
			callsToBreakEven: 19
		});
		expect(b.sentence).toBe(
			"The engineered prompt sends 212 more prompt tokens per call and takes 35 ms longer to its first token; the adapter's 41 s of derivation pays that back after 1,172 calls. " +
				'At these prices the engineered prompt costs 0.106 USD more per call (0.3 USD against 0.194 USD); the one-off 2.00 USD pays back after 19 calls.'
		);
	});

	it('has no money break-even without a one-off price or when the prompt side is not dearer', () => {
		const noOneOff = breakEven(prompt, adapter, { promptPer1k: 0.5, completionPer1k: 1.5, currency: 'EUR' });
		expect(noOneOff.money).toMatchObject({ currency: 'EUR', callsToBreakEven: null });
		expect(noOneOff.sentence).toMatch(
			/At these prices the engineered prompt costs 0\.106 EUR more per call \(0\.3 EUR against 0\.194 EUR\)\.$/
		);
		// swapped roles: the "prompt" side is now the cheaper one, extra −0.106
		const cheaper = breakEven(adapter, side('A', { promptTokens: s(300), timeToFirstTokenMs: s(85) }), prices);
		expect(cheaper.money?.extraPerCall).toBeCloseTo(-0.106, 12);
		expect(cheaper.money?.callsToBreakEven).toBeNull();
		expect(cheaper.sentence).toMatch(/costs 0\.106 USD less per call .*, so the one-off 2\.00 USD is never paid back\.$/);
	});

	it('gives no money figures when a median is missing', () => {
		expect(breakEven(prompt, side('A', { completionTokens: null }), prices).money).toBeNull();
		expect(breakEven(side('P', { promptTokens: null }), adapter, prices).money).toBeNull();
	});
});

describe('formatDuration', () => {
	it('rounds for people', () => {
		expect(formatDuration(850.4)).toBe('850 ms');
		expect(formatDuration(41000)).toBe('41 s');
		expect(formatDuration(41260)).toBe('41.3 s');
		// 125 s = 2 min 5 s; 3,900 s = 65 min = 1 h 5 min
		expect(formatDuration(125000)).toBe('2 min 5 s');
		expect(formatDuration(3_900_000)).toBe('1 h 5 min');
	});
});
