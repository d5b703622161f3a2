// 4-bit bases (q4f16_1 / q4f32_1). Two routes for the rows touched by the adapter:
// - 'original': re-quantized from the ORIGINAL Hugging Face weights plus ΔW with mlc-llm's group
//   quantization (weights/group-quant.ts); the better route, since the original weights act as dither.
// - 'stochastic': without originals, each code moves within the base's existing grid: code + ΔW/scale is
//   rounded stochastically (floor of it plus a uniform draw in [0, 1), clamped to 0..14), the base's scales
//   kept; unbiased, but adds weight noise. Draws are seeded from the adapter hash + tensor name.
// Untouched rows keep their codes. Fidelity sums (gain, subspace error, base error) on the way.
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

import {
	bf16BitsToF32,
	compareQ4Codes,
	decodeRecordF32,
	dequantizeQ4,
	encodeF32ForRecord,
	f16BitsToF32,
	findNonFinite,
	type ModelDtype,
	q4Shapes,
	quantizeQ4,
	type TensorCacheRecord,
	type TensorLocator
} from '../weights/index.ts';
import { NonFiniteWeightsError, OriginalMismatchError } from './errors.ts';
import { emptySums, type FidelitySums, SubspaceAccumulator } from './fidelity.ts';
import type { ModuleDelta } from './lora-deltas.ts';
import { seededUniform } from './seeded-random.ts';

const BLOCK_ROWS = 64;
/** Share of 4-bit codes allowed to differ (other than ±1 at exact halves) when checking the original. */
export const MAX_CODE_MISMATCH = 0.02;

export type Q4Route = 'original' | 'stochastic';

export interface RequantizeInput {
	deltas: ModuleDelta[];
	cols: number;
	qWeightRec: TensorCacheRecord;
	qScaleRec: TensorCacheRecord;
	qWeightBytes: Uint8Array;
	qScaleBytes: Uint8Array;
	/** Required for the 'original' route (the default). */
	original?: TensorLocator;
	/** 'original' (default) or 'stochastic'. */
	route?: Q4Route;
	/** Seed text of the stochastic draws, e.g. the adapter's SHA-256; the tensor name is appended. */
	seed?: string;
	dtype: ModelDtype;
	/** Re-quantize the first block of the untouched original and compare with the base codes. */
	checkOriginal: boolean;
}

export interface RequantizeOutput {
	qWeight: Uint8Array;
	qScale: Uint8Array;
	sums: FidelitySums[];
}

async function readOriginalRows(
	original: TensorLocator,
	name: string,
	rows: number,
	cols: number,
	from: number,
	count: number
): Promise<Float32Array> {
	const hit = original.find(name);
	if (!hit) {
		throw new OriginalMismatchError(`The original weights have no tensor ${name}; original weights don't match this base.`);
	}
	const { src, entry } = hit;
	if (entry.shape.length !== 2 || entry.shape[0] !== rows || entry.shape[1] !== cols) {
		throw new OriginalMismatchError(
			`Original tensor ${name} has shape [${entry.shape}], the base needs [${rows}, ${cols}]; original weights don't match this base.`
		);
	}
	const per = entry.dtype === 'F32' ? 4 : entry.dtype === 'F16' || entry.dtype === 'BF16' ? 2 : 0;
	if (per === 0) throw new OriginalMismatchError(`Original tensor ${name} has dtype ${entry.dtype}; expected F32, F16 or BF16.`);
	const bytes = (await src.read(entry.begin + from * cols * per, count * cols * per)).slice();
	const u16 = () => new Uint16Array(bytes.buffer);
	const out = per === 4 ? new Float32Array(bytes.buffer) : entry.dtype === 'F16' ? f16BitsToF32(u16()) : bf16BitsToF32(u16());
	const bad = findNonFinite(out);
	if (bad >= 0) {
		const row = from + Math.floor(bad / cols);
		throw new NonFiniteWeightsError(
			`The original weights hold ${out[bad]} in ${name} (row ${row}, column ${bad % cols}); NaN or Inf cannot be quantized. ` +
				'Re-download the original checkpoint.'
		);
	}
	return out;
}

