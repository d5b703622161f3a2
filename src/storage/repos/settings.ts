// Settings repository: small key/value pairs (endpoint base URL, selected model, …).
// Values must be structured-cloneable plain data. No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';

/** Known keys; other string keys are allowed for features that come later. */
export type SettingKey = 'endpointBaseUrl' | 'selectedModelId' | (string & {});

/** The stored value, or `fallback` when the key is absent. */
export async function getSetting<T>(db: TuneDb, key: SettingKey, fallback: T): Promise<T> {
	const row = await db.settings.get(key);
	return row === undefined ? fallback : (row.value as T);
}

/** Stores a value under a key (replacing any old one). @throws StorageFullError. */
export async function setSetting(db: TuneDb, key: SettingKey, value: unknown): Promise<void> {
	await guardWrite(() => db.settings.put({ key, value: structuredClone(value) }));
}

/** Removes a key. */
export function deleteSetting(db: TuneDb, key: SettingKey): Promise<void> {
	return db.settings.delete(key);
}
