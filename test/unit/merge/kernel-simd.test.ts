// The WebAssembly SIMD merge kernel and the row-splitting helper.
// Covers: LEB128 encodings against their definition; the SIMD f16 decoder over all 65536 patterns
// against the IEEE definition (NaN payloads kept); the SIMD f16 encoder against round-to-nearest-even
// computed from f16 neighbours (every f16 value, every midpoint, just above/below each midpoint,
// overflow, subnormals, ±0, ±Inf, NaN) and against f32ToF16Bits on 2^20 random bit patterns; merged
// bytes and fidelity sums bit-identical to the scalar reference kernel over random shapes (cols not a
// multiple of 4/8, ranks 1..17, every src/dst encoding, gaps between parts, Inf in the base, several
// row blocks and column blocks); the
// scalar kernel within float32 rounding of a float64 formula; splitRowsKernel/subJob.

import { describe, expect, test } from 'vitest';
import {
	type DeltaPart,
	mergeRowRange,
	type MergeJob,
	type MergeKernel,
	type RowEncoding,
	scalarMergeKernel,
	SimdMergeKernel,
	splitRowsKernel,
	subJob
} from '../../../src/domain/merge/index.ts';
import { columnBlock } from '../../../src/domain/merge/simd-codegen.ts';
import { sleb, uleb } from '../../../src/domain/merge/wasm-encoder.ts';
import { f32ToF16Bits } from '../../../src/domain/weights/index.ts';
import { naiveF16Decode } from '../../factories/tiny-models.ts';
import { naiveBf16Decode } from './memory-io.ts';

const simd = new SimdMergeKernel();

function rng(seed: number): () => number {
	let x = seed >>> 0 || 1;
	return () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return (x >>> 0) / 2 ** 32;
	};
}

const f32Bits = (v: number) => new Uint32Array(new Float32Array([v]).buffer)[0];
const bitsF32 = (b: number) => new Float32Array(new Uint32Array([b]).buffer)[0];

describe('LEB128', () => {
	test.each([0, 1, 127, 128, 255, 300, 16384, 2 ** 31, 2 ** 32 - 1])('uleb(%i) decodes back', (n) => {
		const bytes = uleb(n);
		let v = 0;
		bytes.forEach((b, i) => (v += (b & 0x7f) * 2 ** (7 * i)));
		expect(v).toBe(n);
		expect(bytes.slice(0, -1).every((b) => b & 0x80)).toBe(true);
		expect(bytes.at(-1)! & 0x80).toBe(0);
	});
	test.each([0, 1, -1, 63, 64, -64, -65, 0x7fffffff, -0x80000000, 0x38000000])('sleb(%i) decodes back', (n) => {
		const bytes = sleb(n);
		let v = 0n;
		bytes.forEach((b, i) => (v |= BigInt(b & 0x7f) << BigInt(7 * i)));
		const bitsUsed = BigInt(7 * bytes.length);
		if (bytes.at(-1)! & 0x40) v -= 1n << bitsUsed;
		expect(Number(v)).toBe(n);
	});
	test('negative uleb and non-int32 sleb are refused', () => {
		expect(() => uleb(-1)).toThrow(RangeError);
		expect(() => sleb(2 ** 33)).toThrow(RangeError);
	});
});

