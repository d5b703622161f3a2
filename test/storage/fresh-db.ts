// Opens a TuneDb with a unique name on fake-indexeddb and deletes it after the test.
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach } from 'vitest';
import { openDb, type TuneDb } from '../../src/storage/db.ts';

const opened: string[] = [];
let n = 0;

/** A unique database name for this test file. */
export function uniqueDbName(label: string): string {
	n += 1;
	const name = `test-${label}-${n}-${Math.random().toString(36).slice(2)}`;
	opened.push(name);
	return name;
}

/** A freshly created, open TuneDb that is deleted after the current test. */
export function freshDb(label = 'db'): Promise<TuneDb> {
	return openDb(uniqueDbName(label));
}

afterEach(async () => {
	for (const name of opened.splice(0)) await Dexie.delete(name);
});
