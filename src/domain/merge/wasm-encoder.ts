// A tiny WebAssembly binary encoder: just enough to emit the merge kernel's functions at run time
// (module header, import/type/func/export/code sections, LEB128, core and 0xFD SIMD opcodes).
// Spec: WebAssembly Core 2.0 §5 (binary format) and the fixed-width SIMD proposal's opcode table.
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128';

const VALTYPE: Record<ValType, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b };

/** Unsigned LEB128 (§5.2.2). */
export function uleb(n: number): number[] {
	if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uleb needs a non-negative integer, got ${n}`);
	const out: number[] = [];
	do {
		let byte = n % 128;
		n = Math.floor(n / 128);
		if (n > 0) byte |= 0x80;
		out.push(byte);
	} while (n > 0);
	return out;
}

/** Signed LEB128 for 32-bit constants (§5.2.2). */
export function sleb(n: number): number[] {
	if (!Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) throw new RangeError(`sleb needs an int32, got ${n}`);
	let v = n | 0;
	const out: number[] = [];
	for (;;) {
		const byte = v & 0x7f;
		v >>= 7;
		if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
			out.push(byte);
			return out;
		}
		out.push(byte | 0x80);
	}
}

function name(s: string): number[] {
	const bytes = [...new TextEncoder().encode(s)];
	return [...uleb(bytes.length), ...bytes];
}

function vec(items: number[][]): number[] {
	return [...uleb(items.length), ...items.flat()];
}

function section(id: number, body: number[]): number[] {
	return [id, ...uleb(body.length), ...body];
}

/** Instruction emitter for one function body; the methods push opcodes (§5.4). */
export class Code {
	readonly bytes: number[] = [];
	#op(...b: number[]): this {
		this.bytes.push(...b);
		return this;
	}
	#simd(op: number, ...imm: number[]): this {
		return this.#op(0xfd, ...uleb(op), ...imm);
	}
	// control
	block(): this {
		return this.#op(0x02, 0x40);
	}
	loop(): this {
		return this.#op(0x03, 0x40);
	}
	end(): this {
		return this.#op(0x0b);
	}
	if(): this {
		return this.#op(0x04, 0x40);
	}
	else(): this {
		return this.#op(0x05);
	}
	br(depth: number): this {
		return this.#op(0x0c, ...uleb(depth));
	}
	brIf(depth: number): this {
		return this.#op(0x0d, ...uleb(depth));
	}
	// variables
	get(i: number): this {
		return this.#op(0x20, ...uleb(i));
	}
	set(i: number): this {
		return this.#op(0x21, ...uleb(i));
	}
	tee(i: number): this {
		return this.#op(0x22, ...uleb(i));
	}
	// scalar memory (align = log2 bytes)
	f64Load(offset = 0): this {
		return this.#op(0x2b, 3, ...uleb(offset));
	}
	f64Store(offset = 0): this {
		return this.#op(0x39, 3, ...uleb(offset));
	}
	// scalar numeric
	i32Const(n: number): this {
		return this.#op(0x41, ...sleb(n));
	}
	select(): this {
		return this.#op(0x1b);
	}
	i32Eqz(): this {
		return this.#op(0x45);
	}
	i32Eq(): this {
		return this.#op(0x46);
	}
	i32LtS(): this {
		return this.#op(0x48);
	}
	i32GtS(): this {
		return this.#op(0x4a);
	}
	i32LeS(): this {
		return this.#op(0x4c);
	}
	i32GeS(): this {
		return this.#op(0x4e);
	}
	i32Add(): this {
		return this.#op(0x6a);
	}
	i32Sub(): this {
		return this.#op(0x6b);
	}
	i32Mul(): this {
		return this.#op(0x6c);
	}
	f64Add(): this {
		return this.#op(0xa0);
	}
	f64PromoteF32(): this {
		return this.#op(0xbb);
	}
	// SIMD memory
	v128Load(offset = 0, align = 0): this {
		return this.#simd(0x00, align, ...uleb(offset));
	}
	v128Load16x4U(offset = 0): this {
		return this.#simd(0x04, 0, ...uleb(offset));
	}
	v128Load32Splat(offset = 0): this {
		return this.#simd(0x09, 0, ...uleb(offset));
	}
	v128Store(offset = 0): this {
		return this.#simd(0x0b, 0, ...uleb(offset));
	}
	v128Store64Lane(offset: number, lane: number): this {
		return this.#simd(0x5b, 0, ...uleb(offset), lane);
	}
	v128Const(bytes: number[]): this {
		if (bytes.length !== 16) throw new RangeError('v128.const needs 16 bytes');
		return this.#simd(0x0c, ...bytes);
	}
	/** v128.const of four i32 lanes. */
	i32x4Const(a: number, b = a, c = a, d = a): this {
		const v = new Uint8Array(new Int32Array([a | 0, b | 0, c | 0, d | 0]).buffer);
		return this.v128Const([...v]);
	}
	// SIMD lanes and bitwise
	i32x4Splat(): this {
		return this.#simd(0x11);
	}
	f32x4ExtractLane(lane: number): this {
		return this.#simd(0x1f, lane);
	}
	i32x4Eq(): this {
		return this.#simd(0x37);
	}
	i32x4LtS(): this {
		return this.#simd(0x39);
	}
	i32x4LtU(): this {
		return this.#simd(0x3a);
	}
	i32x4GtS(): this {
		return this.#simd(0x3b);
	}
	i32x4GeS(): this {
		return this.#simd(0x3f);
	}
	v128And(): this {
		return this.#simd(0x4e);
	}
	v128Or(): this {
		return this.#simd(0x50);
	}
	v128Bitselect(): this {
		return this.#simd(0x52);
	}
	i16x8NarrowI32x4U(): this {
		return this.#simd(0x86);
	}
	i32x4AllTrue(): this {
		return this.#simd(0xa3);
	}
	i32x4Shl(): this {
		return this.#simd(0xab);
	}
	i32x4ShrU(): this {
		return this.#simd(0xad);
	}
	i32x4Add(): this {
		return this.#simd(0xae);
	}
	i32x4Sub(): this {
		return this.#simd(0xb1);
	}
	f32x4Add(): this {
		return this.#simd(0xe4);
	}
	f32x4Sub(): this {
		return this.#simd(0xe5);
	}
	f32x4Mul(): this {
		return this.#simd(0xe6);
	}
}

export interface FuncDef {
	exportName: string;
	params: ValType[];
	/** Extra locals after the params, in order. */
	locals: ValType[];
	code: Code;
}

/**
 * Encodes a module importing one memory as env.memory and exporting each function (no results).
 * @returns the module bytes, ready for `new WebAssembly.Module(bytes)`
 */
export function encodeModule(funcs: FuncDef[], minMemoryPages = 1): Uint8Array {
	const types = funcs.map((f) => [0x60, ...vec(f.params.map((p) => [VALTYPE[p]])), 0x00]);
	const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(minMemoryPages)]]);
	const funcIdx = vec(funcs.map((_, i) => uleb(i)));
	const exports = vec(funcs.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]));
	const bodies = funcs.map((f) => {
		const locals = vec(f.locals.map((t) => [1, VALTYPE[t]]));
		const body = [...locals, ...f.code.bytes, 0x0b];
		return [...uleb(body.length), ...body];
	});
	return new Uint8Array([
		0x00,
		0x61,
		0x73,
		0x6d,
		0x01,
		0x00,
		0x00,
		0x00,
		...section(1, vec(types)),
		...section(2, imports),
		...section(3, funcIdx),
		...section(7, exports),
		...section(10, vec(bodies))
	]);
}
