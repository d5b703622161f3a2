// Test helpers for derivation: an in-memory DeriveIo over factory file maps, a naive bf16 decoder and a
// naive reference merge (triple loop in float64), independent of src/domain/weights' converters.

import type { DeriveIo } from '../../../src/domain/merge/index.ts';
import { bytesSource, openSafetensorsSet, type ByteSource, type TensorCacheRecord } from '../../../src/domain/weights/index.ts';
import { naiveF16Decode, type FileMap, type PeftModule } from '../../factories/tiny-models.ts';

export interface MemoryIo extends DeriveIo {
	out: Map<string, Uint8Array>;
	order: string[];
}

export async function memoryIo(base: FileMap, originalFiles?: FileMap): Promise<MemoryIo> {
	const out = new Map<string, Uint8Array>();
	const order: string[] = [];
	const original = originalFiles
		? await openSafetensorsSet(
				new Map([...originalFiles].filter(([n]) => n !== 'config.json').map(([n, b]) => [n, bytesSource(b)] as [string, ByteSource]))
			)
		: undefined;
	return {
		out,
		order,
		original,
		async openBase(name) {
			const b = base.get(name);
			return b ? bytesSource(b) : undefined;
		},
		async write(name, bytes) {
			out.set(name, bytes.slice());
			order.push(name);
		}
	};
}

/** bf16 bits → number: the bits are the top half of an f32. */
export function naiveBf16Decode(h: number): number {
	const f = new Float32Array(1);
	new Uint32Array(f.buffer)[0] = h << 16;
	return f[0];
}

/** Decodes a stored record: 'f16' | 'bf16' | 'f32'. */
export function decodeBytes(bytes: Uint8Array, enc: 'f16' | 'bf16' | 'f32'): Float64Array {
	const copy = bytes.slice();
	if (enc === 'f32') return Float64Array.from(new Float32Array(copy.buffer));
	const u = new Uint16Array(copy.buffer);
	return Float64Array.from(u, enc === 'f16' ? naiveF16Decode : naiveBf16Decode);
}

/** Δ = s·B·A for a PEFT module as MLC rows [out, in] (embedding: (B·A)ᵀ, [vocab, hidden]), float64. */
export function naiveDelta(m: PeftModule, s: number): Float64Array {
	if (m.target === 'embed_tokens') {
		// A [r, vocab], B [hidden, r] → Δ[v, h] = s Σ_k B[h,k] A[k,v]
		const vocab = m.inFeatures,
			hidden = m.outFeatures;
		const d = new Float64Array(vocab * hidden);
		for (let v = 0; v < vocab; v++)
			for (let h = 0; h < hidden; h++) {
				let acc = 0;
				for (let k = 0; k < m.rank; k++) acc += m.b[h * m.rank + k] * m.a[k * vocab + v];
				d[v * hidden + h] = s * acc;
			}
		return d;
	}
	const d = new Float64Array(m.outFeatures * m.inFeatures);
	for (let i = 0; i < m.outFeatures; i++)
		for (let j = 0; j < m.inFeatures; j++) {
			let acc = 0;
			for (let k = 0; k < m.rank; k++) acc += m.b[i * m.rank + k] * m.a[k * m.inFeatures + j];
			d[i * m.inFeatures + j] = s * acc;
		}
	return d;
}

/** Finds a record in a written tensor-cache.json and returns it with its bytes. */
export function outTensor(files: Map<string, Uint8Array>, name: string): { rec: TensorCacheRecord; bytes: Uint8Array } {
	const cache = JSON.parse(new TextDecoder().decode(files.get('tensor-cache.json')!)) as {
		records: { dataPath: string; records: TensorCacheRecord[] }[];
	};
	for (const shard of cache.records) {
		const rec = shard.records.find((r) => r.name === name);
		if (rec) return { rec, bytes: files.get(shard.dataPath)!.subarray(rec.byteOffset, rec.byteOffset + rec.nbytes) };
	}
	throw new Error(`no record ${name}`);
}
