// 4-bit bases (q4f16_1 / q4f32_1): rows touched by the adapter are re-quantized from the ORIGINAL
// Hugging Face weights plus ΔW with mlc-llm's group quantization (weights/group-quant.ts), because adding
// a delta to 4-bit codes erases typical adapters (webllm-lora-facts.md §4). Untouched rows keep their
// codes. Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

import {
	bf16BitsToF32,
	decodeRecordF32,
	dequantizeQ4,
	encodeF32ForRecord,
	f16BitsToF32,
	type ModelDtype,
	q4Shapes,
	quantizeQ4,
	type TensorCacheRecord,
	type TensorLocator
} from '../weights/index.ts';
import { OriginalMismatchError } from './errors.ts';
import { emptySums, type FidelitySums } from './fidelity.ts';
import type { ModuleDelta } from './lora-deltas.ts';

const BLOCK_ROWS = 64;
/** Share of code words allowed to differ when checking the original against the base (ties, rounding). */
const MAX_MISMATCH = 0.02;

export interface RequantizeInput {
	deltas: ModuleDelta[];
	cols: number;
	qWeightRec: TensorCacheRecord;
	qScaleRec: TensorCacheRecord;
	qWeightBytes: Uint8Array;
	qScaleBytes: Uint8Array;
	original: TensorLocator;
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
	original: TensorLocator, name: string, rows: number, cols: number, from: number, count: number
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
	if (per === 4) return new Float32Array(bytes.buffer);
	const u16 = new Uint16Array(bytes.buffer);
	return entry.dtype === 'F16' ? f16BitsToF32(u16) : bf16BitsToF32(u16);
}

function scaleRecordFor(rec: TensorCacheRecord, rows: number, groups: number): TensorCacheRecord {
	return { ...rec, shape: [rows, groups], nbytes: (rec.nbytes / (rec.shape[0] * rec.shape[1])) * rows * groups };
}

/**
 * Re-quantizes the rows of one MLC module touched by `deltas` from original weights + ΔW.
 * @throws OriginalMismatchError when the original does not re-quantize to the base's codes
 */
export async function requantizeModule(input: RequantizeInput): Promise<RequantizeOutput> {
	const { cols, qWeightRec, qScaleRec, dtype } = input;
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
		for (let from = 0; from < partRows; from += BLOCK_ROWS) {
			const n = Math.min(BLOCK_ROWS, partRows - from);
			const row0 = delta.rowStart + from;
			const orig = await readOriginalRows(input.original, origName, partRows, cols, from, n);
			const baseW = baseWords.subarray(row0 * words, (row0 + n) * words);
			const scaleRec = scaleRecordFor(qScaleRec, n, groups);
			const baseS = decodeRecordF32(
				scaleRec,
				input.qScaleBytes.subarray(row0 * scaleBytesPerRow, (row0 + n) * scaleBytesPerRow)
			);
			if (check) {
				const q0 = quantizeQ4(orig, n, cols, dtype).qWeight;
				let differ = 0;
				for (let i = 0; i < q0.length; i++) if (q0[i] !== baseW[i]) differ++;
				if (differ > MAX_MISMATCH * q0.length) {
					throw new OriginalMismatchError(
						`Original weights don't match this base: re-quantizing ${origName} reproduces only ` +
							`${(100 * (1 - differ / q0.length)).toFixed(1)}% of the base's 4-bit codes. ` +
							'Use the Hugging Face checkpoint this MLC model was converted from.'
					);
				}
				check = false;
			}
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
			const merged = new Float32Array(n * cols);
			for (let i = 0; i < merged.length; i++) merged[i] = orig[i] + d[i];
			const q = quantizeQ4(merged, n, cols, dtype);
			outWords.set(q.qWeight, row0 * words);
			const scaleBytes = encodeF32ForRecord(qScaleRec, q.qScale);
			qScale.set(scaleBytes, row0 * scaleBytesPerRow);
			const storedScale = decodeRecordF32(scaleRec, scaleBytes);
			const now = dequantizeQ4(q.qWeight, storedScale, n, cols, dtype);
			const was = dequantizeQ4(baseW, baseS, n, cols, dtype);
			const s = sums[p];
			for (let i = 0; i < d.length; i++) {
				const st = now[i] - was[i];
				const it = d[i];
				s.dot += st * it;
				s.storedSq += st * st;
				s.intendedSq += it * it;
				s.diffSq += (st - it) * (st - it);
			}
			s.elements += d.length;
		}
	}
	if (qWeight.byteLength !== qWeightRec.nbytes) throw new RangeError('q_weight size changed');
	return { qWeight, qScale, sums };
}
