// planOverlay on a hand-made 3-shard tensor cache (touched tensors in 2 shards) with expected records,
// offsets and bytes worked out by hand; and deriveModel({ overlayOf }) on a tiny model: it stores only the
// changed tensors, every tensor reads back equal to the self-contained derivation, untouched shards unread.

import { describe, expect, test } from 'vitest';
import { deriveModel } from '../../../src/domain/merge/index.ts';
import { externalShardUrls, planOverlay } from '../../../src/domain/merge/overlay.ts';
import { bytesSource, parseTensorCache, type TensorCache, type TensorCacheRecord } from '../../../src/domain/weights/index.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';
import { memoryIo, outTensor } from './memory-io.ts';

const BASE = 'https://huggingface.co/mlc-ai/m/resolve/main/';
const rec = (name: string, shape: number[], byteOffset: number): TensorCacheRecord => ({
	name,
	shape,
	dtype: 'float16',
	format: 'f32-to-bf16',
	nbytes: shape[0] * shape[1] * 2,
	byteOffset
});
// shard 0: x0 x1 x2 (16 B each, 48 B); shard 1: y0 y1 (16 B each, 32 B); shard 2: z0 (24 B)
const cache: TensorCache = parseTensorCache({
	metadata: {},
	records: [
		{
			dataPath: 'params_shard_0.bin',
			format: 'raw-shard',
			nbytes: 48,
			records: [rec('x0', [2, 4], 0), rec('x1', [2, 4], 16), rec('x2', [2, 4], 32)]
		},
		{ dataPath: 'params_shard_1.bin', format: 'raw-shard', nbytes: 32, records: [rec('y0', [4, 2], 0), rec('y1', [4, 2], 16)] },
		{ dataPath: 'params_shard_2.bin', format: 'raw-shard', nbytes: 24, records: [rec('z0', [3, 4], 0)] }
	]
});

describe('planOverlay', () => {
	test('untouched tensors keep the base file and offsets; changed ones go to new shards', () => {
		const plan = planOverlay(cache, BASE, new Set(['x1', 'y0', 'y1']));
		expect(plan.shards).toEqual([
			{ dataPath: `${BASE}params_shard_0.bin`, format: 'raw-shard', nbytes: 48, records: [rec('x0', [2, 4], 0), rec('x2', [2, 4], 32)] },
			{ dataPath: 'params_shard_0.bin', format: 'raw-shard', nbytes: 16, records: [rec('x1', [2, 4], 0)] },
			{ dataPath: 'params_shard_1.bin', format: 'raw-shard', nbytes: 32, records: [rec('y0', [4, 2], 0), rec('y1', [4, 2], 16)] },
			{ dataPath: `${BASE}params_shard_2.bin`, format: 'raw-shard', nbytes: 24, records: [rec('z0', [3, 4], 0)] }
		]);
		expect(plan.newShards.map((n) => [n.from.dataPath, n.baseRecords.map((r) => r.byteOffset)])).toEqual([
			['params_shard_0.bin', [16]],
			['params_shard_1.bin', [0, 16]]
		]);
		// stored: x1 16 + y0 16 + y1 16 = 48 B, against the full copy's 48 + 32 + 24 = 104 B
		expect(plan.storedBytes).toBe(48);
		expect(plan.fullCopyBytes).toBe(104);
		expect(plan.readBytes).toBe(48);
		// the plan is a valid tensor-cache.json (unique dataPaths, records inside their shard)
		expect(() => parseTensorCache({ metadata: {}, records: plan.shards })).not.toThrow();
		expect(externalShardUrls({ metadata: {}, records: plan.shards }, 'http://localhost/derived/d/resolve/main/')).toEqual([
			`${BASE}params_shard_0.bin`,
			`${BASE}params_shard_2.bin`
		]);
	});

	test('changed tensors stored larger (q0f32: bf16 → raw f32) count at their output size', () => {
		const wide = (r: TensorCacheRecord): TensorCacheRecord => ({ ...r, dtype: 'float32', format: 'raw', nbytes: r.nbytes * 2 });
		const plan = planOverlay(cache, BASE, new Set(['x1', 'z0']), wide);
		expect(plan.shards.map((s) => [s.dataPath, s.nbytes, s.records.map((r) => [r.name, r.byteOffset, r.nbytes])])).toEqual([
			[
				`${BASE}params_shard_0.bin`,
				48,
				[
					['x0', 0, 16],
					['x2', 32, 16]
				]
			],
			['params_shard_0.bin', 32, [['x1', 0, 32]]],
			[
				`${BASE}params_shard_1.bin`,
				32,
				[
					['y0', 0, 16],
					['y1', 16, 16]
				]
			],
			['params_shard_2.bin', 48, [['z0', 0, 48]]]
		]);
		// stored 32 + 48 = 80 B; full copy 32 (x0, x2) + 32 + 32 (shard 1) + 48 = 144 B; read 16 + 24 = 40 B
		expect([plan.storedBytes, plan.fullCopyBytes, plan.readBytes]).toEqual([80, 144, 40]);
	});

	test('nothing changed: every shard is the base file, nothing stored', () => {
		const plan = planOverlay(cache, BASE, new Set());
		expect(plan.shards.map((s) => s.dataPath)).toEqual(cache.records.map((s) => BASE + s.dataPath));
		expect([plan.storedBytes, plan.fullCopyBytes]).toEqual([0, 104]);
	});

	test('refuses a relative base folder', () => {
		expect(() => planOverlay(cache, 'models/m/', new Set())).toThrow(RangeError);
	});
});

