// MLC tensor-cache.json: parsing with the structural checks web-llm's loader relies on, and the
// per-record encodings (webllm-lora-facts.md §3; apache/tvm python/tvm/contrib/tvmjs.py
// `dump_tensor_cache` / `load_tensor_cache`). Pure TS; must not import svelte, dexie, DOM, worker or web-llm.

import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from './dtypes.ts';
import { TensorCacheError } from './errors.ts';

export interface TensorCacheRecord {
	name: string;
	shape: number[];
	dtype: string;
	format: string;
	nbytes: number;
	byteOffset: number;
}

export interface TensorCacheShard {
	dataPath: string;
	format: 'raw-shard';
	nbytes: number;
	records: TensorCacheRecord[];
	md5sum?: string;
}

export interface TensorCache {
	metadata: Record<string, unknown>;
	records: TensorCacheShard[];
}

const DTYPE_BYTES: Record<string, number> = {
	float64: 8,
	int64: 8,
	uint64: 8,
	float32: 4,
	int32: 4,
	uint32: 4,
	float16: 2,
	bfloat16: 2,
	int16: 2,
	uint16: 2,
	int8: 1,
	uint8: 1,
	bool: 1
};

/**
 * Bytes one element occupies in a shard: float32 with format "f32-to-bf16" is stored as bf16 (2);
 * every other dtype holds its raw bytes whatever the format label says.
 * @throws TensorCacheError for an unknown dtype
 */
export function storedBytesPerElement(r: Pick<TensorCacheRecord, 'dtype' | 'format'>): number {
	if (r.dtype === 'float32' && r.format === 'f32-to-bf16') return 2;
	const bytes = Object.hasOwn(DTYPE_BYTES, r.dtype) ? DTYPE_BYTES[r.dtype] : undefined;
	if (bytes === undefined) throw new TensorCacheError(`Unknown dtype "${r.dtype}"`);
	return bytes;
}

