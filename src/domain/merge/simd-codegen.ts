// Generates the WebAssembly SIMD merge kernel: per row, decode 4 base values (f16/bf16/f32) to f32,
// add Σk c[k]·A'[k] (c = fround(scale·B[row,k]), ranks in order, f32 mul then add), encode f16 (round
// to nearest even, exactly as weights/dtypes f32ToF16Bits) and accumulate the fidelity sums in f32
// lanes (lane = column mod 4), flushed per row into float64 totals. Pure TS: no svelte/dexie/DOM/node:.

import { Code, encodeModule, type FuncDef, type ValType } from './wasm-encoder.ts';

export type SimdSrc = 'f16' | 'bf16' | 'f32';
export type SimdDst = 'f16' | 'f32';

const SRC_BYTES: Record<SimdSrc, number> = { f16: 2, bf16: 2, f32: 4 };
const DST_BYTES: Record<SimdDst, number> = { f16: 2, f32: 4 };
/** Chunks of 4 columns interleaved in the main loop: independent add chains hide the add latency. */
export const GROUP = 4;
/** Ranks per pass of the run-time rank loop (measured: 2 beats 1 and 4; full unrolling was 1.5× slower). */
const UNROLL = 2;

/** Columns per block: a multiple of 4·GROUP whose A' slice (cols · rank · 4 bytes) is about 16 KiB. */
export function columnBlock(rank: number): number {
	return Math.max(4 * GROUP, Math.floor(4096 / rank / (4 * GROUP)) * 4 * GROUP);
}

class Locals {
	readonly types: ValType[] = [];
	constructor(readonly paramCount: number) {}
	add(t: ValType): number {
		this.types.push(t);
		return this.paramCount + this.types.length - 1;
	}
}

/** f16 bits (i32 lanes, zero-extended) in local h → f32x4 on the stack; exact incl. subnormals/Inf/NaN. */
function emitDecodeF16(c: Code, h: number, e: number, x: number): void {
	c.get(h).i32x4Const(0x7fff).v128And().i32Const(13).i32x4Shl().tee(e);
	c.i32x4Const(0x0f800000).v128And().set(x);
	// rebias exponent 15 → 127; Inf/NaN get a second rebias so the exponent is all ones
	c.get(e).i32x4Const(0x38000000).i32x4Add();
	c.get(x).i32x4Const(0x0f800000).i32x4Eq().i32x4Const(0x38000000).v128And().i32x4Add().set(e);
	// zero/subnormal: (2^-14 · (1 + m/1024)) − 2^-14 = m · 2^-24, exact and without f32 subnormals
	c.get(e).i32x4Const(0x00800000).i32x4Add().i32x4Const(0x38800000).f32x4Sub();
	c.get(e);
	c.get(x).i32x4Const(0).i32x4Eq();
	c.v128Bitselect();
	c.get(h).i32x4Const(0x8000).v128And().i32Const(16).i32x4Shl().v128Or();
}

/** f32x4 in local m → f16 bits (i32 lanes) on the stack, round to nearest even. */
function emitEncodeF16(c: Code, m: number, a: number, n: number, u: number, b: number): void {
	c.get(m).i32x4Const(0x7fffffff).v128And().set(a);
	// normal results: rebias, add 0xfff + kept lsb, drop 13 bits (carry into the exponent included)
	c.get(a)
		.i32x4Const(0xfff - 0x38000000)
		.i32x4Add();
	c.get(a).i32Const(13).i32x4ShrU().i32x4Const(1).v128And().i32x4Add().i32Const(13).i32x4ShrU().set(n);
	// subnormal results: |x| + 0.5 rounds (nearest even) at 2^-24, the f16 subnormal step
	c.get(a).i32x4Const(0x3f000000).f32x4Add().i32x4Const(0x3f000000).i32x4Sub().set(u);
	// ≥ 65536: Inf, or NaN keeping its top payload bits and the quiet bit
	c.get(a).i32Const(13).i32x4ShrU().i32x4Const(0x3ff).v128And().i32x4Const(0x7e00).v128Or();
	c.i32x4Const(0x7c00);
	c.get(a).i32x4Const(0x7f800000).i32x4GtS();
	c.v128Bitselect().set(b);
	c.get(u).get(b).get(n);
	c.get(a).i32x4Const(0x47800000).i32x4GeS().v128Bitselect();
	c.get(a).i32x4Const(0x38800000).i32x4LtS().v128Bitselect();
	c.get(m).i32Const(16).i32x4ShrU().i32x4Const(0x8000).v128And().v128Or();
}