describe('SIMD f16 conversions', () => {
	test('decode: all 65536 patterns equal the IEEE definition (NaN payload kept bit for bit)', () => {
		const all = Uint16Array.from({ length: 65536 }, (_, i) => i);
		const got = new Uint32Array(simd.decodeF16(all).buffer);
		for (let h = 0; h < 65536; h++) {
			const isNan = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
			const want = isNan ? ((h & 0x8000) << 16) | 0x7f800000 | ((h & 0x3ff) << 13) : f32Bits(naiveF16Decode(h));
			if (got[h] >>> 0 !== want >>> 0) expect([h, got[h]]).toEqual([h, want >>> 0]);
		}
	});

	test('encode: every f16 value, every midpoint (ties to even) and its f32 neighbours', () => {
		const values: number[] = [],
			want: number[] = [];
		for (let h = 0; h < 0x7c00; h++) {
			for (const sign of [0, 0x8000]) {
				const s = sign ? -1 : 1;
				values.push(s * naiveF16Decode(h));
				want.push(sign | h);
				// midpoint to the next f16 up (0x7bff's next is 65536 = Inf's position)
				const lo = naiveF16Decode(h),
					hi = h === 0x7bff ? 65536 : naiveF16Decode(h + 1);
				const mid = (lo + hi) / 2;
				const even = (h & 1) === 0 ? h : h + 1;
				values.push(s * mid);
				want.push(sign | even);
				const mb = f32Bits(mid);
				values.push(s * bitsF32(mb - 1));
				want.push(sign | h);
				values.push(s * bitsF32(mb + 1));
				want.push(sign | (h + 1));
			}
		}
		const got = simd.encodeF16(Float32Array.from(values));
		for (let i = 0; i < values.length; i++) {
			if (got[i] !== want[i]) expect([values[i], got[i]]).toEqual([values[i], want[i]]);
		}
	});

	test.each([
		['+0', 0, 0x0000],
		['-0', -0, 0x8000],
		['2^-25 (tie to 0)', 2 ** -25, 0x0000],
		['just above 2^-25', bitsF32(f32Bits(2 ** -25) + 1), 0x0001],
		['f32 subnormal', bitsF32(1), 0x0000],
		['-f32 subnormal', -bitsF32(1), 0x8000],
		['largest subnormal', 1023 * 2 ** -24, 0x03ff],
		['65504', 65504, 0x7bff],
		['65519.99', 65519.99, 0x7bff],
		['65520 (rounds to Inf)', 65520, 0x7c00],
		['1e10', 1e10, 0x7c00],
		['-Inf', -Infinity, 0xfc00],
		['NaN', NaN, 0x7e00],
		['f32 max', bitsF32(0x7f7fffff), 0x7c00]
	])('encode edge: %s', (_, v, bits) => {
		expect(simd.encodeF16(new Float32Array([v]))[0]).toBe(bits);
	});

	test('encode equals f32ToF16Bits on 2^20 random f32 bit patterns (incl. NaN payloads)', () => {
		const r = rng(99);
		const bits = Uint32Array.from({ length: 1 << 20 }, () => Math.floor(r() * 2 ** 32));
		const f = new Float32Array(bits.buffer);
		const got = simd.encodeF16(f),
			want = f32ToF16Bits(f);
		for (let i = 0; i < f.length; i++) if (got[i] !== want[i]) expect([bits[i], got[i]]).toEqual([bits[i], want[i]]);
	});
});

interface Shape {
	rows: number;
	cols: number;
	rank: number;
	src: RowEncoding;
	dst: 'f16' | 'f32';
}

function randomJob(s: Shape, seed: number, infAt = -1): MergeJob {
	const r = rng(seed);
	const sb = s.src === 'f32' ? 4 : 2,
		db = s.dst === 'f32' ? 4 : 2;
	const src = new Uint8Array(s.rows * s.cols * sb);
	if (s.src === 'f32') {
		const f = new Float32Array(src.buffer);
		for (let i = 0; i < f.length; i++) f[i] = (r() - 0.5) * (r() < 0.1 ? 1e-6 : 0.2);
	} else {
		// random finite 16-bit patterns (bit 10 cleared: exponent never all ones), many subnormals for f16
		const u = new Uint16Array(src.buffer);
		for (let i = 0; i < u.length; i++) u[i] = Math.floor(r() * 65536) & (r() < 0.5 ? 0xb3ff : 0xfbff);
		if (infAt >= 0) u[infAt % u.length] = s.src === 'f16' ? 0x7c00 : 0x7f80;
	}
	const parts: DeltaPart[] = [];
	let row = Math.floor(r() * 3);
	while (row < s.rows) {
		const end = Math.min(s.rows, row + 1 + Math.floor(r() * 9));
		parts.push({
			rowStart: row,
			rowEnd: end,
			rank: s.rank,
			scale: 0.25 + r() * 2,
			a: Float32Array.from({ length: s.rank * s.cols }, () => (r() - 0.5) * 0.1),
			b: Float32Array.from({ length: (end - row) * s.rank }, () => (r() - 0.5) * 0.1)
		});
		row = end + Math.floor(r() * 3);
	}
	return { rows: s.rows, cols: s.cols, src, srcEncoding: s.src, dst: new Uint8Array(s.rows * s.cols * db), dstEncoding: s.dst, parts };
}

