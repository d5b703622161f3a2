// Overlay storage of a derived model: its tensor-cache.json names the base's own cached shard files (absolute
// URLs, same byteOffsets) for every untouched tensor and new shards only for the changed ones. web-llm resolves
// each shard as new URL(dataPath, folder) and slices records by byteOffset, so a shard may list only some of a
// file's tensors (web-llm 0.2.86 lib/index.js fetchTensorCacheInternal, getTensorCacheRecordBytes). Pure TS.

import type { TensorCache, TensorCacheRecord, TensorCacheShard } from '../weights/index.ts';

/** A new shard of the derived folder: which base shard its changed tensors come from, and its layout. */
export interface OverlayNewShard {
	/** The base shard the changed tensors are read from. */
	from: TensorCacheShard;
	/** The shard entry of the derived tensor-cache.json (relative dataPath, offsets in the new file). */
	shard: TensorCacheShard;
	/** The base records, in the order of `shard.records`. */
	baseRecords: TensorCacheRecord[];
}

export interface OverlayPlan {
	/** Every shard entry of the derived tensor-cache.json, base order: untouched part (absolute), then new. */
	shards: TensorCacheShard[];
	newShards: OverlayNewShard[];
	/** Bytes the derived folder stores: only the new shards. */
	storedBytes: number;
	/** Bytes a self-contained copy would store (every shard, changed tensors at their output size). */
	fullCopyBytes: number;
	/** Base bytes that must be read to derive: only the changed tensors. */
	readBytes: number;
}

/**
 * Plans an overlay derived model.
 * @param base the base's tensor-cache.json
 * @param baseFolderUrl the base's absolute folder URL (ends in /), as web-llm caches it
 * @param changed names of the tensors the merge rewrites
 * @param outRecord the record a changed tensor is stored as (its nbytes may differ, e.g. q0f32 bf16 → raw f32)
 * @throws RangeError when baseFolderUrl is not absolute
 */
export function planOverlay(
	base: TensorCache,
	baseFolderUrl: string,
	changed: ReadonlySet<string>,
	outRecord: (rec: TensorCacheRecord) => TensorCacheRecord = (rec) => rec
): OverlayPlan {
	try {
		new URL(baseFolderUrl);
	} catch {
		throw new RangeError(`${baseFolderUrl} is not an absolute URL of the base folder`);
	}
	const shards: TensorCacheShard[] = [];
	const newShards: OverlayNewShard[] = [];
	let storedBytes = 0;
	let fullCopyBytes = 0;
	let readBytes = 0;
	for (const s of base.records) {
		const kept = s.records.filter((r) => !changed.has(r.name));
		const touched = s.records.filter((r) => changed.has(r.name));
		// The file is the base's own: its nbytes stays the file's size, every kept offset stays valid.
		if (kept.length > 0) {
			shards.push({
				dataPath: new URL(s.dataPath, baseFolderUrl).href,
				format: 'raw-shard',
				nbytes: s.nbytes,
				records: kept.map((r) => ({ ...r }))
			});
		}
		if (touched.length === 0) {
			fullCopyBytes += s.nbytes;
			continue;
		}
		fullCopyBytes += kept.reduce((a, r) => a + r.nbytes, 0);
		let offset = 0;
		const records = touched.map((r) => {
			const out = { ...outRecord(r), byteOffset: offset };
			offset += out.nbytes;
			readBytes += r.nbytes;
			return out;
		});
		const shard: TensorCacheShard = { dataPath: s.dataPath, format: 'raw-shard', nbytes: offset, records };
		shards.push(shard);
		newShards.push({ from: s, shard, baseRecords: touched });
		storedBytes += offset;
		fullCopyBytes += offset;
	}
	return { shards, newShards, storedBytes, fullCopyBytes, readBytes };
}

/** The overlay's shard entries that point outside `folderUrl` (the base's files it depends on), as absolute URLs. */
export function externalShardUrls(cache: TensorCache, folderUrl: string): string[] {
	const out: string[] = [];
	for (const s of cache.records) {
		const url = new URL(s.dataPath, folderUrl).href;
		if (!url.startsWith(folderUrl)) out.push(url);
	}
	return out;
}
