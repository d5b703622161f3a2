// The WebAssembly SIMD merge kernel: same results, bit for bit, as the scalar kernel (kernel.ts), at a
// fraction of the time. One WebAssembly.Memory per instance, grown as needed; rows are copied in and
// out in blocks of about BLOCK_BYTES. Modules are generated per (source, destination, rank) and
// cached. Pure TS: no svelte/dexie/DOM/node:/web-llm imports (runs in Node, pages and workers).

import { bf16BitsToF32, f16BitsToF32, f32ToF16Bits } from '../weights/index.ts';
import { emptySums, type FidelitySums } from './fidelity.ts';
import type { DeltaPart, MergeJob, MergeKernel } from './kernel.ts';
import { convertModuleBytes, mergeModuleBytes, SIMD_DST_BYTES, SIMD_SRC_BYTES } from './simd-codegen.ts';

const PAGE = 65536;
const BLOCK_BYTES = 512 * 1024;
const SLACK = 64;

/** Thrown when this JavaScript engine cannot run WebAssembly SIMD (use scalarMergeKernel). */
export class SimdUnavailableError extends Error {
	override name = 'SimdUnavailableError';
	constructor(cause: unknown) {
		super(`WebAssembly SIMD is not available here (${String(cause)}); use the scalar merge kernel instead.`);
	}
}

const modules = new Map<string, WebAssembly.Module>();
function moduleFor(key: string, bytes: () => Uint8Array): WebAssembly.Module {
	let m = modules.get(key);
	if (!m) {
		m = new WebAssembly.Module(bytes() as Uint8Array<ArrayBuffer>);
		modules.set(key, m);
	}
	return m;
}

let available: boolean | undefined;
/** Whether WebAssembly with SIMD can be compiled here (checked once). */
export function simdAvailable(): boolean {
	if (available === undefined) {
		try {
			moduleFor('convert', convertModuleBytes);
			available = true;
		} catch {
			available = false;
		}
	}
	return available;
}

const align16 = (n: number) => Math.ceil(n / 16) * 16;

type MergeFn = (
	src: number,
	dst: number,
	b: number,
	a: number,
	rows: number,
	cols: number,
	sums: number,
	acc: number,
	dstStride: number
) => void;
type ConvertFn = (src: number, dst: number, n: number) => void;

/** A SIMD kernel instance (owns its memory; not for concurrent use from several threads). */
export class SimdMergeKernel implements MergeKernel {
	readonly #memory = new WebAssembly.Memory({ initial: 1 });
	readonly #merges = new Map<string, MergeFn>();
	#convert: { decode: ConvertFn; encode: ConvertFn } | undefined;

	constructor() {
		if (!simdAvailable()) throw new SimdUnavailableError('module did not compile');
	}