function scaleRecordFor(rec: TensorCacheRecord, rows: number, groups: number): TensorCacheRecord {
	return { ...rec, shape: [rows, groups], nbytes: (rec.nbytes / (rec.shape[0] * rec.shape[1])) * rows * groups };
}

/**
 * Refuses originals whose 4-bit codes do not reproduce the base's: codes are compared one by one, ±1
 * differences at exact halves (tie rules) are tolerated, more than MAX_CODE_MISMATCH other differences refused.
 * @throws OriginalMismatchError
 */
export function checkOriginalCodes(
	orig: Float32Array,
	baseWords: Uint32Array,
	rows: number,
	cols: number,
	dtype: ModelDtype,
	name: string
): void {
	const c = compareQ4Codes(orig, baseWords, rows, cols, dtype);
	if (c.differ > MAX_CODE_MISMATCH * c.codes) {
		throw new OriginalMismatchError(
			`Original weights don't match this base: re-quantizing ${name} reproduces only ` +
				`${(100 * (1 - c.differ / c.codes)).toFixed(1)}% of the base's 4-bit codes (ties aside). ` +
				'Use the Hugging Face checkpoint this MLC model was converted from.'
		);
	}
}

/** The intended delta of rows [from, from + n) of a part, in float32. */
function deltaRows(delta: ModuleDelta, from: number, n: number, cols: number): Float32Array {
	const d = new Float32Array(n * cols);
	const { a, b, rank, scale } = delta;
	for (let i = 0; i < n; i++) {
		const bOff = (from + i) * rank;
		const dOff = i * cols;
		for (let k = 0; k < rank; k++) {
			const c = scale * b[bOff + k];
			if (c === 0) continue;
			const aOff = k * cols;
			for (let j = 0; j < cols; j++) d[dOff + j] += c * a[aOff + j];
		}
	}
	const bad = findNonFinite(d);
	if (bad >= 0) {
		throw new NonFiniteWeightsError(
			`${delta.target.hfModule}: the delta s·B·A is ${d[bad]} at row ${from + Math.floor(bad / cols)}; ` +
				'the scale, lora_alpha or rank make the merged weights non-finite. Use a smaller --scale or check the adapter.'
		);
	}
	return d;
}

/** Stochastic rounding of codes + d/scale into the existing grid; the base's scales are kept. */
function stochasticCodes(
	baseW: Uint32Array,
	scales: Float32Array,
	d: Float32Array,
	n: number,
	cols: number,
	draw: () => number
): Uint32Array {
	const { words, groups } = q4Shapes(1, cols);
	const out = baseW.slice();
	for (let r = 0; r < n; r++) {
		for (let j = 0; j < cols; j++) {
			const scale = scales[r * groups + (j >>> 5)];
			const w = r * words + (j >>> 3);
			const shift = (j & 7) * 4;
			const code = (baseW[w] >>> shift) & 0xf;
			const u = draw();
			if (scale === 0 || !Number.isFinite(scale)) continue;
			let next = Math.floor(code + d[r * cols + j] / scale + u);
			if (next < 0) next = 0;
			else if (next > 14) next = 14;
			out[w] = ((out[w] & ~(0xf << shift)) | (next << shift)) >>> 0;
		}
	}
	return out;
}

/**
 * Re-quantizes the rows of one MLC module touched by `deltas` (route 'original' or 'stochastic').
 * @throws OriginalMismatchError when the original does not re-quantize to the base's codes
 * @throws NonFiniteWeightsError when the originals hold NaN/Inf or the merged weights are not finite
 */
