// Covers: the one table registry (src/domain/bundle/tables.ts) agrees with the Dexie database and
// with the bundle: every Dexie table except adapterFiles is exported by the bundle, every registry
// table exists in Dexie with the same primary key and indexes, the registry's older tables equal
// the verbatim v1/v2 schema (v3 changed none of them), and the bundle's tables are the registry's.
import 'fake-indexeddb/auto';
import { describe, expect, test } from 'vitest';
import { BUNDLE_TABLE_KEYS, BUNDLE_TABLE_NAMES, EXPORTED_TABLES, TABLES } from '../../src/domain/bundle/index.ts';
import { SCHEMA_V1, SCHEMA_V2, SCHEMA_V3 } from '../../src/storage/db.ts';
import { buildBundle } from '../../src/storage/bundle-io.ts';
import { freshDb } from './fresh-db.ts';

/** "id, a, &[b+c]" → { primaryKey: "id", indexes: ["&[b+c]", "a"] } (indexes sorted). */
function parseStores(spec: string) {
	const [primaryKey, ...indexes] = spec.split(',').map((s) => s.trim());
	return { primaryKey, indexes: indexes.sort() };
}

describe('table registry', () => {
	test('every Dexie table except adapterFiles is in the bundle, and nothing else is', async () => {
		const db = await freshDb('registry');
		const dexieNames = db.tables.map((t) => t.name).sort();
		expect(dexieNames.filter((n) => n !== 'adapterFiles')).toEqual([...BUNDLE_TABLE_NAMES].sort());
		expect(BUNDLE_TABLE_NAMES).not.toContain('adapterFiles');
		db.close();
	});

	test('every registry table exists in the opened database with the same key and indexes', async () => {
		const db = await freshDb('registry');
		expect(db.tables.map((t) => t.name).sort()).toEqual(TABLES.map((t) => t.name).sort());
		for (const spec of TABLES) {
			const table = db.table(spec.name);
			expect(table.schema.primKey.src, `${spec.name} primary key`).toBe(spec.primaryKey);
			expect(table.schema.primKey.auto, `${spec.name} auto-increment`).toBe(false);
			expect(table.schema.indexes.map((i) => i.src).sort(), `${spec.name} indexes`).toEqual([...spec.indexes].sort());
		}
		db.close();
	});

	test('the comparison tables have exactly the keys and indexes of the v3 design', () => {
		const v3 = Object.fromEntries(Object.entries(SCHEMA_V3).map(([k, v]) => [k, parseStores(v)]));
		expect(v3.variants).toEqual({ primaryKey: 'id', indexes: [] });
		expect(v3.testSets).toEqual({ primaryKey: 'id', indexes: ['updatedAt'] });
		expect(v3.testItems).toEqual({ primaryKey: 'id', indexes: ['&[testSetId+index]', 'testSetId'] });
		expect(v3.experiments).toEqual({ primaryKey: 'id', indexes: ['testSetId', 'updatedAt'] });
		expect(v3.batches).toEqual({ primaryKey: 'id', indexes: ['[experimentId+createdAt]', 'experimentId', 'status'] });
		expect(v3.results).toEqual({
			primaryKey: 'id',
			indexes: ['&[batchId+variantId+itemId]', '[experimentId+itemId]', 'batchId', 'experimentId', 'reuseKey']
		});
		expect(v3.manualScores).toEqual({ primaryKey: 'resultId', indexes: [] });
		expect(v3.votes).toEqual({ primaryKey: 'id', indexes: ['&[experimentId+itemId+a+b]', 'experimentId'] });
	});

	test('tables from versions 1 and 2 are listed in v3 exactly as those versions declared them', () => {
		const before: Record<string, string> = { ...SCHEMA_V1, ...SCHEMA_V2 };
		for (const [name, spec] of Object.entries(before)) {
			expect(parseStores((SCHEMA_V3 as Record<string, string>)[name]), name).toEqual(parseStores(spec));
		}
	});

	test('bundle keys are the registry primary keys and an exported bundle has every exported table', async () => {
		for (const t of EXPORTED_TABLES) expect(BUNDLE_TABLE_KEYS[t.name]).toBe(t.primaryKey);
		expect(BUNDLE_TABLE_KEYS).toMatchObject({ manualScores: 'resultId', settings: 'key', results: 'id' });
		const db = await freshDb('registry');
		const bundle = await buildBundle(db);
		expect(Object.keys(bundle.tables).sort()).toEqual([...BUNDLE_TABLE_NAMES].sort());
		db.close();
	});
});