const freshDst = (job: MergeJob): MergeJob => ({ ...job, dst: new Uint8Array(job.dst.length) });

const encodings: [RowEncoding, 'f16' | 'f32'][] = [
	['f16', 'f16'],
	['bf16', 'f16'],
	['f32', 'f16'],
	['f16', 'f32'],
	['bf16', 'f32'],
	['f32', 'f32']
];

describe('SIMD kernel = scalar reference kernel, bit for bit', () => {
	const r = rng(7);
	const shapes: Shape[] = [];
	for (const [src, dst] of encodings) {
		for (let rank = 1; rank <= 17; rank++) {
			shapes.push({ rows: 1 + Math.floor(r() * 30), cols: 1 + Math.floor(r() * 67), rank, src, dst });
		}
		shapes.push(
			{ rows: 3, cols: 16, rank: 4, src, dst },
			{ rows: 5, cols: 17, rank: 8, src, dst },
			{ rows: 2, cols: 3, rank: 2, src, dst }
		);
	}
	test.each(shapes.map((s, i) => [`${s.src}→${s.dst} ${s.rows}×${s.cols} rank ${s.rank}`, s, i] as const))('%s', (_, s, i) => {
		const job = randomJob(s, 1000 + i, i % 5 === 0 ? i * 31 : -1);
		const ref = freshDst(job),
			got = freshDst(job);
		const refSums = mergeRowRange(ref, 0, job.rows);
		const gotSums = simd.mergeSync(got);
		expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
		expect(gotSums).toEqual(refSums);
	});

	test('a block boundary inside a part changes nothing (tall job, many blocks)', () => {
		const job = randomJob({ rows: 700, cols: 515, rank: 3, src: 'f16', dst: 'f16' }, 5);
		job.parts = [{ ...job.parts[0], rowStart: 0, rowEnd: 700, b: Float32Array.from({ length: 2100 }, (_, i) => Math.sin(i) * 0.05) }];
		const ref = freshDst(job),
			got = freshDst(job);
		expect(simd.mergeSync(got)).toEqual(mergeRowRange(ref, 0, job.rows));
		expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
	});

	test.each([
		[16, 517, 'f16', 'f16'],
		[17, 1001, 'bf16', 'f16'],
		[32, 300, 'f32', 'f32'],
		[64, 130, 'f16', 'f32']
	] as const)('rank %i × %i cols (%s→%s): several column blocks, last one partial', (rank, cols, src, dst) => {
		expect(cols).toBeGreaterThan(columnBlock(rank));
		const job = randomJob({ rows: 37, cols, rank, src, dst }, rank * cols);
		const ref = freshDst(job),
			got = freshDst(job);
		expect(simd.mergeSync(got)).toEqual(mergeRowRange(ref, 0, job.rows));
		expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
	});

	test('undersized buffers are refused', () => {
		const job = randomJob({ rows: 4, cols: 8, rank: 2, src: 'f16', dst: 'f16' }, 3);
		expect(() => simd.mergeSync({ ...job, dst: new Uint8Array(10) })).toThrow(RangeError);
	});
});

