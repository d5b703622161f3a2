// Test helpers for derivation: in-memory DeriveIos (whole files, and streaming as the CLI's) over factory file maps, a naive bf16 decoder and a
// naive reference merge (triple loop in float64), independent of src/domain/weights' converters.

import type { DeriveIo, StreamingDeriveIo } from '../../../src/domain/merge/index.ts';
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

/** What a streaming in-memory DeriveIo saw: every piece handed to a writer, by file. */
export interface StreamingMemoryIo extends MemoryIo, StreamingDeriveIo {
	pieces: Map<string, number[]>;
}

/**
 * A StreamingDeriveIo in memory, as the CLI's folder IO behaves: sources that read into the caller's buffer,
 * writers that take pieces (copied, since the caller reuses them) and whole-file copies.
 */
export async function streamingMemoryIo(base: FileMap, originalFiles?: FileMap): Promise<StreamingMemoryIo> {
	const io = await memoryIo(base, originalFiles);
	const pieces = new Map<string, number[]>();
	const note = (name: string, n: number) => pieces.set(name, [...(pieces.get(name) ?? []), n]);
	const readIntoSource = (bytes: Uint8Array) => ({
		...bytesSource(bytes),
		async readInto(offset: number, into: Uint8Array) {
			if (offset < 0 || offset + into.byteLength > bytes.byteLength) throw new RangeError('read outside the file');
			into.set(bytes.subarray(offset, offset + into.byteLength));
			return into;
		}
	});
	const growable = (name: string) => {
		let file = io.out.get(name) ?? new Uint8Array(0);
		return async (piece: Uint8Array, at: number) => {
			note(name, piece.byteLength);
			if (at + piece.byteLength > file.byteLength) {
				const bigger = new Uint8Array(at + piece.byteLength);
				bigger.set(file);
				file = bigger;
			}
			file.set(piece, at);
			io.out.set(name, file);
		};
	};
	return {
		...io,
		pieces,
		async openBase(name) {
			const b = base.get(name);
			return b ? readIntoSource(b) : undefined;
		},
		async openWriter(name) {
			io.out.set(name, new Uint8Array(0));
			io.order.push(name);
			const put = growable(name);
			let position = 0;
			return {
				async write(bytes) {
					await put(bytes, position);
					position += bytes.byteLength;
				},
				async close() {}
			};
		},
		async copyBase(name, nbytes) {
			io.out.set(name, base.get(name)!.slice(0, nbytes));
			io.order.push(name);
		}
	};
}
