// Conversions between float32 and the 16-bit float formats in weight files (f16, bf16), in bulk.
// Table-driven and allocation-free per element: the derivation converts hundreds of millions of values.
// Pure TS (Node 20 has no Float16Array); must not import svelte, dexie, DOM, worker or web-llm code.
//
// bf16 rounding follows tvm's tvmjs dumper (apache/tvm python/tvm/contrib/tvmjs.py,
// `_convert_f32_to_bf16`, lines ~45-60): round to nearest even by adding 0x7FFF + lsb to the f32
// bits, but only while |v| < 0x7F7F0000 (the largest bf16 below f32 max); outside that range
// (huge values, ±Inf, NaN) the bits are truncated, so huge finite values clip instead of becoming Inf.

let f16Table: Float32Array | undefined;

/** Float32 value of every f16 bit pattern, built once (256 KiB). */
function f16ToF32Table(): Float32Array {
	if (f16Table) return f16Table;
	const table = new Float32Array(65536);
	const bits = new Uint32Array(table.buffer);
	for (let h = 0; h < 65536; h++) {
		const sign = (h & 0x8000) << 16;
		const exp = (h >>> 10) & 0x1f;
		const mant = h & 0x3ff;
		if (exp === 0x1f) {
			bits[h] = sign | 0x7f800000 | (mant << 13);
		} else if (exp !== 0) {
			bits[h] = sign | ((exp + 112) << 23) | (mant << 13);
		} else {
			// zero or subnormal: mant · 2^-24, exact in f32
			table[h] = (sign ? -mant : mant) * 2 ** -24;
			if (mant === 0) bits[h] = sign;
		}
	}
	f16Table = table;
	return table;
}

function f32BitsView(values: Float32Array): Uint32Array {
	return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

function checkDst<T extends { length: number }>(dst: T, length: number, what: string): T {
	if (dst.length < length) {
		throw new RangeError(`${what} holds ${dst.length} elements but ${length} are needed`);
	}
	return dst;
}

/** Widens f16 bit patterns to float32 (exact). @returns `dst` (allocated when omitted). */
export function f16BitsToF32(src: Uint16Array, dst?: Float32Array): Float32Array {
	const out = dst ? checkDst(dst, src.length, 'dst') : new Float32Array(src.length);
	const table = f16ToF32Table();
	for (let i = 0; i < src.length; i++) out[i] = table[src[i]];
	return out;
}

/** Rounds one f32 bit pattern to f16 bits, round to nearest even; NaN stays NaN, overflow → ±Inf. */
export function f32BitsToF16Bits(x: number): number {
	const sign = (x >>> 16) & 0x8000;
	const abs = x & 0x7fffffff;
	if (abs >= 0x47800000) {
		// ≥ 65536, Inf or NaN (values in [65520, 65536) overflow through the rounding carry below)
		if (abs > 0x7f800000) return sign | 0x7e00 | ((abs >>> 13) & 0x3ff);
		return sign | 0x7c00;
	}
	if (abs < 0x38800000) {
		// result is subnormal or zero: value / 2^-24 rounded to an integer
		if (abs <= 0x33000000) return sign; // ≤ 2^-25 rounds to (even) zero
		const exp = abs >>> 23;
		const sig = (abs & 0x7fffff) | 0x800000;
		const shift = 126 - exp; // 14..24
		let h = sig >>> shift;
		const rem = sig & ((1 << shift) - 1);
		const half = 1 << (shift - 1);
		if (rem > half || (rem === half && (h & 1) === 1)) h++;
		return sign | h;
	}
	let h = ((abs - 0x38000000) >>> 13) & 0xffff; // rebias exponent 127 → 15
	const rem = abs & 0x1fff;
	if (rem > 0x1000 || (rem === 0x1000 && (h & 1) === 1)) h++;
	return sign | h;
}

/** Rounds float32 values to f16 bits (nearest even, subnormals, ±Inf, NaN). @returns `dst`. */
export function f32ToF16Bits(src: Float32Array, dst?: Uint16Array): Uint16Array {
	const out = dst ? checkDst(dst, src.length, 'dst') : new Uint16Array(src.length);
	const bits = f32BitsView(src);
	for (let i = 0; i < bits.length; i++) {
		const x = bits[i];
		const abs = x & 0x7fffffff;
		// fast path: normal f16 results
		if (abs >= 0x38800000 && abs < 0x477ff000) {
			// add 0xFFF plus the kept lsb, then drop 13 bits: round to nearest even, carry included
			out[i] = ((x >>> 16) & 0x8000) | ((abs - 0x38000000 + 0xfff + ((abs >>> 13) & 1)) >>> 13);
		} else {
			out[i] = f32BitsToF16Bits(x);
		}
	}
	return out;
}

/** Widens bf16 bit patterns to float32 (exact: the bits shifted up). @returns `dst`. */
export function bf16BitsToF32(src: Uint16Array, dst?: Float32Array): Float32Array {
	const out = dst ? checkDst(dst, src.length, 'dst') : new Float32Array(src.length);
	const bits = f32BitsView(out);
	for (let i = 0; i < src.length; i++) bits[i] = src[i] << 16;
	return out;
}

/** Rounds one f32 bit pattern to bf16 bits exactly as tvmjs does (see header). */
export function f32BitsToBf16Bits(x: number): number {
	const abs = x & 0x7fffffff;
	if (abs < 0x7f7f0000) return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
	return x >>> 16;
}

/** Rounds float32 values to bf16 bits as tvm/mlc store float32 params. @returns `dst`. */
export function f32ToBf16Bits(src: Float32Array, dst?: Uint16Array): Uint16Array {
	const out = dst ? checkDst(dst, src.length, 'dst') : new Uint16Array(src.length);
	const bits = f32BitsView(src);
	for (let i = 0; i < bits.length; i++) {
		const x = bits[i];
		out[i] = (x & 0x7fffffff) < 0x7f7f0000 ? (x + 0x7fff + ((x >>> 16) & 1)) >>> 16 : x >>> 16;
	}
	return out;
}

const scratchF32 = new Float32Array(1);
const scratchBits = new Uint32Array(scratchF32.buffer);

/** Rounds a number to the nearest f16 value (via f32, which is exact for the ops we emulate). */
export function roundToF16(value: number): number {
	scratchF32[0] = value;
	return f16ToF32Table()[f32BitsToF16Bits(scratchBits[0])];
}

/** Rounds a number to the nearest bf16 value as tvmjs stores it. */
export function roundToBf16(value: number): number {
	scratchF32[0] = value;
	scratchBits[0] = f32BitsToBf16Bits(scratchBits[0]) << 16;
	return scratchF32[0];
}

/** Index of the first NaN or ±Inf in `values`, or -1 when every value is finite. */
export function findNonFinite(values: Float32Array | Float64Array): number {
	for (let i = 0; i < values.length; i++) {
		const v = values[i];
		if (v - v !== 0) return i; // NaN - NaN and Inf - Inf are NaN
	}
	return -1;
}
