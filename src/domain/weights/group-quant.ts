// MLC group quantization q4f16_1 / q4f32_1 (int4, uint32 storage, group 32, layout NK), bit-exact
// with mlc-llm's GroupQuantize._quantize (python/mlc_llm/quantization/group_quantization.py, ~l.260-310)
// and pack_weight (python/mlc_llm/quantization/utils.py). What that code does, step by step:
// - the weight is first cast to the model dtype (the loader's map_func `astype(dtype)`, numpy RNE);
// - max_abs = max |w| over each group of 32 along `in` (exact in any dtype);
// - scale = max_abs / 7 computed in the model dtype (f16 division rounds to nearest even);
// - code = min(max(round(w / scale + 7), 0), 14), each op in the model dtype: w/scale rounds to the
//   dtype, +7 rounds to the dtype, then `tir.round`, which TVM lowers to llvm.round / CUDA round:
//   ties AWAY from zero (tvm src/target/llvm/intrin_rule_llvm.cc "tir.round");
// - a zero group has scale 0, so w/scale is NaN; TVM's max(NaN, 0) is a select on `NaN > 0`, which
//   is false, so the code is 0 (dequantizes to (0-7)·0 = 0 all the same);
// - 8 codes per uint32, element j of a word in bits [4j, 4j+4) (first element in the lowest nibble);
//   padding past `in` (when in % 32 != 0) packs code 0. q_scale stays in the model dtype.
// Dequantize (GroupQuantize._dequantize): (code - 7) · scale in the model dtype.
// Pure TS; must not import svelte, dexie, DOM, worker or web-llm code.

import { roundToF16 } from './dtypes.ts';
import { QuantizationError } from './errors.ts';

export type ModelDtype = 'float16' | 'float32';

export const Q4_GROUP_SIZE = 32;
export const Q4_CODES_PER_WORD = 8;
const MAX_INT = 7;

/** Shapes of q_weight [rows, wordsPerRow] and q_scale [rows, groupsPerRow] for a [rows, cols] weight. */
export function q4Shapes(rows: number, cols: number): { words: number; groups: number } {
	const groups = Math.ceil(cols / Q4_GROUP_SIZE);
	return { words: groups * (Q4_GROUP_SIZE / Q4_CODES_PER_WORD), groups };
}

function checkDims(rows: number, cols: number, have: number, what: string): void {
	if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows <= 0 || cols <= 0) {
		throw new QuantizationError(`rows and cols must be positive integers, got ${rows}×${cols}`);
	}
	if (have !== rows * cols && what === 'weight') {
		throw new QuantizationError(`weight has ${have} values but ${rows}×${cols} needs ${rows * cols}`);
	}
}

/**
 * Quantizes a row-major [rows, cols] weight (out × in) to q4 exactly as mlc-llm does.
 * @param weight values; they are first rounded to `dtype` like mlc-llm's loader does
 * @returns qWeight [rows, ceil(cols/32)·4] and qScale [rows, ceil(cols/32)] (values already in `dtype`)
 * @throws QuantizationError on bad dimensions
 */
export function quantizeQ4(
	weight: Float32Array,
	rows: number,
	cols: number,
	dtype: ModelDtype
): { qWeight: Uint32Array; qScale: Float32Array } {
	checkDims(rows, cols, weight.length, 'weight');
	const { words, groups } = q4Shapes(rows, cols);
	const qWeight = new Uint32Array(rows * words);
	const qScale = new Float32Array(rows * groups);
	const round = dtype === 'float16' ? roundToF16 : Math.fround;
	const w = new Float32Array(Q4_GROUP_SIZE);
	for (let r = 0; r < rows; r++) {
		for (let g = 0; g < groups; g++) {
			const start = r * cols + g * Q4_GROUP_SIZE;
			const n = Math.min(Q4_GROUP_SIZE, cols - g * Q4_GROUP_SIZE);
			let maxAbs = 0;
			for (let i = 0; i < n; i++) {
				const v = round(weight[start + i]);
				w[i] = v;
				const a = Math.abs(v);
				if (a > maxAbs) maxAbs = a;
			}
			const scale = round(maxAbs / MAX_INT);
			qScale[r * groups + g] = scale;
			const wordBase = r * words + g * (Q4_GROUP_SIZE / Q4_CODES_PER_WORD);
			for (let i = 0; i < n; i++) {
				const x = round(round(w[i] / scale) + MAX_INT);
				// round half away from zero; NaN (zero group) and negatives clamp to 0
				let code = x >= 0 ? Math.floor(x + 0.5) : 0;
				if (code > 2 * MAX_INT) code = 2 * MAX_INT;
				qWeight[wordBase + (i >>> 3)] |= code << ((i & 7) * 4);
			}
		}
	}
	return { qWeight, qScale };
}

