// Merge kernels: W[rows of a part] += scale·B·A on encoded row-major weights, fused with the decode of
// the base row and the encode of the merged row so each row stays in cache; fidelity sums on the way.
// MergeKernel is injectable (a worker-backed kernel can split rows across threads). Pure TS: no
// svelte/dexie/DOM/node:/web-llm imports.

import { bf16BitsToF32, f16BitsToF32, f32ToF16Bits } from '../weights/index.ts';
import { emptySums, type FidelitySums } from './fidelity.ts';

export type RowEncoding = 'f16' | 'bf16' | 'f32';

/** One low-rank delta on rows [rowStart, rowEnd) of a weight [rows, cols]. */
export interface DeltaPart {
	rowStart: number;
	rowEnd: number;
	rank: number;
	/** scaling × user scale. */
	scale: number;
	/** B: [rowEnd − rowStart, rank], row-major. */
	b: Float32Array;
	/** A: [rank, cols], row-major. */
	a: Float32Array;
}

/** Merge one whole tensor: every row is converted src→dst; rows inside parts get their delta added. */
export interface MergeJob {
	rows: number;
	cols: number;
	src: Uint8Array;
	srcEncoding: RowEncoding;
	/** Receives rows·cols elements in dstEncoding ('f16' or 'f32'). */
	dst: Uint8Array;
	dstEncoding: 'f16' | 'f32';
	parts: DeltaPart[];
}

export interface MergeKernel {
	/** Runs the job; returns one FidelitySums per part, in the order of job.parts. */
	merge(job: MergeJob): Promise<FidelitySums[]>;
}

const BYTES: Record<RowEncoding, number> = { f16: 2, bf16: 2, f32: 4 };

function aligned(bytes: Uint8Array, align: number): Uint8Array {
	return bytes.byteOffset % align === 0 ? bytes : bytes.slice();
}

function decoder(enc: RowEncoding, src: Uint8Array, cols: number): (row: number, out: Float32Array) => void {
	const s = aligned(src, BYTES[enc]);
	if (enc === 'f32') {
		const all = new Float32Array(s.buffer, s.byteOffset, s.byteLength / 4);
		return (row, out) => out.set(all.subarray(row * cols, row * cols + cols));
	}
	const all = new Uint16Array(s.buffer, s.byteOffset, s.byteLength / 2);
	const conv = enc === 'f16' ? f16BitsToF32 : bf16BitsToF32;
	return (row, out) => void conv(all.subarray(row * cols, row * cols + cols), out);
}

/**
 * Merges rows [from, to) of a job into job.dst (rows of parts get the delta); used by the single-thread
 * kernel and by worker kernels on their share of rows.
 */
export function mergeRowRange(job: MergeJob, from: number, to: number): FidelitySums[] {
	const { cols, parts } = job;
	const decode = decoder(job.srcEncoding, job.src, cols);
	const w = new Float32Array(cols);
	const d = new Float32Array(cols);
	const m = new Float32Array(cols);
	const stored = new Float32Array(cols);
	const h = new Uint16Array(cols);
	const hBytes = new Uint8Array(h.buffer);
	const mBytes = new Uint8Array(m.buffer);
	const outRowBytes = cols * BYTES[job.dstEncoding];
	const toF16 = job.dstEncoding === 'f16';
	const sums = parts.map(() => emptySums());
	const sameEnc = job.srcEncoding === job.dstEncoding;
	const inBytes = cols * BYTES[job.srcEncoding];
	for (let row = from; row < to; row++) {
		const p = parts.findIndex((x) => row >= x.rowStart && row < x.rowEnd);
		const dstOff = row * outRowBytes;
		if (p < 0) {
			if (sameEnc) job.dst.set(job.src.subarray(row * inBytes, row * inBytes + inBytes), dstOff);
			else {
				decode(row, w);
				if (toF16) job.dst.set(new Uint8Array(f32ToF16Bits(w, h).buffer), dstOff);
				else job.dst.set(new Uint8Array(w.buffer), dstOff);
			}
			continue;
		}
		const part = parts[p];
		decode(row, w);
		d.fill(0);
		const { a, b, rank } = part;
		const bOff = (row - part.rowStart) * rank;
		addLowRankRow(d, a, b, bOff, rank, cols, part.scale);
		for (let j = 0; j < cols; j++) m[j] = w[j] + d[j];
		if (toF16) {
			f32ToF16Bits(m, h);
			f16BitsToF32(h, stored);
			job.dst.set(hBytes, dstOff);
		} else {
			stored.set(m);
			job.dst.set(mBytes, dstOff);
		}
		const s = sums[p];
		let dot = 0, ss = 0, ii = 0, dd = 0;
		for (let j = 0; j < cols; j++) {
			const sj = stored[j] - w[j];
			const ij = d[j];
			dot += sj * ij;
			ss += sj * sj;
			ii += ij * ij;
			dd += (sj - ij) * (sj - ij);
		}
		s.dot += dot;
		s.storedSq += ss;
		s.intendedSq += ii;
		s.diffSq += dd;
		s.elements += cols;
	}
	return sums;
}

/**
 * d[0..cols) += scale · Σ_k b[bOff + k] · a[k, :]. Eight (then four) ranks per pass, so d is loaded and
 * stored once per eight FMAs (the sum of the products stays in a double register before the float32 store).
 */
export function addLowRankRow(
	d: Float32Array, a: Float32Array, b: Float32Array, bOff: number, rank: number, cols: number, scale: number
): void {
	let k = 0;
	for (; k + 8 <= rank; k += 8) {
		const c0 = scale * b[bOff + k], c1 = scale * b[bOff + k + 1];
		const c2 = scale * b[bOff + k + 2], c3 = scale * b[bOff + k + 3];
		const c4 = scale * b[bOff + k + 4], c5 = scale * b[bOff + k + 5];
		const c6 = scale * b[bOff + k + 6], c7 = scale * b[bOff + k + 7];
		const o0 = k * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
		const o4 = o3 + cols, o5 = o4 + cols, o6 = o5 + cols, o7 = o6 + cols;
		for (let j = 0; j < cols; j++) {
			d[j] +=
				c0 * a[o0 + j] + c1 * a[o1 + j] + c2 * a[o2 + j] + c3 * a[o3 + j] +
				c4 * a[o4 + j] + c5 * a[o5 + j] + c6 * a[o6 + j] + c7 * a[o7 + j];
		}
	}
	for (; k + 4 <= rank; k += 4) {
		const c0 = scale * b[bOff + k], c1 = scale * b[bOff + k + 1];
		const c2 = scale * b[bOff + k + 2], c3 = scale * b[bOff + k + 3];
		const o0 = k * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
		for (let j = 0; j < cols; j++) {
			d[j] += c0 * a[o0 + j] + c1 * a[o1 + j] + c2 * a[o2 + j] + c3 * a[o3 + j];
		}
	}
	for (; k < rank; k++) {
		const c = scale * b[bOff + k];
		const o = k * cols;
		for (let j = 0; j < cols; j++) d[j] += c * a[o + j];
	}
}

/** The single-threaded kernel: runs mergeRowRange over all rows. */
export const scalarMergeKernel: MergeKernel = {
	async merge(job) {
		return mergeRowRange(job, 0, job.rows);
	}
};