describe('scalar reference kernel against a float64 formula', () => {
	test.each(encodings.filter(([, d]) => d === 'f32'))('%s→%s: every merged value within float32 rounding of W + s·B·A', (src, dst) => {
		const s: Shape = { rows: 9, cols: 13, rank: 5, src, dst };
		const job = randomJob(s, 42);
		mergeRowRange(job, 0, job.rows);
		const out = new Float32Array(job.dst.buffer);
		const base = (i: number) =>
			src === 'f32'
				? new Float32Array(job.src.buffer)[i]
				: (src === 'f16' ? naiveF16Decode : naiveBf16Decode)(new Uint16Array(job.src.buffer)[i]);
		for (let row = 0; row < s.rows; row++) {
			const p = job.parts.find((x) => row >= x.rowStart && row < x.rowEnd);
			for (let j = 0; j < s.cols; j++) {
				let delta = 0,
					mag = 0;
				if (p) {
					for (let k = 0; k < p.rank; k++) {
						const t = p.scale * p.b[(row - p.rowStart) * p.rank + k] * p.a[k * s.cols + j];
						delta += t;
						mag += Math.abs(t);
					}
				}
				const w = base(row * s.cols + j);
				// each float32 product and sum rounds by at most 2^-24 of what it holds
				const tol = p ? (p.rank + 2) * (Math.abs(w) + mag) * 2 ** -24 : 0;
				expect(Math.abs(out[row * s.cols + j] - (w + delta))).toBeLessThanOrEqual(tol);
			}
		}
	});
});

describe('subJob and splitRowsKernel', () => {
	test('subJob clips and re-bases parts, views the row range, refuses bad ranges', () => {
		const job = randomJob({ rows: 20, cols: 6, rank: 2, src: 'f16', dst: 'f16' }, 11);
		const { job: sj, partIndex } = subJob(job, 5, 12);
		expect(sj.rows).toBe(7);
		expect(sj.src.byteOffset - job.src.byteOffset).toBe(5 * 6 * 2);
		expect(sj.dst.length).toBe(7 * 6 * 2);
		sj.parts.forEach((p, i) => {
			const o = job.parts[partIndex[i]];
			expect(p.rowStart + 5).toBe(Math.max(5, o.rowStart));
			expect(p.rowEnd + 5).toBe(Math.min(12, o.rowEnd));
			expect([...p.b]).toEqual([...o.b.subarray((p.rowStart + 5 - o.rowStart) * 2, (p.rowEnd + 5 - o.rowStart) * 2)]);
		});
		expect(() => subJob(job, 3, 21)).toThrow(RangeError);
		expect(() => subJob(job, 4, 3)).toThrow(RangeError);
	});

	test.each([1, 2, 3, 5])('%i executors: same bytes as one kernel, sums equal to 1e-12', async (n) => {
		const job = randomJob({ rows: 301, cols: 37, rank: 6, src: 'f16', dst: 'f16' }, 77);
		const ref = freshDst(job),
			got = freshDst(job);
		const refSums = mergeRowRange(ref, 0, job.rows);
		const calls: number[] = [];
		const executors: MergeKernel[] = Array.from({ length: n }, (_, i) => ({
			async merge(j) {
				calls.push(i);
				return i % 2 ? scalarMergeKernel.merge(j) : new SimdMergeKernel().merge(j);
			}
		}));
		const sums = await splitRowsKernel(executors, 10).merge(got);
		expect(new Set(calls).size).toBe(n);
		expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
		sums.forEach((s, i) => {
			expect(s.elements).toBe(refSums[i].elements);
			for (const k of ['dot', 'storedSq', 'intendedSq', 'diffSq'] as const) {
				expect(Math.abs(s[k] - refSums[i][k])).toBeLessThanOrEqual(Math.abs(refSums[i][k]) * 1e-12);
			}
		});
	});

	test('small jobs use fewer executors; an empty executor list is refused', async () => {
		const job = randomJob({ rows: 15, cols: 4, rank: 1, src: 'f16', dst: 'f16' }, 8);
		const used = new Set<number>();
		const ex: MergeKernel[] = [0, 1, 2].map((i) => ({ merge: async (j) => (used.add(i), mergeRowRange(j, 0, j.rows)) }));
		await splitRowsKernel(ex, 8).merge(job);
		expect(used.size).toBe(1);
		expect(() => splitRowsKernel([])).toThrow(RangeError);
	});
});

