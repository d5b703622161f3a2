// Adapter repository: LoRA adapter metadata plus its files, the binaries stored once each in
// adapterFiles keyed by content hash. Filled by the LoRA work. No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { AdapterFileRow, AdapterRow } from '../rows.ts';

export class AdapterFileMissingError extends Error {
	override name = 'AdapterFileMissingError';
	constructor(
		readonly hash: string,
		readonly fileName: string
	) {
		super(
			`Adapter file ${fileName} (${hash.slice(0, 12)}…) is not stored: add the adapter's files again ` +
				'(exports do not contain adapter binaries).'
		);
	}
}

/**
 * Stores adapter metadata and its file blobs in one transaction. Every file the row lists must be
 * given in `files` or already stored.
 * @throws AdapterFileMissingError, StorageFullError.
 */
export async function putAdapter(db: TuneDb, row: AdapterRow, files: ReadonlyMap<string, Blob> = new Map()): Promise<void> {
	await guardWrite(() =>
		db.transaction('rw', db.adapters, db.adapterFiles, async () => {
			for (const ref of row.files) {
				const blob = files.get(ref.hash);
				if (blob) {
					await db.adapterFiles.put({ hash: ref.hash, blob, sizeBytes: blob.size });
				} else if ((await db.adapterFiles.get(ref.hash)) === undefined) {
					throw new AdapterFileMissingError(ref.hash, ref.name);
				}
			}
			await db.adapters.put(structuredClone(row));
		})
	);
}

/** One adapter's metadata, or undefined. */
export function getAdapter(db: TuneDb, id: string): Promise<AdapterRow | undefined> {
	return db.adapters.get(id);
}

/** All adapters, newest first. */
export async function listAdapters(db: TuneDb): Promise<AdapterRow[]> {
	return (await db.adapters.orderBy('createdAt').toArray()).reverse();
}

/** A stored adapter file by content hash, or undefined. */
export function getAdapterFile(db: TuneDb, hash: string): Promise<AdapterFileRow | undefined> {
	return db.adapterFiles.get(hash);
}

/** Whether every file of the adapter is stored (false after importing a bundle, until re-added). */
export async function hasAdapterFiles(db: TuneDb, adapter: AdapterRow): Promise<boolean> {
	const keys = await db.adapterFiles.bulkGet(adapter.files.map((f) => f.hash));
	return keys.every((k) => k !== undefined);
}

/** Deletes an adapter and the files no other adapter uses. */
export async function deleteAdapter(db: TuneDb, id: string): Promise<void> {
	await db.transaction('rw', db.adapters, db.adapterFiles, async () => {
		const row = await db.adapters.get(id);
		if (!row) return;
		await db.adapters.delete(id);
		const stillUsed = new Set<string>();
		await db.adapters.each((a) => a.files.forEach((f) => stillUsed.add(f.hash)));
		await db.adapterFiles.bulkDelete(row.files.map((f) => f.hash).filter((h) => !stillUsed.has(h)));
	});
}
