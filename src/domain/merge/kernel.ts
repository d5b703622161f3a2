// Merge kernels: W[rows of a part] += scale·B·A on encoded row-major weights, fused with the decode of
// the base row and the encode of the merged row so each row stays in cache; fidelity sums on the way.
// MergeKernel is injectable (a worker-backed kernel can split rows across threads). Pure TS: no
// svelte/dexie/DOM/node:/web-llm imports.

import { bf16BitsToF32, f16BitsToF32, f32ToF16Bits } from '../weights/index.ts';
import { addSums, emptySums, type FidelitySums } from './fidelity.ts';
import { createSimdMergeKernel } from './simd-kernel.ts';

export { createSimdMergeKernel, simdAvailable, SimdMergeKernel, SimdUnavailableError } from './simd-kernel.ts';

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
	/**
	 * Per part, totals to continue from (the returned sums include them): a tensor merged in row chunks, each
	 * chunk carrying the previous one's sums, gets the same float64 sums as when merged in one job.
	 */
	carry?: (FidelitySums | undefined)[];
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
 * kernel and by worker kernels on their share of rows. Arithmetic is float32, operation by operation,
 * in the order the SIMD kernel uses (see addLowRankRow, rowSums), so both give identical bytes and sums.
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
	const sums = parts.map((_, i) => startSums(job, i));
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
		rowSums(stored, w, d, cols, sums[p]);
	}
	return sums;
}

/** The sums a part starts from: a copy of its carried totals, or zeros. */
export function startSums(job: Pick<MergeJob, 'carry'>, part: number): FidelitySums {
	const c = job.carry?.[part];
	return c ? { ...c } : emptySums();
}

const fround = Math.fround;

/**
 * Adds one row's fidelity terms to s: sj = stored − w and ij = d in float32, each of the four sums
 * accumulated in float32 per lane (lane = column mod 4, columns ascending), then the lanes 0..3 added
 * to the float64 totals in order.
 */
export function rowSums(stored: Float32Array, w: Float32Array, d: Float32Array, cols: number, s: FidelitySums): void {
	const dot = new Float32Array(4),
		ss = new Float32Array(4),
		ii = new Float32Array(4),
		dd = new Float32Array(4);
	for (let j = 0; j < cols; j++) {
		const l = j & 3;
		const sj = fround(stored[j] - w[j]);
		const ij = d[j];
		dot[l] += fround(sj * ij);
		ss[l] += fround(sj * sj);
		ii[l] += fround(ij * ij);
		const e = fround(sj - ij);
		dd[l] += fround(e * e);
	}
	for (let l = 0; l < 4; l++) {
		s.dot += dot[l];
		s.storedSq += ss[l];
		s.intendedSq += ii[l];
		s.diffSq += dd[l];
	}
	s.elements += cols;
}

/**
 * d[0..cols) += Σ_k c_k · a[k, :] with c_k = fround(scale · b[bOff + k]), in float32: for each column
 * the products are rounded and added one rank at a time, k ascending (x + y on two float32 values
 * in float64, then rounded, is exactly the float32 sum). Four ranks per pass keep d in a register.
 */
export function addLowRankRow(
	d: Float32Array,
	a: Float32Array,
	b: Float32Array,
	bOff: number,
	rank: number,
	cols: number,
	scale: number
): void {
	let k = 0;
	for (; k + 4 <= rank; k += 4) {
		const c0 = fround(scale * b[bOff + k]),
			c1 = fround(scale * b[bOff + k + 1]);
		const c2 = fround(scale * b[bOff + k + 2]),
			c3 = fround(scale * b[bOff + k + 3]);
		const o0 = k * cols,
			o1 = o0 + cols,
			o2 = o1 + cols,
			o3 = o2 + cols;
		for (let j = 0; j < cols; j++) {
			let x = fround(d[j] + fround(c0 * a[o0 + j]));
			x = fround(x + fround(c1 * a[o1 + j]));
			x = fround(x + fround(c2 * a[o2 + j]));
			d[j] = x + fround(c3 * a[o3 + j]);
		}
	}
	for (; k < rank; k++) {
		const c = fround(scale * b[bOff + k]);
		const o = k * cols;
		for (let j = 0; j < cols; j++) d[j] += fround(c * a[o + j]);
	}
}