function isObj(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
	return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function parseRecord(raw: unknown, shard: string, shardBytes: number, i: number): TensorCacheRecord {
	if (!isObj(raw)) throw new TensorCacheError(`Record ${i} of shard "${shard}" is not an object`);
	const { name, shape, dtype, format, nbytes, byteOffset } = raw;
	if (typeof name !== 'string' || name === '') {
		throw new TensorCacheError(`Record ${i} of shard "${shard}" has no name`);
	}
	const where = `Record "${name}"`;
	if (!Array.isArray(shape) || !shape.every(isCount)) {
		throw new TensorCacheError(`${where} has shape ${JSON.stringify(shape)}`);
	}
	if (typeof dtype !== 'string' || typeof format !== 'string') {
		throw new TensorCacheError(`${where} lacks a string dtype or format`);
	}
	if (!isCount(nbytes) || !isCount(byteOffset)) {
		throw new TensorCacheError(`${where} has nbytes or byteOffset that is not a non-negative integer`);
	}
	if (byteOffset + nbytes > shardBytes) {
		throw new TensorCacheError(`${where} spans [${byteOffset}, ${byteOffset + nbytes}) outside shard "${shard}" of ${shardBytes} bytes`);
	}
	const elements = (shape as number[]).reduce((a, d) => a * d, 1);
	const expected = elements * storedBytesPerElement({ dtype, format });
	if (nbytes !== expected) {
		throw new TensorCacheError(`${where} has nbytes ${nbytes}; shape [${shape.join(', ')}] of ${dtype} (${format}) needs ${expected}`);
	}
	return { name, shape: [...(shape as number[])], dtype, format, nbytes, byteOffset };
}

/**
 * Validates a parsed tensor-cache.json.
 * @throws TensorCacheError naming the shard or record at fault
 */
export function parseTensorCache(json: unknown): TensorCache {
	if (!isObj(json)) throw new TensorCacheError('tensor-cache.json is not a JSON object');
	const metadata = json.metadata ?? {};
	if (!isObj(metadata)) throw new TensorCacheError('tensor-cache.json metadata is not an object');
	if (!Array.isArray(json.records)) throw new TensorCacheError('tensor-cache.json has no records list');
	const names = new Set<string>();
	const paths = new Set<string>();
	const shards: TensorCacheShard[] = json.records.map((raw, s) => {
		if (!isObj(raw)) throw new TensorCacheError(`Shard ${s} is not an object`);
		const { dataPath, format, nbytes, records, md5sum } = raw;
		if (typeof dataPath !== 'string' || dataPath === '') {
			throw new TensorCacheError(`Shard ${s} has no dataPath`);
		}
		if (format !== 'raw-shard') {
			throw new TensorCacheError(`Shard "${dataPath}" has format ${JSON.stringify(format)}, not "raw-shard"`);
		}
		if (paths.has(dataPath)) {
			throw new TensorCacheError(`Two shards name the same file "${dataPath}"; each shard needs its own file`);
		}
		paths.add(dataPath);
		if (!isCount(nbytes)) throw new TensorCacheError(`Shard "${dataPath}" has a bad nbytes`);
		if (!Array.isArray(records)) throw new TensorCacheError(`Shard "${dataPath}" has no records list`);
		if (md5sum !== undefined && typeof md5sum !== 'string') {
			throw new TensorCacheError(`Shard "${dataPath}" has a non-string md5sum`);
		}
		const parsed = records.map((r, i) => parseRecord(r, dataPath, nbytes, i));
		for (const r of parsed) {
			if (names.has(r.name)) throw new TensorCacheError(`Record "${r.name}" appears twice`);
			names.add(r.name);
		}
		const shard: TensorCacheShard = { dataPath, format: 'raw-shard', nbytes, records: parsed };
		if (md5sum !== undefined) shard.md5sum = md5sum;
		return shard;
	});
	return { metadata: { ...metadata }, records: shards };
}

function aligned(bytes: Uint8Array): ArrayBuffer {
	const buf = new ArrayBuffer(bytes.byteLength);
	new Uint8Array(buf).set(bytes);
	return buf;
}

/**
 * Decodes a float record's stored bytes to float32: float16, bfloat16, float32 as bf16 ("f32-to-bf16")
 * or raw float32.
 * @throws TensorCacheError for non-float dtypes or a byte count that does not match the shape
 */
export function decodeRecordF32(r: TensorCacheRecord, bytes: Uint8Array): Float32Array {
	const elements = r.shape.reduce((a, d) => a * d, 1);
	const per = storedBytesPerElement(r);
	if (bytes.byteLength !== elements * per) {
		throw new TensorCacheError(`Record "${r.name}" got ${bytes.byteLength} bytes; its shape needs ${elements * per}`);
	}
	if (r.dtype === 'float16') return f16BitsToF32(new Uint16Array(aligned(bytes)));
	if (r.dtype === 'bfloat16' || (r.dtype === 'float32' && per === 2)) {
		return bf16BitsToF32(new Uint16Array(aligned(bytes)));
	}
	if (r.dtype === 'float32') return new Float32Array(aligned(bytes));
	throw new TensorCacheError(`Record "${r.name}" has dtype ${r.dtype}, which is not a float type`);
}

/**
 * Encodes float32 values for a record of the given dtype/format (f16 and bf16 round to nearest even,
 * bf16 as tvmjs does).
 * @throws TensorCacheError for non-float dtypes
 */
export function encodeF32ForRecord(r: Pick<TensorCacheRecord, 'dtype' | 'format'>, values: Float32Array): Uint8Array {
	const per = storedBytesPerElement(r);
	if (r.dtype === 'float16') return new Uint8Array(f32ToF16Bits(values).buffer);
	if (r.dtype === 'bfloat16' || (r.dtype === 'float32' && per === 2)) {
		return new Uint8Array(f32ToBf16Bits(values).buffer);
	}
	if (r.dtype === 'float32') {
		return new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
	}
	throw new TensorCacheError(`Cannot encode floats for dtype ${r.dtype}`);
}
