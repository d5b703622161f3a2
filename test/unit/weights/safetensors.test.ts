// Covers the safetensors reader and writer: round trip of F32/F16/BF16 tensors with metadata,
// absolute offsets, reading only the header until a tensor is asked for, and every hostile header
// (length past the file, 2^53 length, non-JSON, array, bad offsets, overlap, shape×dtype mismatch,
// bad dims, unknown dtype, truncation) as a SafetensorsError; NaN refusal; sharded sets via the index.

import { describe, expect, test } from 'vitest';
import {
	bytesSource,
	openSafetensorsSet,
	readSafetensorsHeader,
	readTensorF32,
	SafetensorsError,
	tensorScratch,
	writeSafetensors,
	type ByteSource
} from '../../../src/domain/weights/index.ts';

/** Builds a file from a raw header object/string and a data section, as a hostile writer could. */
function rawFile(header: unknown, data = new Uint8Array(0), lengthOverride?: number): Uint8Array {
	const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
	const out = new Uint8Array(8 + json.length + data.length);
	const view = new DataView(out.buffer);
	const len = lengthOverride ?? json.length;
	view.setUint32(0, len % 2 ** 32, true);
	view.setUint32(4, Math.floor(len / 2 ** 32), true);
	out.set(json, 8);
	out.set(data, 8 + json.length);
	return out;
}

function countingSource(bytes: Uint8Array): ByteSource & { bytesRead: number } {
	const inner = bytesSource(bytes);
	const src = {
		sizeBytes: inner.sizeBytes,
		bytesRead: 0,
		async read(offset: number, length: number) {
			src.bytesRead += length;
			return inner.read(offset, length);
		}
	};
	return src;
}

const f32 = (v: number[]) => new Uint8Array(new Float32Array(v).buffer);

