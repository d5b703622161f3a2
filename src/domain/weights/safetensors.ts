// safetensors reader (header first, tensors on demand through a ByteSource) and a small writer.
// Format: webllm-lora-facts.md §7 and huggingface/safetensors docs ("Format"): u64 LE header size N,
// N bytes of JSON {name: {dtype, shape, data_offsets: [begin, end)}, __metadata__?}, then the data.
// Pure TS; must not import svelte, dexie, DOM, worker, node: or web-llm code.

import { type ByteSource, readIntoBuffer } from './byte-source.ts';
import { bf16BitsToF32, f16BitsToF32, findNonFinite } from './dtypes.ts';
import { SafetensorsError } from './errors.ts';

export type SafetensorsDtype =
	'F32' | 'F16' | 'BF16' | 'I32' | 'I64' | 'U8' | 'I8' | 'BOOL' | 'F64' | 'U32' | 'I16' | 'U16' | (string & {});

/** One tensor; `begin`/`end` are ABSOLUTE byte offsets in the file (not relative to the data). */
export interface SafetensorsEntry {
	name: string;
	dtype: SafetensorsDtype;
	shape: number[];
	begin: number;
	end: number;
}

export interface SafetensorsHeader {
	entries: Map<string, SafetensorsEntry>;
	metadata: Record<string, string>;
	/** Absolute offset of the first data byte (8 + header length). */
	dataStart: number;
}

const DTYPE_BYTES: Record<string, number> = {
	F64: 8,
	I64: 8,
	U64: 8,
	F32: 4,
	I32: 4,
	U32: 4,
	F16: 2,
	BF16: 2,
	I16: 2,
	U16: 2,
	U8: 1,
	I8: 1,
	BOOL: 1,
	F8_E4M3: 1,
	F8_E5M2: 1
};

/** Bytes per element of a safetensors dtype, or undefined when unknown. */
export function safetensorsDtypeBytes(dtype: string): number | undefined {
	return Object.hasOwn(DTYPE_BYTES, dtype) ? DTYPE_BYTES[dtype] : undefined;
}

export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;
/** Deepest nesting a safetensors header needs: {name: {shape: [..]}} is 3; __metadata__ is 2. */
export const MAX_HEADER_DEPTH = 8;

/**
 * A cheap scan of JSON text before JSON.parse: the deepest bracket nesting (strings and escapes
 * respected) and the raw keys of the top-level object, in order (JSON.parse keeps only the last of
 * repeated keys). Stops with depth > maxDepth as soon as the limit is passed.
 */
export function scanJsonStructure(text: string, maxDepth: number): { maxDepth: number; topKeys: string[] } {
	let depth = 0;
	let deepest = 0;
	const topKeys: string[] = [];
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x22 /* " */) {
			const start = i;
			for (i++; i < text.length; i++) {
				const d = text.charCodeAt(i);
				if (d === 0x5c /* \ */) i++;
				else if (d === 0x22) break;
			}
			if (depth === 1) {
				let j = i + 1;
				while (j < text.length && /\s/.test(text[j])) j++;
				if (text[j] === ':') {
					try {
						topKeys.push(JSON.parse(text.slice(start, i + 1)) as string);
					} catch {
						topKeys.push(text.slice(start + 1, i));
					}
				}
			}
		} else if (c === 0x7b || c === 0x5b /* { [ */) {
			depth++;
			if (depth > deepest) deepest = depth;
			if (deepest > maxDepth) return { maxDepth: deepest, topKeys };
		} else if (c === 0x7d || c === 0x5d /* } ] */) {
			depth--;
		}
	}
	return { maxDepth: deepest, topKeys };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseEntry(name: string, raw: unknown, dataStart: number, fileSize: number): SafetensorsEntry {
	const where = `Tensor "${name}"`;
	if (!isPlainObject(raw)) throw new SafetensorsError(`${where} is not a JSON object`);
	const { dtype, shape, data_offsets: offsets } = raw;
	if (typeof dtype !== 'string') throw new SafetensorsError(`${where} has no string dtype`);
	const elemBytes = safetensorsDtypeBytes(dtype);
	if (elemBytes === undefined) throw new SafetensorsError(`${where} has unknown dtype "${dtype}"`);
	if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
		throw new SafetensorsError(`${where} has shape ${JSON.stringify(shape)}; dims must be non-negative integers`);
	}
	if (
		!Array.isArray(offsets) ||
		offsets.length !== 2 ||
		!offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
		offsets[1] < offsets[0]
	) {
		throw new SafetensorsError(`${where} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with 0 <= begin <= end`);
	}
	const elements = (shape as number[]).reduce((a, d) => a * d, 1);
	const expectedBytes = elements * elemBytes;
	const [begin, end] = offsets as number[];
	if (end - begin !== expectedBytes) {
		throw new SafetensorsError(`${where} spans ${end - begin} bytes but shape [${shape.join(', ')}] × ${dtype} needs ${expectedBytes}`);
	}
	if (dataStart + end > fileSize) {
		throw new SafetensorsError(`${where} ends at byte ${dataStart + end} but the file has only ${fileSize} bytes`);
	}
	return { name, dtype, shape: [...(shape as number[])], begin: dataStart + begin, end: dataStart + end };
}