describe('deriveModel with overlayOf', () => {
	test('stores only the changed tensors; every tensor equals the self-contained derivation', async () => {
		const arch = tinyArch('qwen2');
		const base = buildMlcFolder(arch, 'q0f32', buildHfOriginal(arch, { dtype: 'F32' }));
		const adapter = buildPeftAdapter(arch, { targets: ['q_proj', 'v_proj'], rank: 2, alpha: 4, dtype: 'BF16' });
		const opts = {
			baseModelId: 'tiny-qwen2-q0f32',
			adapter: {
				configJson: adapter.config,
				tensors: bytesSource(adapter.files.get('adapter_model.safetensors')!),
				sha256: 'ab'.repeat(32)
			}
		};
		const full = await memoryIo(base.files);
		await deriveModel(full, opts);
		const io = await memoryIo(base.files);
		const read: string[] = [];
		const openBase = io.openBase.bind(io);
		io.openBase = async (name) => {
			const src = await openBase(name);
			return src && { ...src, sizeBytes: src.sizeBytes, read: (o: number, n: number) => (read.push(name), src.read(o, n)) };
		};
		const r = await deriveModel(io, { ...opts, overlayOf: BASE });
		expect(r.manifest.overlayOf).toBe(BASE);

		const tc = parseTensorCache(JSON.parse(new TextDecoder().decode(io.out.get('tensor-cache.json')!)));
		const baseTc = parseTensorCache(JSON.parse(new TextDecoder().decode(base.files.get('tensor-cache.json')!)));
		const changed = new Set(tc.records.filter((s) => !s.dataPath.startsWith(BASE)).flatMap((s) => s.records.map((x) => x.name)));
		expect([...changed].every((n) => n.endsWith('c_attn.weight'))).toBe(true);
		expect(changed.size).toBe(arch.layers);
		// the output holds the new shards only; their bytes are what the plan says is stored
		const shardFiles = [...io.out.keys()].filter((n) => n.endsWith('.bin'));
		const stored = shardFiles.reduce((a, n) => a + io.out.get(n)!.byteLength, 0);
		expect(stored).toBe(r.outputShardBytes);
		expect(stored).toBe(planOverlay(baseTc, BASE, changed, (x) => ({ ...x, format: 'raw', nbytes: x.nbytes * 2 })).storedBytes);
		const fullStored = [...full.out].filter(([n]) => n.endsWith('.bin')).reduce((a, [, b]) => a + b.byteLength, 0);
		expect(stored).toBeLessThan(fullStored);
		// the base shards read are only those holding a changed tensor
		const touchedShards = new Set(baseTc.records.filter((s) => s.records.some((x) => changed.has(x.name))).map((s) => s.dataPath));
		expect(new Set(read.filter((n) => n.endsWith('.bin')))).toEqual(touchedShards);

		// every tensor, resolved the way web-llm does (new URL(dataPath, folder), byteOffset slice), equals the full form
		const files = new Map<string, Uint8Array>([...io.out, ...[...base.files].map(([n, b]) => [BASE + n, b] as [string, Uint8Array])]);
		for (const s of tc.records) {
			const bytes = files.get(s.dataPath)!;
			for (const x of s.records) {
				const want = outTensor(full.out, x.name);
				expect(x).toEqual({ ...want.rec, byteOffset: x.byteOffset });
				expect(bytes.subarray(x.byteOffset, x.byteOffset + x.nbytes)).toEqual(want.bytes);
			}
		}
		expect(tc.records.flatMap((s) => s.records).length).toBe(baseTc.records.flatMap((s) => s.records).length);
	});
});