/**
 * Dequantizes q4 weights to a row-major [rows, cols] float32 array: (code − 7) · scale, rounded to
 * `dtype` (default float32, where the product is exact for f16 and bf16 scales).
 * @throws QuantizationError when the arrays do not match the dimensions
 */
export function dequantizeQ4(
	qWeight: Uint32Array,
	qScale: Float32Array,
	rows: number,
	cols: number,
	dtype: ModelDtype = 'float32'
): Float32Array {
	checkDims(rows, cols, 0, 'q');
	const { words, groups } = q4Shapes(rows, cols);
	if (qWeight.length !== rows * words || qScale.length !== rows * groups) {
		throw new QuantizationError(
			`q_weight has ${qWeight.length} words and q_scale ${qScale.length} values; ` +
				`${rows}×${cols} needs ${rows * words} and ${rows * groups}`
		);
	}
	const out = new Float32Array(rows * cols);
	const round = dtype === 'float16' ? roundToF16 : Math.fround;
	for (let r = 0; r < rows; r++) {
		for (let c = 0; c < cols; c++) {
			const word = qWeight[r * words + (c >>> 3)];
			const code = (word >>> ((c & 7) * 4)) & 0xf;
			out[r * cols + c] = round((code - MAX_INT) * qScale[r * groups + (c >>> 5)]);
		}
	}
	return out;
}

/** How far a weight's q4 codes agree with given codes, judged code by code (not word by word). */
export interface Q4CodeAgreement {
	/** Codes compared (padding past `cols` is not counted). */
	codes: number;
	/** Codes that differ, other than by one at an exact half. */
	differ: number;
	/** Codes that differ by exactly one where w/scale + 7 is an exact half (a converter's tie rule). */
	tieDiffer: number;
}

/**
 * Quantizes `weight` like quantizeQ4 and compares each 4-bit code with the code at the same place in
 * `words` (q_weight layout); a ±1 difference where the value to round is an exact half counts as a tie
 * (converters may resolve ties to even or away from zero), any other difference as a mismatch.
 * @throws QuantizationError on bad dimensions
 */
export function compareQ4Codes(weight: Float32Array, words: Uint32Array, rows: number, cols: number, dtype: ModelDtype): Q4CodeAgreement {
	checkDims(rows, cols, weight.length, 'weight');
	const { words: perRow, groups } = q4Shapes(rows, cols);
	if (words.length !== rows * perRow) {
		throw new QuantizationError(`q_weight has ${words.length} words; ${rows}×${cols} needs ${rows * perRow}`);
	}
	const round = dtype === 'float16' ? roundToF16 : Math.fround;
	const w = new Float32Array(Q4_GROUP_SIZE);
	const out: Q4CodeAgreement = { codes: 0, differ: 0, tieDiffer: 0 };
	for (let r = 0; r < rows; r++) {
		for (let g = 0; g < groups; g++) {
			const start = r * cols + g * Q4_GROUP_SIZE;
			const n = Math.min(Q4_GROUP_SIZE, cols - g * Q4_GROUP_SIZE);
			let maxAbs = 0;
			for (let i = 0; i < n; i++) {
				w[i] = round(weight[start + i]);
				maxAbs = Math.max(maxAbs, Math.abs(w[i]));
			}
			const scale = round(maxAbs / MAX_INT);
			const wordBase = r * perRow + g * (Q4_GROUP_SIZE / Q4_CODES_PER_WORD);
			for (let i = 0; i < n; i++) {
				const x = round(round(w[i] / scale) + MAX_INT);
				let code = x >= 0 ? Math.floor(x + 0.5) : 0;
				if (code > 2 * MAX_INT) code = 2 * MAX_INT;
				const have = (words[wordBase + (i >>> 3)] >>> ((i & 7) * 4)) & 0xf;
				out.codes++;
				if (have === code) continue;
				if (Math.abs(have - code) === 1 && x - Math.floor(x) === 0.5) out.tieDiffer++;
				else out.differ++;
			}
		}
	}
	return out;
}