function parseMetadata(raw: unknown): Record<string, string> {
	if (raw === undefined) return {};
	if (!isPlainObject(raw) || !Object.values(raw).every((v) => typeof v === 'string')) {
		throw new SafetensorsError('__metadata__ must be an object of strings');
	}
	return { ...(raw as Record<string, string>) };
}

function checkNoOverlap(entries: SafetensorsEntry[]): void {
	const sorted = entries.filter((e) => e.end > e.begin).sort((a, b) => a.begin - b.begin);
	for (let i = 1; i < sorted.length; i++) {
		if (sorted[i].begin < sorted[i - 1].end) {
			throw new SafetensorsError(`Tensors "${sorted[i - 1].name}" and "${sorted[i].name}" overlap in the data section`);
		}
	}
}

/**
 * Reads and validates the header of a safetensors file without reading tensor data.
 * @param src the file
 * @param opts.maxHeaderBytes refuse larger headers (default 100 MB)
 * @throws SafetensorsError on any structural problem
 */
export async function readSafetensorsHeader(src: ByteSource, opts: { maxHeaderBytes?: number } = {}): Promise<SafetensorsHeader> {
	const maxHeaderBytes = opts.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
	if (src.sizeBytes < 8) {
		throw new SafetensorsError(`File has ${src.sizeBytes} bytes, fewer than the 8-byte header size`);
	}
	const lenBytes = await src.read(0, 8);
	const view = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8);
	const headerLen = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
	if (headerLen > maxHeaderBytes) {
		throw new SafetensorsError(`Header length ${headerLen} exceeds the limit of ${maxHeaderBytes} bytes`);
	}
	if (8 + headerLen > src.sizeBytes) {
		throw new SafetensorsError(`Header length ${headerLen} runs past the end of the ${src.sizeBytes}-byte file`);
	}
	const headerBytes = await src.read(8, headerLen);
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
	} catch (e) {
		throw new SafetensorsError(`Header is not valid UTF-8 JSON (${(e as Error).message})`);
	}
	const scan = scanJsonStructure(text, MAX_HEADER_DEPTH);
	if (scan.maxDepth > MAX_HEADER_DEPTH) {
		throw new SafetensorsError(`Header nests deeper than ${MAX_HEADER_DEPTH} levels; a safetensors header needs 3`);
	}
	const seen = new Set<string>();
	for (const key of scan.topKeys) {
		if (seen.has(key)) {
			throw new SafetensorsError(`Header names tensor ${JSON.stringify(key)} twice; which one is meant is ambiguous`);
		}
		seen.add(key);
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch (e) {
		throw new SafetensorsError(`Header is not valid UTF-8 JSON (${(e as Error).message})`);
	}
	if (!isPlainObject(json)) throw new SafetensorsError('Header JSON is not an object');
	const dataStart = 8 + headerLen;
	const entries = new Map<string, SafetensorsEntry>();
	let metadata: Record<string, string> = {};
	for (const [name, raw] of Object.entries(json)) {
		if (name === '__metadata__') metadata = parseMetadata(raw);
		else entries.set(name, parseEntry(name, raw, dataStart, src.sizeBytes));
	}
	checkNoOverlap([...entries.values()]);
	return { entries, metadata, dataStart };
}

/** Reads one tensor's raw little-endian bytes. */
export async function readTensorBytes(src: ByteSource, entry: SafetensorsEntry): Promise<Uint8Array> {
	const bytes = await src.read(entry.begin, entry.end - entry.begin);
	if (bytes.byteLength !== entry.end - entry.begin) {
		throw new SafetensorsError(`Tensor "${entry.name}" could not be read in full`);
	}
	return bytes;
}

