// Packs tensor records into params_shard_<n>.bin shards the way tvmjs's TensorCacheShardingManager
// does (apache/tvm python/tvm/contrib/tvmjs.py `append_or_update`): records are contiguous, never span
// shards; when a record does not fit, one at least half the cap goes to a shard of its own, otherwise
// the current shard is closed first. Emits each finished shard so writers can stream.
// Pure TS; must not import svelte, dexie, DOM, worker or web-llm code.

import { TensorCacheError } from './errors.ts';
import { storedBytesPerElement, type TensorCacheRecord, type TensorCacheShard } from './tensor-cache.ts';

export interface ShardFlush {
	dataPath: string;
	bytes: Uint8Array;
}

export const DEFAULT_SHARD_SIZE_BYTES = 32 * 1024 * 1024;

export class ShardPacker {
	#cap: number;
	#prefix: string;
	#counter = 0;
	#shards: TensorCacheShard[] = [];
	#pending: Uint8Array[] = [];
	#pendingRecords: TensorCacheRecord[] = [];
	#pendingBytes = 0;
	#finished = false;

	constructor(opts: { shardSizeBytes?: number; namePrefix?: string } = {}) {
		this.#cap = opts.shardSizeBytes ?? DEFAULT_SHARD_SIZE_BYTES;
		this.#prefix = opts.namePrefix ?? 'params_shard';
		if (!Number.isSafeInteger(this.#cap) || this.#cap <= 0) {
			throw new RangeError(`shardSizeBytes must be a positive integer, got ${this.#cap}`);
		}
	}

	/**
	 * Adds one record with its stored bytes. @returns a finished shard when this add closed one.
	 * @throws TensorCacheError when nbytes does not match the bytes or the shape, or after finish()
	 */
	add(record: Omit<TensorCacheRecord, 'byteOffset'>, bytes: Uint8Array): ShardFlush | null {
		if (this.#finished) throw new TensorCacheError('ShardPacker.add called after finish()');
		const elements = record.shape.reduce((a, d) => a * d, 1);
		const expected = elements * storedBytesPerElement(record);
		if (record.nbytes !== bytes.byteLength || record.nbytes !== expected) {
			throw new TensorCacheError(
				`Record "${record.name}" declares ${record.nbytes} bytes, got ${bytes.byteLength}, shape needs ${expected}`
			);
		}
		const n = bytes.byteLength;
		let flushed: ShardFlush | null = null;
		if (this.#pendingBytes + n >= this.#cap) {
			if (n * 2 >= this.#cap) {
				return this.#commit([bytes], [{ ...record, byteOffset: 0 }], n);
			}
			flushed = this.#flushPending();
		}
		this.#pendingRecords.push({ ...record, byteOffset: this.#pendingBytes });
		this.#pending.push(bytes);
		this.#pendingBytes += n;
		return flushed;
	}

	/** Closes the last shard. @returns it, or null when nothing was pending. */
	finish(): ShardFlush | null {
		this.#finished = true;
		return this.#flushPending();
	}

	/** Shard descriptors so far (complete after finish()), in dataPath order of creation. */
	shards(): TensorCacheShard[] {
		return this.#shards.map((s) => ({ ...s, records: s.records.map((r) => ({ ...r })) }));
	}

	#flushPending(): ShardFlush | null {
		if (this.#pendingBytes === 0 && this.#pendingRecords.length === 0) return null;
		const flush = this.#commit(this.#pending, this.#pendingRecords, this.#pendingBytes);
		this.#pending = [];
		this.#pendingRecords = [];
		this.#pendingBytes = 0;
		return flush;
	}

	#commit(parts: Uint8Array[], records: TensorCacheRecord[], nbytes: number): ShardFlush {
		const dataPath = `${this.#prefix}_${this.#counter++}.bin`;
		const bytes = new Uint8Array(nbytes);
		let at = 0;
		for (const p of parts) {
			bytes.set(p, at);
			at += p.byteLength;
		}
		this.#shards.push({ dataPath, format: 'raw-shard', nbytes, records });
		return { dataPath, bytes };
	}
}