	#ensure(bytes: number): void {
		const have = this.#memory.buffer.byteLength;
		if (bytes > have) this.#memory.grow(Math.ceil((bytes - have) / PAGE));
	}

	#instance<T>(key: string, bytes: () => Uint8Array): T {
		const inst = new WebAssembly.Instance(moduleFor(key, bytes), { env: { memory: this.#memory } });
		return inst.exports as T;
	}

	#mergeFn(src: MergeJob['srcEncoding'], dst: MergeJob['dstEncoding'], rank: number): MergeFn {
		const key = `${src}-${dst}-${rank}`;
		let f = this.#merges.get(key);
		if (!f) {
			f = this.#instance<{ merge: MergeFn }>(key, () => mergeModuleBytes(src, dst, rank)).merge;
			this.#merges.set(key, f);
		}
		return f;
	}

	async merge(job: MergeJob): Promise<FidelitySums[]> {
		return this.mergeSync(job);
	}

	/** Runs a job synchronously; returns one FidelitySums per part. */
	mergeSync(job: MergeJob): FidelitySums[] {
		const { rows, cols } = job;
		const sb = SIMD_SRC_BYTES[job.srcEncoding],
			db = SIMD_DST_BYTES[job.dstEncoding];
		if (job.src.byteLength < rows * cols * sb || job.dst.byteLength < rows * cols * db) {
			throw new RangeError(`merge job buffers are smaller than ${rows}×${cols}`);
		}
		copyUntouchedRows(job);
		return job.parts.map((p, i) => this.#mergePart(job, p, sb, db, job.carry?.[i]));
	}

	#mergePart(job: MergeJob, part: DeltaPart, sb: number, db: number, carry: FidelitySums | undefined): FidelitySums {
		const { cols } = job;
		const { rank } = part;
		const rows = part.rowEnd - part.rowStart;
		const fn = this.#mergeFn(job.srcEncoding, job.dstEncoding, rank);
		const chunks = Math.ceil(cols / 4);
		const blockRows = Math.max(1, Math.min(rows, Math.floor(BLOCK_BYTES / (cols * (sb + db)))));
		const sumsAt = 0;
		const aAt = 64;
		const bAt = align16(aAt + chunks * rank * 16 + SLACK);
		const srcAt = align16(bAt + blockRows * rank * 4 + SLACK);
		// dst rows padded: a row's last chunk writes up to 16 bytes past its end, and with column blocks
		// the next row's start is already merged by then
		const dstStride = align16(cols * db + 16);
		const dstAt = align16(srcAt + blockRows * cols * sb + SLACK);
		const accAt = align16(dstAt + blockRows * dstStride + SLACK);
		this.#ensure(accAt + blockRows * 64);
		const buf = this.#memory.buffer;
		const f32 = new Float32Array(buf);
		const u8 = new Uint8Array(buf);
		// A' = A in chunk-major layout, zero-padded to whole chunks
		const aq = aAt >> 2;
		f32.fill(0, aq, aq + chunks * rank * 4);
		for (let k = 0; k < rank; k++) {
			const ak = k * cols;
			for (let j = 0; j < cols; j++) f32[aq + ((j >> 2) * rank + k) * 4 + (j & 3)] = part.a[ak + j];
		}
		const sums = new Float64Array(buf, sumsAt, 4);
		// the kernel adds each row into these totals, so carried totals continue exactly where they stopped
		sums.set(carry ? [carry.dot, carry.storedSq, carry.intendedSq, carry.diffSq] : [0, 0, 0, 0]);
		for (let r0 = 0; r0 < rows; r0 += blockRows) {
			const n = Math.min(blockRows, rows - r0);
			// c = fround(scale · b), as the scalar kernel rounds it
			const bq = bAt >> 2;
			for (let i = 0; i < n * rank; i++) f32[bq + i] = part.scale * part.b[r0 * rank + i];
			const row = part.rowStart + r0;
			u8.set(job.src.subarray(row * cols * sb, (row + n) * cols * sb), srcAt);
			fn(srcAt, dstAt, bAt, aAt, n, cols, sumsAt, accAt, dstStride);
			const rowBytes = cols * db;
			for (let i = 0; i < n; i++) {
				const at = dstAt + i * dstStride;
				job.dst.set(u8.subarray(at, at + rowBytes), (row + i) * rowBytes);
			}
		}
		const out = carry ? { ...carry } : emptySums();
		out.dot = sums[0];
		out.storedSq = sums[1];
		out.intendedSq = sums[2];
		out.diffSq = sums[3];
		out.elements += rows * cols;
		return out;
	}

	#converters(): { decode: ConvertFn; encode: ConvertFn } {
		const c = this.#convert ?? this.#instance<{ decode: ConvertFn; encode: ConvertFn }>('convert', convertModuleBytes);
		this.#convert = c;
		return c;
	}

	/** f16 bits → f32 with the SIMD decoder (what the kernel uses); for tests and tools. */
	decodeF16(bits: Uint16Array): Float32Array {
		const n = align16(bits.length);
		this.#ensure(16 + n * 6 + SLACK);
		const u16 = new Uint16Array(this.#memory.buffer, 16, n);
		u16.fill(0).set(bits);
		this.#converters().decode(16, 16 + n * 2, n);
		return new Float32Array(this.#memory.buffer, 16 + n * 2, bits.length).slice();
	}

	/** f32 → f16 bits with the SIMD encoder (what the kernel uses); for tests and tools. */
	encodeF16(values: Float32Array): Uint16Array {
		const n = align16(values.length);
		this.#ensure(16 + n * 6 + SLACK);
		const f = new Float32Array(this.#memory.buffer, 16, n);
		f.fill(0).set(values);
		this.#converters().encode(16, 16 + n * 4, n);
		return new Uint16Array(this.#memory.buffer, 16 + n * 4, values.length).slice();
	}
}

/** Rows outside every part: copied when encodings match, otherwise converted (same as scalar). */
function copyUntouchedRows(job: MergeJob): void {
	const { cols, parts } = job;
	const sb = SIMD_SRC_BYTES[job.srcEncoding],
		db = SIMD_DST_BYTES[job.dstEncoding];
	const sorted = [...parts].sort((x, y) => x.rowStart - y.rowStart);
	const gaps: [number, number][] = [];
	let at = 0;
	for (const p of sorted) {
		if (p.rowStart > at) gaps.push([at, p.rowStart]);
		at = Math.max(at, p.rowEnd);
	}
	if (at < job.rows) gaps.push([at, job.rows]);
	for (const [from, to] of gaps) {
		const src = job.src.subarray(from * cols * sb, to * cols * sb);
		if (job.srcEncoding === job.dstEncoding) {
			job.dst.set(src, from * cols * db);
			continue;
		}
		const s = src.byteOffset % 4 === 0 ? src : src.slice();
		const n = (to - from) * cols;
		const f =
			job.srcEncoding === 'f32'
				? new Float32Array(s.buffer, s.byteOffset, n)
				: (job.srcEncoding === 'f16' ? f16BitsToF32 : bf16BitsToF32)(new Uint16Array(s.buffer, s.byteOffset, n));
		const out = job.dstEncoding === 'f32' ? new Uint8Array(f.buffer, f.byteOffset, n * 4) : new Uint8Array(f32ToF16Bits(f).buffer);
		job.dst.set(out, from * cols * db);
	}
}

/** A new SIMD kernel, or undefined when WebAssembly SIMD is unavailable. */
export function createSimdMergeKernel(): SimdMergeKernel | undefined {
	return simdAvailable() ? new SimdMergeKernel() : undefined;
}