/** Copies bytes into a fresh, aligned buffer viewed as `T` (offsets in files need not be aligned). */
function alignedCopy(bytes: Uint8Array): ArrayBuffer {
	const buf = new ArrayBuffer(bytes.byteLength);
	new Uint8Array(buf).set(bytes);
	return buf;
}

/**
 * Buffers readTensorF32 may reuse from read to read (grown as needed), so reading many tensors in a row
 * leaves no garbage: with one, the result is a view into `out`, valid until the scratch is used again.
 */
export interface TensorScratch {
	raw: Uint8Array;
	out: Float32Array;
}

export function tensorScratch(): TensorScratch {
	return { raw: new Uint8Array(0), out: new Float32Array(0) };
}

/**
 * Reads an F32, F16 or BF16 tensor widened to float32.
 * @param opts.rejectNonFinite throw when a value is NaN or ±Inf
 * @param opts.scratch buffers to read and decode into (the result then lives in scratch.out; see TensorScratch)
 * @throws SafetensorsError for other dtypes or (optionally) non-finite values
 */
export async function readTensorF32(
	src: ByteSource,
	entry: SafetensorsEntry,
	opts: { rejectNonFinite?: boolean; scratch?: TensorScratch } = {}
): Promise<Float32Array> {
	const width = entry.dtype === 'F32' ? 4 : entry.dtype === 'F16' || entry.dtype === 'BF16' ? 2 : 0;
	if (width === 0) {
		throw new SafetensorsError(`Tensor "${entry.name}" has dtype ${entry.dtype}; only F32, F16 and BF16 can be read as floats`);
	}
	let buf: ArrayBuffer;
	let out: Float32Array | undefined;
	const s = opts.scratch;
	if (s) {
		const n = entry.end - entry.begin;
		// a scratch buffer starts at offset 0 of its own ArrayBuffer, so it is aligned for any view
		if (s.raw.byteLength < n) s.raw = new Uint8Array(n);
		if (s.out.length < n / width) s.out = new Float32Array(n / width);
		buf = (await readIntoBuffer(src, entry.begin, s.raw.subarray(0, n))).buffer as ArrayBuffer;
		out = s.out.subarray(0, n / width);
	} else buf = alignedCopy(await readTensorBytes(src, entry));
	const count = (entry.end - entry.begin) / width;
	if (entry.dtype === 'F32') out = out ? (out.set(new Float32Array(buf, 0, count)), out) : new Float32Array(buf);
	else if (entry.dtype === 'F16') out = f16BitsToF32(new Uint16Array(buf, 0, count), out);
	else out = bf16BitsToF32(new Uint16Array(buf, 0, count), out);
	if (opts.rejectNonFinite) {
		const at = findNonFinite(out);
		if (at >= 0) {
			throw new SafetensorsError(`Tensor "${entry.name}" holds ${out[at]} at element ${at}`);
		}
	}
	return out;
}

export interface SafetensorsWriteTensor {
	name: string;
	dtype: 'F32' | 'F16' | 'BF16';
	shape: number[];
	data: Uint8Array;
}

/** Serialises tensors (in the given order) into one safetensors file; the header is space-padded to 8 bytes. */
export function writeSafetensors(tensors: SafetensorsWriteTensor[], metadata?: Record<string, string>): Uint8Array {
	const header: Record<string, unknown> = {};
	if (metadata) header.__metadata__ = metadata;
	let offset = 0;
	for (const t of tensors) {
		const need = t.shape.reduce((a, d) => a * d, 1) * (safetensorsDtypeBytes(t.dtype) ?? 0);
		if (need !== t.data.byteLength) {
			throw new SafetensorsError(`Cannot write "${t.name}": ${t.data.byteLength} bytes given, shape × ${t.dtype} needs ${need}`);
		}
		header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + need] };
		offset += need;
	}
	let json = new TextEncoder().encode(JSON.stringify(header));
	const padded = Math.ceil(json.byteLength / 8) * 8;
	if (padded !== json.byteLength) {
		const p = new Uint8Array(padded).fill(0x20);
		p.set(json);
		json = p;
	}
	const out = new Uint8Array(8 + json.byteLength + offset);
	new DataView(out.buffer).setUint32(0, json.byteLength, true);
	out.set(json, 8);
	let at = 8 + json.byteLength;
	for (const t of tensors) {
		out.set(t.data, at);
		at += t.data.byteLength;
	}
	return out;
}