interface Temps {
	h: number;
	e: number;
	x: number;
	a: number;
	n: number;
	u: number;
	b: number;
}

function temps(l: Locals): Temps {
	return { h: l.add('v128'), e: l.add('v128'), x: l.add('v128'), a: l.add('v128'), n: l.add('v128'), u: l.add('v128'), b: l.add('v128') };
}

/** Loads 4 source values at local ptr + offset and leaves them as f32x4 on the stack. */
function emitLoadSrc(c: Code, src: SimdSrc, ptr: number, offset: number, t: Temps): void {
	if (src === 'f32') {
		c.get(ptr).v128Load(offset);
	} else if (src === 'bf16') {
		c.get(ptr).v128Load16x4U(offset).i32Const(16).i32x4Shl();
	} else {
		c.get(ptr).v128Load16x4U(offset).set(t.h);
		emitDecodeF16(c, t.h, t.e, t.x);
	}
}

/**
 * merge(srcPtr, dstPtr, bPtr, aPtr, rows, cols, sumsPtr, accPtr, dstStride): rows × cols of one part.
 * src rows are row-major in `src` encoding; b holds rank scaled coefficients per row (f32); a is
 * A' = A in chunk-major layout [ceil(cols/4)][rank][4] f32, zero-padded; sums are 4 float64
 * (dot, storedSq, intendedSq, diffSq) read and updated; accPtr is 64 bytes of scratch per row. Reads up to 16 bytes past a row and writes
 * up to 8 (f16) / 16 (f32) bytes past the last row: callers leave slack.
 */
