// Covers ShardPacker: contiguous records, no record spanning shards, shard names params_shard_<n>.bin,
// big tensors in shards of their own (tvmjs rule: a record at least half the cap that does not fit),
// streamed flushes whose bytes match the records, nbytes checks, and parseTensorCache accepting the result.

import { describe, expect, test } from 'vitest';
import { parseTensorCache, ShardPacker, TensorCacheError, type ShardFlush } from '../../../src/domain/weights/index.ts';

/** A float16 record of `n` elements whose bytes all equal `fill`. */
const f16 = (name: string, n: number, fill: number) => ({
	record: { name, shape: [n], dtype: 'float16', format: 'f32-to-bf16', nbytes: 2 * n },
	bytes: new Uint8Array(2 * n).fill(fill)
});

function pack(cap: number, items: ReturnType<typeof f16>[]) {
	const packer = new ShardPacker({ shardSizeBytes: cap });
	const flushes: ShardFlush[] = [];
	for (const it of items) {
		const f = packer.add(it.record, it.bytes);
		if (f) flushes.push(f);
	}
	const last = packer.finish();
	if (last) flushes.push(last);
	return { flushes, shards: packer.shards() };
}

describe('ShardPacker', () => {
	test('small records pack contiguously and start a new shard when the next would not fit', () => {
		// cap 100: 40 + 40 = 80 fits; 80 + 40 >= 100 closes shard 0
		const { flushes, shards } = pack(100, [f16('a', 20, 1), f16('b', 20, 2), f16('c', 20, 3)]);
		expect(shards.map((s) => s.dataPath)).toEqual(['params_shard_0.bin', 'params_shard_1.bin']);
		expect(shards[0].records.map((r) => [r.name, r.byteOffset, r.nbytes])).toEqual([
			['a', 0, 40],
			['b', 40, 40]
		]);
		expect(shards[1].records.map((r) => [r.name, r.byteOffset])).toEqual([['c', 0]]);
		expect(shards.map((s) => s.nbytes)).toEqual([80, 40]);
		expect(flushes.map((f) => f.dataPath)).toEqual(shards.map((s) => s.dataPath));
	});

	test('each flush holds exactly the bytes of its records at their offsets', () => {
		const items = [f16('a', 3, 7), f16('b', 5, 8), f16('c', 40, 9), f16('d', 1, 10)];
		const { flushes, shards } = pack(64, items);
		for (const [s, shard] of shards.entries()) {
			expect(flushes[s].bytes.byteLength).toBe(shard.nbytes);
			for (const r of shard.records) {
				expect(r.byteOffset + r.nbytes).toBeLessThanOrEqual(shard.nbytes);
				const item = items.find((i) => i.record.name === r.name)!;
				expect(flushes[s].bytes.subarray(r.byteOffset, r.byteOffset + r.nbytes)).toEqual(item.bytes);
			}
		}
		expect(shards.flatMap((s) => s.records.map((r) => r.name)).sort()).toEqual(['a', 'b', 'c', 'd']);
	});

	test('a record bigger than the cap gets a shard of its own, and the pending shard carries on', () => {
		const { shards } = pack(100, [f16('a', 10, 1), f16('huge', 300, 2), f16('b', 10, 3)]);
		const byName = new Map(shards.flatMap((s) => s.records.map((r) => [r.name, s] as const)));
		expect(byName.get('huge')!.records.map((r) => r.name)).toEqual(['huge']);
		expect(byName.get('huge')!.nbytes).toBe(600);
		expect(byName.get('a')).toBe(byName.get('b'));
		expect(byName.get('b')!.records.map((r) => [r.name, r.byteOffset])).toEqual([
			['a', 0],
			['b', 20]
		]);
	});

	test('its output is a valid tensor cache', () => {
		const { shards } = pack(50, [f16('a', 10, 1), f16('b', 30, 2), f16('c', 5, 3)]);
		expect(() => parseTensorCache({ metadata: {}, records: shards })).not.toThrow();
	});

	test('finish with nothing pending returns null; default shard names use the prefix', () => {
		const packer = new ShardPacker({ namePrefix: 'x' });
		expect(packer.finish()).toBeNull();
		const p2 = new ShardPacker({ namePrefix: 'x' });
		p2.add(f16('a', 1, 0).record, f16('a', 1, 0).bytes);
		expect(p2.finish()!.dataPath).toBe('x_0.bin');
	});

	test.each([
		['nbytes disagrees with the bytes', { ...f16('a', 2, 0).record, nbytes: 6 }, new Uint8Array(4)],
		['nbytes disagrees with the shape', { ...f16('a', 2, 0).record, nbytes: 6 }, new Uint8Array(6)]
	])('%s -> TensorCacheError', (_why, record, bytes) => {
		expect(() => new ShardPacker().add(record, bytes)).toThrow(TensorCacheError);
	});

	test('adding after finish and a bad cap are refused', () => {
		const packer = new ShardPacker();
		packer.finish();
		expect(() => packer.add(f16('a', 1, 0).record, f16('a', 1, 0).bytes)).toThrow(/after finish/);
		expect(() => new ShardPacker({ shardSizeBytes: 0 })).toThrow(RangeError);
	});
});