export async function requantizeModule(input: RequantizeInput): Promise<RequantizeOutput> {
	const { cols, qWeightRec, qScaleRec, dtype } = input;
	const route = input.route ?? 'original';
	if (route === 'original' && !input.original) throw new RangeError('the original route needs the original weights');
	const { words, groups } = q4Shapes(1, cols);
	const qWeight = input.qWeightBytes.slice();
	const qScale = input.qScaleBytes.slice();
	const baseWords = new Uint32Array(input.qWeightBytes.slice().buffer);
	const scaleBytesPerRow = qScaleRec.nbytes / qScaleRec.shape[0];
	const outWords = new Uint32Array(qWeight.buffer);
	const sums = input.deltas.map(() => emptySums());
	let check = input.checkOriginal;
	for (const [p, delta] of input.deltas.entries()) {
		const partRows = delta.rowEnd - delta.rowStart;
		const origName = `${delta.target.hfModule}.weight`;
		const sub = new SubspaceAccumulator(delta.b, partRows, delta.rank, delta.a, cols);
		const draw = route === 'stochastic' ? seededUniform(`${input.seed ?? ''}:${qWeightRec.name}:${delta.rowStart}`) : undefined;
		const s = sums[p];
		if (route === 'original') s.baseErrSq = s.originalSq = 0;
		else s.plainNoiseSq = 0;
		for (let from = 0; from < partRows; from += BLOCK_ROWS) {
			const n = Math.min(BLOCK_ROWS, partRows - from);
			const row0 = delta.rowStart + from;
			const baseW = baseWords.subarray(row0 * words, (row0 + n) * words);
			const scaleRec = scaleRecordFor(qScaleRec, n, groups);
			const baseS = decodeRecordF32(scaleRec, input.qScaleBytes.subarray(row0 * scaleBytesPerRow, (row0 + n) * scaleBytesPerRow));
			const d = deltaRows(delta, from, n, cols);
			const was = dequantizeQ4(baseW, baseS, n, cols, dtype);
			let now: Float32Array;
			if (route === 'original') {
				const orig = await readOriginalRows(input.original!, origName, partRows, cols, from, n);
				if (check) {
					checkOriginalCodes(orig, baseW, n, cols, dtype, origName);
					check = false;
				}
				const merged = new Float32Array(n * cols);
				for (let i = 0; i < merged.length; i++) merged[i] = orig[i] + d[i];
				const q = quantizeQ4(merged, n, cols, dtype);
				const scaleBytes = encodeF32ForRecord(qScaleRec, q.qScale);
				const storedScale = decodeRecordF32(scaleRec, scaleBytes);
				if (findNonFinite(merged) >= 0 || findNonFinite(storedScale) >= 0) {
					throw new NonFiniteWeightsError(
						`${delta.target.hfModule}: the merged weights overflow ${dtype}; the scale, lora_alpha or rank are too large. Use a smaller --scale or check the adapter.`
					);
				}
				outWords.set(q.qWeight, row0 * words);
				qScale.set(scaleBytes, row0 * scaleBytesPerRow);
				now = dequantizeQ4(q.qWeight, storedScale, n, cols, dtype);
				for (let i = 0; i < orig.length; i++) {
					s.baseErrSq! += (was[i] - orig[i]) ** 2;
					s.originalSq! += orig[i] * orig[i];
				}
			} else {
				const q = stochasticCodes(baseW, baseS, d, n, cols, draw!);
				outWords.set(q, row0 * words);
				now = dequantizeQ4(q, baseS, n, cols, dtype);
				for (let i = 0; i < d.length; i++) s.plainNoiseSq! += baseS[Math.floor(i / cols) * groups + ((i % cols) >>> 5)] ** 2 / 12;
			}
			const resid = new Float64Array(cols);
			for (let r = 0; r < n; r++) {
				for (let j = 0; j < cols; j++) {
					const i = r * cols + j;
					const st = now[i] - was[i];
					const it = d[i];
					resid[j] = st - it;
					s.dot += st * it;
					s.storedSq += st * st;
					s.intendedSq += it * it;
					s.diffSq += (st - it) * (st - it);
				}
				sub.addRow(from + r, resid);
			}
			s.elements += d.length;
		}
		s.subSq = sub.subSq;
	}
	if (qWeight.byteLength !== qWeightRec.nbytes) throw new RangeError('q_weight size changed');
	return { qWeight, qScale, sums };
}
