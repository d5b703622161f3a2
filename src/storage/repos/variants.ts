// Variant repository: immutable, content-addressed variant specs. A variant's id is the SHA-256 of
// its spec's stable JSON, so saving the same spec twice (even at once, from two tabs) yields one row.
// Functions take the db first. No svelte/worker/web-llm imports.
import { hashVariantSpec } from '../../domain/experiment/variant-hash.ts';
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { VariantRow, VariantSpec } from '../rows.ts';

/**
 * Stores a variant spec under its content hash; an equal spec already stored is returned as it is
 * (its createdAt unchanged), never duplicated.
 * @throws StorageFullError when storage is full.
 */
export async function saveVariant(db: TuneDb, spec: VariantSpec, now = Date.now()): Promise<VariantRow> {
	const id = await hashVariantSpec(spec);
	return guardWrite(() =>
		db.transaction('rw', db.variants, async () => {
			const existing = await db.variants.get(id);
			if (existing) return existing;
			const row: VariantRow = { id, spec: structuredClone(spec), createdAt: now };
			await db.variants.add(row);
			return row;
		})
	);
}

/** The variants with these ids, aligned with `ids` (undefined where none is stored). */
export async function getVariants(db: TuneDb, ids: readonly string[]): Promise<(VariantRow | undefined)[]> {
	return db.variants.bulkGet([...ids]);
}
