// Covers: saveVariant / getVariants — the id is the SHA-256 hex of the spec's stable JSON (checked
// against an independent Web Crypto digest of hand-sorted JSON), saving an equal spec (keys in
// another order, sequentially or concurrently) returns the first row and stores one row, a different
// spec gets a different id, getVariants answers aligned with the ids asked.
import { describe, expect, test } from 'vitest';
import { getVariants, saveVariant } from '../../src/storage/repos/variants.ts';
import { makeVariantSpec } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

async function sha256(text: string): Promise<string> {
	const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
	return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

describe('variants', () => {
	test('the id is the SHA-256 of the spec with keys sorted at every level', async () => {
		const db = await freshDb('variants');
		const spec = makeVariantSpec({
			engine: { kind: 'endpoint', baseUrl: 'http://h/v1' },
			model: { source: 'endpoint', modelId: 'm' },
			recipe: { system: 's', examples: [], template: 't', sampling: { temperature: 0 }, variableDefaults: {} },
			sampling: { temperature: 0, seed: 3 }
		});
		const sortedJson =
			'{"engine":{"baseUrl":"http://h/v1","kind":"endpoint"},"model":{"modelId":"m","source":"endpoint"},' +
			'"recipe":{"examples":[],"sampling":{"temperature":0},"system":"s","template":"t","variableDefaults":{}},' +
			'"recipeName":"Summariser","recipeVersionId":"version-x","sampling":{"seed":3,"temperature":0}}';
		const row = await saveVariant(db, spec, 5);
		expect(row.id).toBe(await sha256(sortedJson));
		expect(row).toEqual({ id: row.id, spec, createdAt: 5 });
		db.close();
	});

	test('saving an equal spec again (keys in another order) returns the first row and adds none', async () => {
		const db = await freshDb('variants');
		const spec = makeVariantSpec();
		const first = await saveVariant(db, spec, 1);
		const reordered = Object.fromEntries(Object.entries(spec).reverse()) as typeof spec;
		expect(Object.keys(reordered)).not.toEqual(Object.keys(spec));
		const second = await saveVariant(db, reordered, 2);
		expect(second).toEqual(first);
		expect(second.createdAt).toBe(1);
		expect(await db.variants.count()).toBe(1);
		db.close();
	});

	test('concurrent saves of one spec store exactly one row', async () => {
		const db = await freshDb('variants');
		const spec = makeVariantSpec();
		const rows = await Promise.all([1, 2, 3, 4].map((t) => saveVariant(db, spec, t)));
		expect(new Set(rows.map((r) => r.id)).size).toBe(1);
		expect(await db.variants.count()).toBe(1);
		db.close();
	});

	test('a different spec is a different variant; getVariants answers in the order asked', async () => {
		const db = await freshDb('variants');
		const a = await saveVariant(db, makeVariantSpec());
		const b = await saveVariant(db, makeVariantSpec({ sampling: { temperature: 0.1 } }));
		expect(b.id).not.toBe(a.id);
		const got = await getVariants(db, [b.id, 'missing', a.id]);
		expect(got.map((v) => v?.id)).toEqual([b.id, undefined, a.id]);
		db.close();
	});
});