/** The single-threaded scalar kernel: runs mergeRowRange over all rows (reference and fallback). */
export const scalarMergeKernel: MergeKernel = {
	async merge(job) {
		return mergeRowRange(job, 0, job.rows);
	}
};

let defaultKernel: MergeKernel | undefined;
/** The fastest single-threaded kernel here: WebAssembly SIMD when available, else scalar (one per realm). */
export function defaultMergeKernel(): MergeKernel {
	defaultKernel ??= createSimdMergeKernel() ?? scalarMergeKernel;
	return defaultKernel;
}

/**
 * Rows [from, to) of a job as a job of their own: views on src/dst (no copies), parts clipped to the
 * range and re-based (B rows sliced). partIndex[i] is the index in job.parts of the sub-job's part i.
 */
export function subJob(job: MergeJob, from: number, to: number): { job: MergeJob; partIndex: number[] } {
	if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to && to <= job.rows)) {
		throw new RangeError(`row range [${from}, ${to}) is outside the job's ${job.rows} rows`);
	}
	const sb = BYTES[job.srcEncoding] * job.cols,
		db = BYTES[job.dstEncoding] * job.cols;
	const { parts, partIndex } = clipParts(job.parts, from, to);
	return {
		job: {
			...job,
			rows: to - from,
			src: job.src.subarray(from * sb, to * sb),
			dst: job.dst.subarray(from * db, to * db),
			parts,
			...(job.carry ? { carry: partIndex.map((i) => job.carry![i]) } : {})
		},
		partIndex
	};
}

/**
 * The parts that cover rows [from, to), clipped to them and re-based to row `from` (B rows are views, not
 * copies). partIndex[i] is the index in `parts` of clipped part i.
 */
export function clipParts(parts: readonly DeltaPart[], from: number, to: number): { parts: DeltaPart[]; partIndex: number[] } {
	const out: DeltaPart[] = [];
	const partIndex: number[] = [];
	parts.forEach((p, i) => {
		const s = Math.max(from, p.rowStart),
			e = Math.min(to, p.rowEnd);
		if (s >= e) return;
		const b = p.b.subarray((s - p.rowStart) * p.rank, (e - p.rowStart) * p.rank);
		out.push({ rowStart: s - from, rowEnd: e - from, rank: p.rank, scale: p.scale, a: p.a, b });
		partIndex.push(i);
	});
	return { parts: out, partIndex };
}

/**
 * A kernel that splits each job's rows into one contiguous share per executor (e.g. one kernel per
 * thread: a worker proxy each, or a local kernel plus worker proxies), runs the shares concurrently
 * and adds up the fidelity sums share by share. Bytes equal a single kernel's; the float64 sums may
 * differ in the last bits (different addition order). Put a same-thread kernel first: shares are
 * handed out last to first.
 * @param minRowsPerShare jobs smaller than this per executor use fewer executors
 */
export function splitRowsKernel(executors: readonly MergeKernel[], minRowsPerShare = 64): MergeKernel {
	if (executors.length === 0) throw new RangeError('splitRowsKernel needs at least one executor');
	return {
		async merge(job) {
			const n = Math.max(1, Math.min(executors.length, Math.floor(job.rows / minRowsPerShare)));
			const shares = Array.from({ length: n }, (_, i) => subJob(job, Math.floor((job.rows * i) / n), Math.floor((job.rows * (i + 1)) / n)));
			// a part's carried totals go to the first share that has its rows; the later shares start at zero
			if (job.carry) {
				const carried = new Set<number>();
				for (const share of shares) {
					share.job.carry = share.partIndex.map((i) => (carried.has(i) ? undefined : (carried.add(i), job.carry![i])));
				}
			}
			// started last to first: a same-thread kernel (executors[0]) blocks until done, so the
			// other threads must have their shares before it starts
			const pending: Promise<FidelitySums[]>[] = [];
			for (let i = n - 1; i >= 0; i--) pending[i] = executors[i].merge(shares[i].job);
			const results = await Promise.all(pending);
			const sums = job.parts.map(() => emptySums());
			results.forEach((res, i) => res.forEach((s, k) => addSums(sums[shares[i].partIndex[k]], s)));
			return sums;
		}
	};
}