describe('round trip', () => {
	test('tensors, shapes, absolute offsets and metadata come back', async () => {
		const file = writeSafetensors(
			[
				{ name: 'a', dtype: 'F32', shape: [2, 2], data: f32([1, -2, 3.5, 0]) },
				{ name: 'h', dtype: 'F16', shape: [3], data: new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800]).buffer) },
				{ name: 'b', dtype: 'BF16', shape: [2], data: new Uint8Array(new Uint16Array([0x3f80, 0xc040]).buffer) }
			],
			{ format: 'pt' }
		);
		const src = bytesSource(file);
		const header = await readSafetensorsHeader(src);
		expect(header.metadata).toEqual({ format: 'pt' });
		expect(header.dataStart % 8).toBe(0);
		const a = header.entries.get('a')!;
		expect([a.begin, a.end, a.shape]).toEqual([header.dataStart, header.dataStart + 16, [2, 2]]);
		expect(Array.from(await readTensorF32(src, a))).toEqual([1, -2, 3.5, 0]);
		expect(Array.from(await readTensorF32(src, header.entries.get('h')!))).toEqual([1, -2, 0.5]);
		expect(Array.from(await readTensorF32(src, header.entries.get('b')!))).toEqual([1, -3]);
	});

	test('with a scratch: the same values, read into and decoded in the scratch’s buffers, reused from tensor to tensor', async () => {
		const file = writeSafetensors([
			{ name: 'h', dtype: 'F16', shape: [3], data: new Uint8Array(new Uint16Array([0x3c00, 0xc000, 0x3800]).buffer) },
			{ name: 'b', dtype: 'BF16', shape: [5], data: new Uint8Array(new Uint16Array([0x3f80, 0xc040, 0, 0x4000, 0xbf00]).buffer) },
			{ name: 'a', dtype: 'F32', shape: [2], data: f32([1.5, -0.25]) },
			{ name: 'nan', dtype: 'F32', shape: [1], data: f32([NaN]) }
		]);
		const header = await readSafetensorsHeader(bytesSource(file));
		const scratch = tensorScratch();
		let intoCalls = 0;
		const src: ByteSource = {
			...bytesSource(file),
			async readInto(offset, into) {
				intoCalls++;
				into.set(file.subarray(offset, offset + into.byteLength));
				return into;
			}
		};
		const h = await readTensorF32(src, header.entries.get('h')!, { scratch });
		expect(Array.from(h)).toEqual([1, -2, 0.5]);
		expect(h.buffer).toBe(scratch.out.buffer);
		const b = await readTensorF32(src, header.entries.get('b')!, { scratch });
		expect(Array.from(b)).toEqual([1, -3, 0, 2, -0.5]);
		expect(b.buffer).toBe(scratch.out.buffer);
		const a = await readTensorF32(src, header.entries.get('a')!, { scratch });
		expect(Array.from(a)).toEqual([1.5, -0.25]);
		// the scratch grew once, to the largest tensor (10 bytes, 5 floats), and was reused after
		expect([scratch.raw.byteLength, scratch.out.length]).toEqual([10, 5]);
		expect(intoCalls).toBe(3);
		// a source without readInto reads and copies into the scratch
		expect(Array.from(await readTensorF32(bytesSource(file), header.entries.get('h')!, { scratch }))).toEqual([1, -2, 0.5]);
		await expect(readTensorF32(src, header.entries.get('nan')!, { scratch, rejectNonFinite: true })).rejects.toThrow(SafetensorsError);
	});

	test('the header read touches only the header bytes; a tensor read only its own bytes', async () => {
		const big = new Float32Array(10_000);
		const file = writeSafetensors([
			{ name: 'big', dtype: 'F32', shape: [10_000], data: new Uint8Array(big.buffer) },
			{ name: 'small', dtype: 'F32', shape: [1], data: f32([7]) }
		]);
		const src = countingSource(file);
		const header = await readSafetensorsHeader(src);
		expect(src.bytesRead).toBe(header.dataStart);
		await readTensorF32(src, header.entries.get('small')!);
		expect(src.bytesRead).toBe(header.dataStart + 4);
	});

	test('odd (unaligned) offsets still decode', async () => {
		const data = new Uint8Array(1 + 4);
		data.set(f32([2.5]), 1);
		const file = rawFile(
			{ pad: { dtype: 'U8', shape: [1], data_offsets: [0, 1] }, x: { dtype: 'F32', shape: [1], data_offsets: [1, 5] } },
			data
		);
		const src = bytesSource(file);
		const h = await readSafetensorsHeader(src);
		expect(Array.from(await readTensorF32(src, h.entries.get('x')!))).toEqual([2.5]);
	});

	test('readTensorF32 refuses non-float dtypes and, when asked, NaN/Inf', async () => {
		const file = writeSafetensors([{ name: 'n', dtype: 'F32', shape: [2], data: f32([1, NaN]) }]);
		const src = bytesSource(file);
		const h = await readSafetensorsHeader(src);
		await expect(readTensorF32(src, h.entries.get('n')!, { rejectNonFinite: true })).rejects.toThrow(/NaN at element 1/);
		const u8 = rawFile({ u: { dtype: 'U8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1));
		const h2 = await readSafetensorsHeader(bytesSource(u8));
		await expect(readTensorF32(bytesSource(u8), h2.entries.get('u')!)).rejects.toThrow(SafetensorsError);
	});

	test('writer refuses data that does not match the shape', () => {
		expect(() => writeSafetensors([{ name: 'x', dtype: 'F16', shape: [3], data: new Uint8Array(4) }])).toThrow(SafetensorsError);
	});
});

describe('hostile files', () => {
	const t = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });
	const cases: [string, Uint8Array, RegExp][] = [
		['shorter than 8 bytes', new Uint8Array(5), /fewer than the 8-byte/],
		['header length past the end', rawFile({}, new Uint8Array(0), 1000), /runs past the end/],
		['header length 2^53', rawFile({}, new Uint8Array(0), 2 ** 53), /exceeds the limit/],
		['not JSON', rawFile('{"a": nope}'), /not valid UTF-8 JSON/],
		['invalid UTF-8', rawFile('"\xff"'.replace('\xff', '\u00ff')).map((b, i) => (i === 9 ? 0xff : b)), /not valid UTF-8 JSON/],
		['a JSON array', rawFile([1, 2]), /not an object/],
		['entry not an object', rawFile({ x: 3 }), /"x" is not a JSON object/],
		['offsets outside the data', rawFile({ x: t('F32', [2], [0, 8]) }, new Uint8Array(4)), /ends at byte/],
		['reversed offsets', rawFile({ x: t('F32', [0], [4, 0]) }, new Uint8Array(4)), /data_offsets/],
		['negative offset', rawFile({ x: t('F32', [1], [-4, 0]) }, new Uint8Array(4)), /data_offsets/],
		['overlapping entries', rawFile({ x: t('F32', [2], [0, 8]), y: t('F32', [1], [4, 8]) }, new Uint8Array(8)), /overlap/],
		['shape × dtype mismatch', rawFile({ x: t('F16', [3], [0, 8]) }, new Uint8Array(8)), /needs 6/],
		['negative dim', rawFile({ x: t('F32', [-1], [0, 0]) }), /non-negative integers/],
		['fractional dim', rawFile({ x: t('F32', [1.5], [0, 6]) }, new Uint8Array(6)), /non-negative integers/],
		['unknown dtype', rawFile({ x: t('F12', [1], [0, 2]) }, new Uint8Array(2)), /unknown dtype "F12"/],
		['missing dtype', rawFile({ x: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), /no string dtype/],
		['non-string metadata', rawFile({ __metadata__: { a: 1 } }), /__metadata__/],
		['truncated data', writeSafetensors([{ name: 'x', dtype: 'F32', shape: [4], data: f32([1, 2, 3, 4]) }]).subarray(0, -3), /ends at byte/]
	];
	test.each(cases)('%s -> SafetensorsError', async (_why, file, message) => {
		const err = await readSafetensorsHeader(bytesSource(file)).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(SafetensorsError);
		expect((err as Error).message).toMatch(message);
		expect((err as Error).message).toMatch(/may be truncated or not a safetensors file/);
	});

	test('maxHeaderBytes is configurable', async () => {
		const file = writeSafetensors([{ name: 'x', dtype: 'F32', shape: [1], data: f32([1]) }]);
		await expect(readSafetensorsHeader(bytesSource(file), { maxHeaderBytes: 8 })).rejects.toThrow(/exceeds the limit of 8/);
	});
});

