// Derived-model repository: models merged from a base model and an adapter, content-addressed.
// The weights themselves live in web-llm's own cache, not here. No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { DerivedModelRow } from '../rows.ts';

/** Stores (or replaces) a derived model record. @throws StorageFullError. */
export async function putDerivedModel(db: TuneDb, row: DerivedModelRow): Promise<void> {
	await guardWrite(() => db.derivedModels.put(structuredClone(row)));
}

/** One derived model, or undefined. */
export function getDerivedModel(db: TuneDb, id: string): Promise<DerivedModelRow | undefined> {
	return db.derivedModels.get(id);
}

/** All derived models, newest first. */
export async function listDerivedModels(db: TuneDb): Promise<DerivedModelRow[]> {
	return (await db.derivedModels.orderBy('createdAt').toArray()).reverse();
}

/** Derived models made from one adapter. */
export function listDerivedModelsByAdapter(db: TuneDb, adapterId: string): Promise<DerivedModelRow[]> {
	return db.derivedModels.where('adapterId').equals(adapterId).toArray();
}

/** Deletes a derived model record. */
export function deleteDerivedModel(db: TuneDb, id: string): Promise<void> {
	return db.derivedModels.delete(id);
}
