// Hostile and broken weight files become clear refusals: a tensor named twice in a safetensors header
// (JSON.parse would silently keep the last), a deeply nested header (refused by a bracket scan before
// JSON.parse), and two shards of tensor-cache.json naming the same file. The bracket scan respects
// strings and escapes.

import { describe, expect, it } from 'vitest';
import {
	bytesSource,
	MAX_HEADER_DEPTH,
	parseTensorCache,
	readSafetensorsHeader,
	SafetensorsError,
	scanJsonStructure,
	TensorCacheError
} from '../../../src/domain/weights/index.ts';

/** A safetensors file from raw header text and `dataBytes` zero bytes of data. */
function rawSafetensors(header: string, dataBytes: number): Uint8Array {
	const json = new TextEncoder().encode(header);
	const out = new Uint8Array(8 + json.byteLength + dataBytes);
	new DataView(out.buffer).setUint32(0, json.byteLength, true);
	out.set(json, 8);
	return out;
}

describe('safetensors header', () => {
	it('refuses a tensor name repeated in the header', async () => {
		const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
		const file = rawSafetensors(`{"w":${entry},"w":${entry.replace('[0,4]', '[4,8]')}}`, 8);
		await expect(readSafetensorsHeader(bytesSource(file))).rejects.toThrow(SafetensorsError);
		await expect(readSafetensorsHeader(bytesSource(file))).rejects.toThrow(/names tensor "w" twice/);
	});

	it('sees a repeated name written with an escape ("\\u0077" is "w")', async () => {
		const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
		const file = rawSafetensors(`{"w":${entry},"\\u0077":${entry}}`, 4);
		await expect(readSafetensorsHeader(bytesSource(file))).rejects.toThrow(/twice/);
	});

	it('refuses a deeply nested header before parsing it', async () => {
		const deep = '['.repeat(100_000) + ']'.repeat(100_000);
		const file = rawSafetensors(`{"__metadata__":{"x":${deep}}}`, 0);
		await expect(readSafetensorsHeader(bytesSource(file))).rejects.toThrow(new RegExp(`nests deeper than ${MAX_HEADER_DEPTH} levels`));
	});

	it('still reads an ordinary header whose strings hold brackets and quotes', async () => {
		const file = rawSafetensors('{"__metadata__":{"note":"[[[{{{\\"}}}"},"a[b]":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4);
		const h = await readSafetensorsHeader(bytesSource(file));
		expect([...h.entries.keys()]).toEqual(['a[b]']);
		expect(h.metadata.note).toBe('[[[{{{"}}}');
	});
});

describe('scanJsonStructure', () => {
	it('counts nesting outside strings only and lists top-level keys in order', () => {
		expect(scanJsonStructure('{"a":[1,[2]],"b":"[[[","c":{"d":1}}', 10)).toEqual({ maxDepth: 3, topKeys: ['a', 'b', 'c'] });
	});
	it('does not take nested keys or string values for top-level keys', () => {
		expect(scanJsonStructure('{"a":{"x":1},"b":"y:"}', 10).topKeys).toEqual(['a', 'b']);
	});
});

describe('tensor-cache.json', () => {
	it('refuses two shards naming the same file', () => {
		const shard = { dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: 4, records: [] };
		expect(() => parseTensorCache({ metadata: {}, records: [shard, { ...shard }] })).toThrow(TensorCacheError);
		expect(() => parseTensorCache({ metadata: {}, records: [shard, { ...shard }] })).toThrow(
			/Two shards name the same file "params_shard_0.bin"/
		);
	});
});