function mergeFunc(src: SimdSrc, dst: SimdDst, rank: number): FuncDef {
	const [srcPtr, dstPtr, bPtr, aPtr, rows, cols, sumsPtr, accPtr, dstStride] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
	const l = new Locals(9);
	const row = l.add('i32'),
		rem = l.add('i32'),
		ps = l.add('i32'),
		pd = l.add('i32');
	const cs = l.add('i32'),
		ce = l.add('i32'),
		pacc = l.add('i32');
	const kb = l.add('i32'),
		ka = l.add('i32'),
		kn = l.add('i32');
	const blockCols = columnBlock(rank);
	const pa = l.add('i32'),
		pb = l.add('i32');
	const tot = [l.add('f64'), l.add('f64'), l.add('f64'), l.add('f64')];
	const acc = [l.add('v128'), l.add('v128'), l.add('v128'), l.add('v128')];
	const d = Array.from({ length: GROUP }, () => l.add('v128'));
	const cv = l.add('v128'),
		w = l.add('v128'),
		m = l.add('v128'),
		st = l.add('v128');
	const sj = l.add('v128'),
		ij = l.add('v128'),
		mask = l.add('v128'),
		hb = l.add('v128');
	const t = temps(l);
	const sb = SRC_BYTES[src],
		db = DST_BYTES[dst];
	const c = new Code();

	const group = (g: number, masked: boolean) => {
		for (let i = 0; i < g; i++) c.i32x4Const(0).set(d[i]);
		// ranks in a run-time loop, UNROLL per pass: a fully unrolled body lets V8 hoist every load
		// to the top and spill them
		const passes = Math.floor(rank / UNROLL);
		const body = (k: number, kp: number, ap: number) => {
			c.get(kp)
				.v128Load32Splat(4 * k)
				.set(cv);
			for (let i = 0; i < g; i++) {
				c.get(d[i])
					.get(cv)
					.get(ap)
					.v128Load(16 * (i * rank + k))
					.f32x4Mul()
					.f32x4Add()
					.set(d[i]);
			}
		};
		if (passes > 0) {
			c.get(pb).set(kb).get(pa).set(ka).i32Const(passes).set(kn);
			c.loop();
			for (let k = 0; k < UNROLL; k++) body(k, kb, ka);
			c.get(kb)
				.i32Const(4 * UNROLL)
				.i32Add()
				.set(kb);
			c.get(ka)
				.i32Const(16 * UNROLL)
				.i32Add()
				.set(ka);
			c.get(kn).i32Const(1).i32Sub().tee(kn).brIf(0);
			c.end();
		}
		for (let k = passes * UNROLL; k < rank; k++) body(k, pb, pa);
		for (let i = 0; i < g; i++) {
			emitLoadSrc(c, src, ps, 4 * sb * i, t);
			c.tee(w).get(d[i]).f32x4Add().set(m);
			if (dst === 'f16') {
				// all four lanes normal in f16 (the usual case): round in the f32 bits, which is also the
				// stored value; otherwise the full encoder and decoder
				c.get(m).i32x4Const(0x7fffffff).v128And().i32x4Const(0x38800000).i32x4Sub();
				c.i32x4Const(0x477ff000 - 0x38800000)
					.i32x4LtU()
					.i32x4AllTrue()
					.if();
				c.get(m).get(m).i32Const(13).i32x4ShrU().i32x4Const(1).v128And().i32x4Add();
				c.i32x4Const(0xfff).i32x4Add().i32x4Const(~0x1fff).v128And().tee(st);
				c.i32x4Const(0x7fffffff)
					.v128And()
					.i32Const(13)
					.i32x4ShrU()
					.i32x4Const(112 << 10)
					.i32x4Sub();
				c.get(st).i32Const(16).i32x4ShrU().i32x4Const(0x8000).v128And().v128Or().set(hb);
				c.else();
				emitEncodeF16(c, m, t.a, t.n, t.u, t.b);
				c.set(hb);
				emitDecodeF16(c, hb, t.e, t.x);
				c.set(st);
				c.end();
				c.get(pd)
					.get(hb)
					.get(hb)
					.i16x8NarrowI32x4U()
					.v128Store64Lane(8 * i, 0);
			} else {
				c.get(pd)
					.get(m)
					.v128Store(16 * i);
				c.get(m).set(st);
			}
			c.get(st).get(w).f32x4Sub();
			if (masked) c.get(mask).v128And();
			c.set(sj);
			c.get(d[i]);
			if (masked) c.get(mask).v128And();
			c.set(ij);
			c.get(acc[0]).get(sj).get(ij).f32x4Mul().f32x4Add().set(acc[0]);
			c.get(acc[1]).get(sj).get(sj).f32x4Mul().f32x4Add().set(acc[1]);
			c.get(acc[2]).get(ij).get(ij).f32x4Mul().f32x4Add().set(acc[2]);
			c.get(sj).get(ij).f32x4Sub().set(sj);
			c.get(acc[3]).get(sj).get(sj).f32x4Mul().f32x4Add().set(acc[3]);
		}
		c.get(ps)
			.i32Const(4 * sb * g)
			.i32Add()
			.set(ps);
		c.get(pd)
			.i32Const(4 * db * g)
			.i32Add()
			.set(pd);
		c.get(pa)
			.i32Const(16 * rank * g)
			.i32Add()
			.set(pa);
		c.get(rem)
			.i32Const(4 * g)
			.i32Sub()
			.set(rem);
	};

	for (let s = 0; s < 4; s++)
		c.get(sumsPtr)
			.f64Load(8 * s)
			.set(tot[s]);
	// column blocks: every row of the call goes through columns [cs, ce) before the next block, so
	// that block of A' stays in L1; a row's lane sums wait at accPtr + 64·row between blocks
	c.i32Const(0).set(cs);
	c.block().loop();
	c.get(cs).get(cols).i32GeS().brIf(1);
	c.get(cs).i32Const(blockCols).i32Add().get(cols).get(cs).i32Const(blockCols).i32Add().get(cols).i32LtS().select().set(ce);
	c.i32Const(0).set(row);
	c.block().loop();
	c.get(row).get(rows).i32GeS().brIf(1);
	c.get(accPtr).get(row).i32Const(64).i32Mul().i32Add().set(pacc);
	c.get(cs).i32Eqz().if();
	for (let s = 0; s < 4; s++) c.i32x4Const(0).set(acc[s]);
	c.else();
	for (let s = 0; s < 4; s++)
		c.get(pacc)
			.v128Load(16 * s)
			.set(acc[s]);
	c.end();
	c.get(srcPtr).get(row).get(cols).i32Mul().get(cs).i32Add().i32Const(sb).i32Mul().i32Add().set(ps);
	c.get(dstPtr).get(row).get(dstStride).i32Mul().i32Add().get(cs).i32Const(db).i32Mul().i32Add().set(pd);
	c.get(bPtr)
		.get(row)
		.i32Const(4 * rank)
		.i32Mul()
		.i32Add()
		.set(pb);
	c.get(aPtr)
		.get(cs)
		.i32Const(4 * rank)
		.i32Mul()
		.i32Add()
		.set(pa);
	c.get(ce).get(cs).i32Sub().set(rem);
	// main loop: GROUP full chunks at a time
	c.block().loop();
	c.get(rem)
		.i32Const(4 * GROUP)
		.i32LtS()
		.brIf(1);
	group(GROUP, false);
	c.br(0).end().end();
	// tail (last block only): single chunks, the last one masked to the columns that exist
	c.block().loop();
	c.get(rem).i32Const(0).i32LeS().brIf(1);
	c.get(rem).i32x4Splat().i32x4Const(0, 1, 2, 3).i32x4GtS().set(mask);
	group(1, true);
	c.br(0).end().end();
	c.get(ce).get(cols).i32Eq().if();
	for (let s = 0; s < 4; s++) {
		for (let lane = 0; lane < 4; lane++) {
			c.get(tot[s]).get(acc[s]).f32x4ExtractLane(lane).f64PromoteF32().f64Add().set(tot[s]);
		}
	}
	c.else();
	for (let s = 0; s < 4; s++)
		c.get(pacc)
			.get(acc[s])
			.v128Store(16 * s);
	c.end();
	c.get(row).i32Const(1).i32Add().set(row);
	c.br(0).end().end();
	c.get(ce).set(cs);
	c.br(0).end().end();
	for (let s = 0; s < 4; s++)
		c.get(sumsPtr)
			.get(tot[s])
			.f64Store(8 * s);
	return { exportName: 'merge', params: ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32'], locals: l.types, code: c };
}

/** convert(srcPtr, dstPtr, n): f16 → f32 (op 'decode') or f32 → f16 (op 'encode'), n a multiple of 4. */
function convertFunc(op: 'decode' | 'encode'): FuncDef {
	const [srcPtr, dstPtr, n] = [0, 1, 2];
	const l = new Locals(3);
	const i = l.add('i32'),
		m = l.add('v128'),
		v = l.add('v128');
	const t = temps(l);
	const c = new Code();
	c.i32Const(0).set(i);
	c.block().loop();
	c.get(i).get(n).i32GeS().brIf(1);
	if (op === 'decode') {
		c.get(dstPtr);
		c.get(srcPtr).v128Load16x4U().set(t.h);
		emitDecodeF16(c, t.h, t.e, t.x);
		c.v128Store();
		c.get(srcPtr).i32Const(8).i32Add().set(srcPtr);
		c.get(dstPtr).i32Const(16).i32Add().set(dstPtr);
	} else {
		c.get(srcPtr).v128Load().set(m);
		emitEncodeF16(c, m, t.a, t.n, t.u, t.b);
		c.tee(v).get(v).i16x8NarrowI32x4U().set(v);
		c.get(dstPtr).get(v).v128Store64Lane(0, 0);
		c.get(srcPtr).i32Const(16).i32Add().set(srcPtr);
		c.get(dstPtr).i32Const(8).i32Add().set(dstPtr);
	}
	c.get(i).i32Const(4).i32Add().set(i);
	c.br(0).end().end();
	return { exportName: op, params: ['i32', 'i32', 'i32'], locals: l.types, code: c };
}

/** Module bytes exporting `merge` for one (source, destination, rank). */
export function mergeModuleBytes(src: SimdSrc, dst: SimdDst, rank: number): Uint8Array {
	if (!Number.isInteger(rank) || rank < 1 || rank > 4096) throw new RangeError(`rank must be 1..4096, got ${rank}`);
	return encodeModule([mergeFunc(src, dst, rank)]);
}

/** Module bytes exporting `decode` (f16 → f32) and `encode` (f32 → f16), used by tests and tools. */
export function convertModuleBytes(): Uint8Array {
	return encodeModule([convertFunc('decode'), convertFunc('encode')]);
}

export const SIMD_SRC_BYTES = SRC_BYTES;
export const SIMD_DST_BYTES = DST_BYTES;