describe('openSafetensorsSet', () => {
	const one = (name: string, v: number) => writeSafetensors([{ name, dtype: 'F32', shape: [1], data: f32([v]) }]);
	const index = (map: Record<string, string>) => new TextEncoder().encode(JSON.stringify({ weight_map: map }));
	const sources = (files: Record<string, Uint8Array>) => new Map(Object.entries(files).map(([k, v]) => [k, bytesSource(v)]));

	test('finds tensors across shards named by the index', async () => {
		const loc = await openSafetensorsSet(
			sources({
				'model.safetensors.index.json': index({ a: 'm-1.safetensors', b: 'm-2.safetensors' }),
				'm-1.safetensors': one('a', 1),
				'm-2.safetensors': one('b', 2)
			})
		);
		expect(loc.names().sort()).toEqual(['a', 'b']);
		const b = loc.find('b')!;
		expect(Array.from(await readTensorF32(b.src, b.entry))).toEqual([2]);
		expect(loc.find('c')).toBeUndefined();
	});

	test('a single model.safetensors works without an index', async () => {
		const loc = await openSafetensorsSet(sources({ 'model.safetensors': one('a', 1), 'config.json': new Uint8Array(2) }));
		expect(loc.names()).toEqual(['a']);
	});

	test.each([
		['a shard named by the index is missing', { 'model.safetensors.index.json': index({ a: 'gone.safetensors' }) }, /missing/],
		[
			'the index names a tensor its shard lacks',
			{ 'model.safetensors.index.json': index({ a: 'm.safetensors', z: 'm.safetensors' }), 'm.safetensors': one('a', 1) },
			/"z" is not in/
		],
		['a tensor in two shards', { 'x.safetensors': one('a', 1), 'y.safetensors': one('a', 2) }, /more than one shard/],
		['no safetensors at all', { 'config.json': new Uint8Array(2) }, /No .safetensors/],
		['an index that is not JSON', { 'model.safetensors.index.json': new Uint8Array([0x7b]) }, /not valid JSON/]
	])('%s -> SafetensorsError', async (_why, files, message) => {
		await expect(openSafetensorsSet(sources(files))).rejects.toThrow(message);
	});
});
