// Covers how derived models are named to the user: "<base> + LoRA <first 8 hex of the adapter hash>",
// the scale appended when not 1, hash case folded; and the one-line fidelity note (module count,
// gain range and largest subspace error; rows from before those existed: min cosine to 5 places, max
// relative error), absent without a usable summary.
import { describe, expect, test } from 'vitest';
import { derivedLabel, fidelityNote, fidelityWarning, LOW_FIDELITY_MEDIAN_COSINE } from '../../../src/domain/webllm-cache/index.ts';

const HASH = 'ABCDEF0123456789'.padEnd(64, '0');

describe('derivedLabel', () => {
	test.each([
		[1, 'SmolLM2-360M-Instruct-q0f16-MLC + LoRA abcdef01'],
		[0.5, 'SmolLM2-360M-Instruct-q0f16-MLC + LoRA abcdef01, scale 0.5'],
		[2, 'SmolLM2-360M-Instruct-q0f16-MLC + LoRA abcdef01, scale 2']
	])('scale %s → %s', (scale, label) => {
		expect(derivedLabel({ baseModelId: 'SmolLM2-360M-Instruct-q0f16-MLC', adapterId: HASH, scale })).toBe(label);
	});
});

describe('fidelityNote', () => {
	test('names modules, min cosine and max relative error', () => {
		const note = fidelityNote({ modules: 14, minCosine: 0.999981234, medianCosine: 0.99999, maxRelError: 0.02134 });
		expect(note).toBe(`LoRA merged into 14 modules: min cosine ${(0.999981234).toFixed(5)}, max rel. error 2.1e-2`);
		expect(fidelityNote({ modules: 1, minCosine: 1, medianCosine: 1, maxRelError: 0 })).toMatch(/^LoRA merged into 1 module:/);
	});

	test('with gain and subspace error (rows derived since they exist) it names those instead of the cosine', () => {
		const s = {
			modules: 7,
			minCosine: 0.1,
			medianCosine: 0.19,
			maxRelError: 0.9,
			minGain: 0.9849,
			maxGain: 1.0131,
			maxSubspaceError: 0.0512
		};
		// 0.9849 → "0.98", 1.0131 → "1.01", 0.0512 → "0.05" (two decimals)
		expect(fidelityNote(s)).toBe('LoRA merged into 7 modules: gain 0.98–1.01, max subspace error 0.05');
	});

	test.each([null, undefined, { modules: 0, minCosine: Number.NaN, medianCosine: 1, maxRelError: 0 }])('no note for %j', (s) => {
		expect(fidelityNote(s)).toBeNull();
	});
});

describe('fidelityWarning', () => {
	const summary = (medianCosine: number) => ({ modules: 4, minCosine: medianCosine - 0.01, medianCosine, maxRelError: 1 });

	test('a faithful merge (q0f16-like, median cosine 0.997) gets no warning', () => {
		expect(fidelityWarning(summary(0.997))).toBeNull();
		expect(fidelityWarning(summary(LOW_FIDELITY_MEDIAN_COSINE))).toBeNull();
	});

	test('a lossy merge (4-bit base, small adapter: median cosine 0.12) warns and points at an unquantized base', () => {
		const w = fidelityWarning(summary(0.12));
		expect(w).toContain('median cosine 0.12');
		expect(w).toMatch(/unquantized base \(q0f16 or q0f32\)/);
	});

	test('no summary, no warning', () => {
		expect(fidelityWarning(null)).toBeNull();
		expect(fidelityWarning(summary(Number.NaN))).toBeNull();
	});
});
