// Covers tensor-cache.json parsing (valid caches, including one built by the tiny-model factory,
// and a table of malformed ones, each a TensorCacheError naming the record), stored element sizes
// per dtype/format, and float decoding/encoding of records (f16, f32-as-bf16, raw f32, bf16).

import { describe, expect, test } from 'vitest';
import {
	decodeRecordF32,
	encodeF32ForRecord,
	parseTensorCache,
	storedBytesPerElement,
	TensorCacheError,
	type TensorCacheRecord
} from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, tinyArch } from '../../factories/tiny-models.ts';

const rec = (over: Partial<TensorCacheRecord> = {}): TensorCacheRecord => ({
	name: 'w',
	shape: [2, 3],
	dtype: 'float16',
	format: 'f32-to-bf16',
	nbytes: 12,
	byteOffset: 0,
	...over
});
const cache = (records: unknown[], nbytes = 64) => ({
	metadata: { ParamSize: 1 },
	records: [{ dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes, records }]
});

describe('storedBytesPerElement', () => {
	test.each([
		['float32', 'f32-to-bf16', 2],
		['float32', 'raw', 4],
		['float16', 'f32-to-bf16', 2],
		['bfloat16', 'raw', 2],
		['uint32', 'f32-to-bf16', 4],
		['int8', 'raw', 1]
	])('%s stored as %s -> %d bytes', (dtype, format, bytes) => {
		expect(storedBytesPerElement({ dtype, format })).toBe(bytes);
	});

	test('unknown dtype is a TensorCacheError', () => {
		expect(() => storedBytesPerElement({ dtype: 'float7', format: 'raw' })).toThrow(TensorCacheError);
	});
});

describe('parseTensorCache', () => {
	test('accepts a well-formed cache and keeps md5sum', () => {
		const json = cache([rec(), rec({ name: 'q', dtype: 'uint32', shape: [2], nbytes: 8, byteOffset: 12 })], 20);
		(json.records[0] as Record<string, unknown>).md5sum = 'abc';
		const tc = parseTensorCache(json);
		expect(tc.records[0].records.map((r) => r.name)).toEqual(['w', 'q']);
		expect(tc.records[0].md5sum).toBe('abc');
		expect(tc.metadata).toEqual({ ParamSize: 1 });
	});

	test('accepts every tiny MLC folder the factory builds', () => {
		for (const quant of ['q0f16', 'q0f32', 'q4f16_1', 'q4f32_1'] as const) {
			const arch = tinyArch('qwen2');
			const folder = buildMlcFolder(arch, quant, buildHfOriginal(arch, { dtype: 'BF16' }));
			const tc = parseTensorCache(folder.tensorCache);
			expect(tc.records.length).toBeGreaterThan(1);
		}
	});

	test.each([
		['not an object', [], /not a JSON object/],
		['no records', { metadata: {} }, /no records list/],
		['shard format', { records: [{ dataPath: 'a', format: 'zip', nbytes: 0, records: [] }] }, /not "raw-shard"/],
		['shard without dataPath', { records: [{ format: 'raw-shard', nbytes: 0, records: [] }] }, /no dataPath/],
		['record past its shard', cache([rec({ byteOffset: 60 })]), /Record "w" spans \[60, 72\) outside/],
		['nbytes not elements × size', cache([rec({ nbytes: 24 })]), /Record "w" has nbytes 24.*needs 12/],
		['f32-to-bf16 float32 counted as 4 bytes', cache([rec({ dtype: 'float32', nbytes: 24 })]), /Record "w" has nbytes 24/],
		['negative offset', cache([rec({ byteOffset: -1 })]), /Record "w" has nbytes or byteOffset/],
		['negative dim', cache([rec({ shape: [-2, 3] })]), /Record "w" has shape/],
		['unknown dtype', cache([rec({ dtype: 'float7' })]), /Unknown dtype "float7"/],
		['duplicate names', cache([rec(), rec({ byteOffset: 12 })]), /Record "w" appears twice/],
		['nameless record', cache([{ ...rec(), name: '' }]), /Record 0 of shard "params_shard_0.bin" has no name/]
	])('%s -> TensorCacheError', (_why, json, message) => {
		const err = (() => {
			try {
				parseTensorCache(json);
			} catch (e) {
				return e;
			}
		})();
		expect(err).toBeInstanceOf(TensorCacheError);
		expect((err as Error).message).toMatch(message);
	});
});

describe('record encodings', () => {
	const values = new Float32Array([1, -2.5, 0.1, 1000.3]);

	test('float32 + f32-to-bf16 stores bf16: 2 bytes each, the upper f32 halves rounded', () => {
		const r = { dtype: 'float32', format: 'f32-to-bf16' };
		const bytes = encodeF32ForRecord(r, values);
		expect(bytes.byteLength).toBe(8);
		const u16 = new Uint16Array(bytes.buffer);
		// bf16 of 1, -2.5 exact; 0.1 = 0x3DCCCCCD -> 0x3DCD (rounded up); 1000.3 = 0x447A1333 -> 0x447A
		expect(Array.from(u16)).toEqual([0x3f80, 0xc020, 0x3dcd, 0x447a]);
		const back = decodeRecordF32(rec({ dtype: 'float32', shape: [4], nbytes: 8 }), bytes);
		expect(Array.from(back)).toEqual(
			[1, -2.5, 0x3dcd0000, 0x447a0000].map((v, i) => (i < 2 ? v : new Float32Array(new Uint32Array([v]).buffer)[0]))
		);
	});

	test('raw float32 keeps the exact values', () => {
		const bytes = encodeF32ForRecord({ dtype: 'float32', format: 'raw' }, values);
		expect(Array.from(decodeRecordF32(rec({ dtype: 'float32', format: 'raw', shape: [4], nbytes: 16 }), bytes))).toEqual(
			Array.from(values)
		);
	});

	test('float16 rounds to f16 and decodes unaligned bytes', () => {
		const enc = encodeF32ForRecord({ dtype: 'float16', format: 'f32-to-bf16' }, new Float32Array([1.5, -0.25]));
		const shifted = new Uint8Array(5);
		shifted.set(enc, 1);
		expect(Array.from(decodeRecordF32(rec({ shape: [2], nbytes: 4 }), shifted.subarray(1)))).toEqual([1.5, -0.25]);
	});

	test('non-float dtypes and wrong byte counts are refused', () => {
		expect(() => decodeRecordF32(rec({ dtype: 'uint32', shape: [1], nbytes: 4 }), new Uint8Array(4))).toThrow(/not a float type/);
		expect(() => decodeRecordF32(rec(), new Uint8Array(10))).toThrow(/got 10 bytes/);
		expect(() => encodeF32ForRecord({ dtype: 'int8', format: 'raw' }, values)).toThrow(TensorCacheError);
	});
});