describe('carried sums (MergeJob.carry): a tensor merged in row pieces', () => {
	// one f32 row [1, 2, 3, 4] + 1 · [0.5] · [1, 1, 1, 1]: stored − w = d = 0.5 in every column, exactly, so
	// dot = storedSq = intendedSq = 4 · 0.25 = 1, diffSq = 0, over 4 elements
	const oneRow = (carry?: MergeJob['carry']): MergeJob => ({
		rows: 1,
		cols: 4,
		src: new Uint8Array(new Float32Array([1, 2, 3, 4]).buffer),
		srcEncoding: 'f32',
		dst: new Uint8Array(16),
		dstEncoding: 'f32',
		parts: [{ rowStart: 0, rowEnd: 1, rank: 1, scale: 1, a: new Float32Array([1, 1, 1, 1]), b: new Float32Array([0.5]) }],
		...(carry ? { carry } : {})
	});
	const carried = { dot: 10, storedSq: 20, intendedSq: 30, diffSq: 40, elements: 100 };

	test.each([
		['SIMD', simd],
		['scalar', scalarMergeKernel]
	] as [string, MergeKernel][])('%s: the returned sums continue the carried totals; the carry itself is not changed', async (_, kernel) => {
		expect(await kernel.merge(oneRow())).toEqual([{ dot: 1, storedSq: 1, intendedSq: 1, diffSq: 0, elements: 4 }]);
		const carry = { ...carried };
		expect(await kernel.merge(oneRow([carry]))).toEqual([{ dot: 11, storedSq: 21, intendedSq: 31, diffSq: 40, elements: 104 }]);
		expect(carry).toEqual(carried);
		expect(await kernel.merge(oneRow([undefined]))).toEqual([{ dot: 1, storedSq: 1, intendedSq: 1, diffSq: 0, elements: 4 }]);
	});

	test.each([
		['SIMD', simd],
		['scalar', scalarMergeKernel]
	] as [string, MergeKernel][])(
		'%s: pieces of 7 rows, each carrying the last, give one job’s bytes and sums bit for bit',
		async (_, kernel) => {
			const job = randomJob({ rows: 61, cols: 45, rank: 5, src: 'bf16', dst: 'f16' }, 91);
			const ref = freshDst(job),
				got = freshDst(job);
			const refSums = await kernel.merge(ref);
			const running: MergeJob['carry'] = job.parts.map(() => undefined);
			for (let r0 = 0; r0 < job.rows; r0 += 7) {
				const piece = subJob(got, r0, Math.min(job.rows, r0 + 7));
				const res = await kernel.merge({ ...piece.job, carry: piece.partIndex.map((i) => running[i]) });
				res.forEach((s, k) => (running[piece.partIndex[k]] = s));
			}
			expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
			expect(running).toEqual(refSums);
		}
	);

	test('splitRowsKernel counts a carry once, in the first share that has the part', async () => {
		const job = randomJob({ rows: 40, cols: 12, rank: 3, src: 'f16', dst: 'f16' }, 5);
		const plain = await splitRowsKernel([simd, simd, simd], 4).merge(freshDst(job));
		const carry = job.parts.map(() => ({ ...carried }));
		const sums = await splitRowsKernel([simd, simd, simd], 4).merge({ ...freshDst(job), carry });
		sums.forEach((s, i) => {
			expect(s.elements).toBe(plain[i].elements + 100);
			for (const k of ['dot', 'storedSq', 'intendedSq', 'diffSq'] as const) expect(s[k]).toBeCloseTo(plain[i][k] + carried[k], 9);
		});
	});
});
