// Covers: exportAll → importBundle round trip into an empty db (every table equal, adapter blobs
// excluded and reported), merge policy (existing keys skipped: identical vs conflicting, recipe
// version slot conflicts), secret-looking settings left out of exports, imported 'running' runs become 'interrupted', all-or-nothing import
// (a bundle whose 5th run is invalid writes nothing; a write failure mid-transaction rolls back).
// Comparison tables (bundle version 2): round trip of variants, test sets and items, experiments,
// batches, results, manual scores and votes; a version-1 file imports with those tables empty; a
// row whose unique slot is taken locally is a conflict; imported 'running' batches become 'paused';
// a bad result row writes nothing.
import { describe, expect, test } from 'vitest';
import { BUNDLE_FORMAT, BundleError, type Bundle } from '../../src/domain/bundle/index.ts';
import type { TuneDb } from '../../src/storage/db.ts';
import { APP_VERSION, buildBundle, exportAll, importBundle } from '../../src/storage/bundle-io.ts';
import { putAdapter } from '../../src/storage/repos/adapters.ts';
import { createBatch } from '../../src/storage/repos/batches.ts';
import { createExperiment } from '../../src/storage/repos/experiments.ts';
import { setManualScore } from '../../src/storage/repos/manual-scores.ts';
import { putResult } from '../../src/storage/repos/results.ts';
import { createTestSet, getTestItems } from '../../src/storage/repos/testsets.ts';
import { saveVariant } from '../../src/storage/repos/variants.ts';
import { setVote } from '../../src/storage/repos/votes.ts';
import { createRecipe, saveRecipeVersion } from '../../src/storage/repos/recipes.ts';
import { setSetting } from '../../src/storage/repos/settings.ts';
import {
	makeAdapter,
	makeDerivedModel,
	makeRecipeContent,
	makeResult,
	makeRun,
	makeRuns,
	makeVariantSpec,
	makeVote
} from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

async function seed(db: TuneDb): Promise<void> {
	const { recipe } = await createRecipe(db, 'Summariser', makeRecipeContent(), 1000);
	await saveRecipeVersion(db, recipe.id, makeRecipeContent({ system: 'v2' }), 2000);
	await db.runs.bulkAdd(makeRuns(12));
	const adapter = makeAdapter({ id: 'ad1' });
	await putAdapter(db, adapter, new Map([[adapter.files[0].hash, new Blob(['LORA'])]]));
	await db.derivedModels.add(makeDerivedModel({ id: 'dm1', adapterId: 'ad1' }));
	await setSetting(db, 'endpointBaseUrl', 'http://localhost:9/v1');
}

async function tablesOf(db: TuneDb) {
	return (await buildBundle(db)).tables;
}

describe('export and import', () => {
	test('round trip into an empty database restores every table except adapter blobs', async () => {
		const source = await freshDb('export');
		await seed(source);
		const file = await exportAll(source);
		expect(file.type).toBe('application/json');
		const parsed = JSON.parse(await file.text()) as Bundle;
		expect(parsed).toMatchObject({ format: BUNDLE_FORMAT, schemaVersion: 2, appVersion: APP_VERSION });
		expect(JSON.stringify(parsed)).not.toContain('LORA');

		const target = await freshDb('import');
		const summary = await importBundle(target, file);
		expect(await tablesOf(target)).toEqual(await tablesOf(source));
		expect(summary.tables.runs).toEqual({ added: 12, identical: 0, conflicting: 0 });
		expect(summary.tables.recipeVersions.added).toBe(2);
		expect(summary.adaptersWithoutFiles).toBe(1);
		expect(await target.adapterFiles.count()).toBe(0);
		source.close();
		target.close();
	});

	test('settings that look secret are not exported', async () => {
		const db = await freshDb('export');
		await setSetting(db, 'endpointApiKey', 'sk-123');
		await setSetting(db, 'hfToken', 'hf_abc');
		await setSetting(db, 'selectedModelId', 'm');
		const text = await (await exportAll(db)).text();
		expect(JSON.parse(text).tables.settings).toEqual([{ key: 'selectedModelId', value: 'm' }]);
		expect(text).not.toMatch(/sk-123|hf_abc/);
		db.close();
	});

	test('importing into the same db skips every row as identical', async () => {
		const db = await freshDb('import');
		await seed(db);
		const text = JSON.stringify(await buildBundle(db));
		const summary = await importBundle(db, text);
		for (const counts of Object.values(summary.tables)) {
			expect(counts.added).toBe(0);
			expect(counts.conflicting).toBe(0);
		}
		expect(summary.tables.runs.identical).toBe(12);
		expect(summary.adaptersWithoutFiles).toBe(0);
		db.close();
	});

	test('existing keys win: differing rows are counted as conflicts and left unchanged', async () => {
		const db = await freshDb('import');
		await db.runs.add(makeRun({ id: 'same', output: 'local' }));
		const bundle = await buildBundle(await freshDb('other'));
		bundle.tables.runs = [makeRun({ id: 'same', output: 'imported' }), makeRun({ id: 'new' })];
		const summary = await importBundle(db, JSON.stringify(bundle));
		expect(summary.tables.runs).toEqual({ added: 1, identical: 0, conflicting: 1 });
		expect((await db.runs.get('same'))?.output).toBe('local');
		expect(await db.runs.get('new')).toBeDefined();
		db.close();
	});

	test('a recipe version whose (recipe, number) slot is taken is a conflict, not a crash', async () => {
		const db = await freshDb('import');
		const { recipe, version } = await createRecipe(db, 'R', makeRecipeContent());
		const bundle = await buildBundle(db);
		bundle.tables.recipeVersions = [{ ...version, id: 'other-id', hash: 'x' }];
		bundle.tables.recipes = [];
		const summary = await importBundle(db, JSON.stringify(bundle));
		expect(summary.tables.recipeVersions).toEqual({ added: 0, identical: 0, conflicting: 1 });
		expect(await db.recipeVersions.where('recipeId').equals(recipe.id).count()).toBe(1);
		db.close();
	});

	test("imported runs still 'running' become 'interrupted'", async () => {
		const db = await freshDb('import');
		const bundle = await buildBundle(db);
		bundle.tables.runs = [makeRun({ id: 'live', status: 'running' })];
		await importBundle(db, JSON.stringify(bundle));
		expect((await db.runs.get('live'))?.status).toBe('interrupted');
		db.close();
	});

	test('a bundle whose 5th run is invalid imports nothing', async () => {
		const db = await freshDb('import');
		const source = await freshDb('export');
		await seed(source);
		const bundle = JSON.parse(await (await exportAll(source)).text());
		bundle.tables.runs[4].status = 'exploded';
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow(BundleError);
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow(/tables\.runs\[4\]\.status/);
		for (const table of db.tables) expect(await table.count()).toBe(0);
		source.close();
		db.close();
	});

	test('a failure while writing rolls the whole import back', async () => {
		const db = await freshDb('import');
		const bundle = await buildBundle(db);
		bundle.tables.runs = makeRuns(5);
		bundle.tables.settings = [{ key: 'k', value: 1 }];
		// Make the last table's write fail inside the transaction (after runs were added).
		db.settings.hook('creating', () => {
			throw new Error('disk on fire');
		});
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow();
		expect(await db.runs.count()).toBe(0);
		expect(await db.settings.count()).toBe(0);
		db.close();
	});
});

const COMPARISON_TABLES = ['variants', 'testSets', 'testItems', 'experiments', 'batches', 'results', 'manualScores', 'votes'] as const;

/** A small comparison: 2 variants, a 2-item set, an experiment, a batch, 4 results, a score, a vote. */
async function seedComparison(db: TuneDb): Promise<void> {
	const base = await saveVariant(db, makeVariantSpec());
	const lora = await saveVariant(
		db,
		makeVariantSpec({ model: { source: 'derived', modelId: 'd', baseModelId: 'b', adapterId: 'ad1', scale: 1 } })
	);
	const set = await createTestSet(
		db,
		{ name: 'Capitals', columns: ['country'], scoring: { assertions: [{ type: 'icontains' }] }, source: 'c.csv', description: 'd' },
		[{ vars: { country: 'France' }, expected: 'Paris' }, { vars: { country: 'Peru' } }]
	);
	const items = await getTestItems(db, set.id);
	const variants = [
		{ variantId: base.id, label: 'Prompt' },
		{ variantId: lora.id, label: 'LoRA' }
	];
	const exp = await createExperiment(db, { name: 'E', testSetId: set.id, variants, primary: [base.id, lora.id] });
	const batch = await createBatch(db, {
		experimentId: exp.id,
		testSetId: set.id,
		variantIds: [base.id, lora.id],
		itemIds: items.map((i) => i.id),
		fresh: false
	});
	for (const v of [base, lora]) {
		for (const item of items) {
			await putResult(db, makeResult({ batchId: batch.id, experimentId: exp.id, variantId: v.id, itemId: item.id }));
		}
	}
	const [first] = await db.results.toArray();
	await setManualScore(db, first.id, { pass: false, comment: 'wrong city' });
	await setVote(db, { experimentId: exp.id, itemId: items[0].id, a: base.id, b: lora.id, winner: 'b' });
}

describe('export and import of the comparison tables', () => {
	test('every comparison table round-trips into an empty database', async () => {
		const source = await freshDb('export');
		await seed(source);
		await seedComparison(source);
		const expected = { variants: 2, testSets: 1, testItems: 2, experiments: 1, batches: 1, results: 4, manualScores: 1, votes: 1 };
		for (const t of COMPARISON_TABLES) expect(await source.table(t).count(), t).toBe(expected[t]);

		const target = await freshDb('import');
		const summary = await importBundle(target, await exportAll(source));
		for (const t of COMPARISON_TABLES) {
			expect(summary.tables[t], t).toEqual({ added: expected[t], identical: 0, conflicting: 0 });
		}
		const after = await tablesOf(target);
		const before = await tablesOf(source);
		// The source batch is still 'running', so the imported one is 'paused'; everything else equal.
		expect(after.batches.map((b) => b.status)).toEqual(['paused']);
		expect({ ...after, batches: [] }).toEqual({ ...before, batches: [] });
		expect({ ...after.batches[0], status: 'running' }).toEqual(before.batches[0]);
		source.close();
		target.close();
	});

	test('a version-1 file (no comparison tables) imports with those tables empty', async () => {
		const source = await freshDb('export');
		await seed(source);
		const bundle = JSON.parse(await (await exportAll(source)).text());
		bundle.schemaVersion = 1;
		for (const t of COMPARISON_TABLES) delete bundle.tables[t];
		const target = await freshDb('import');
		const summary = await importBundle(target, JSON.stringify(bundle));
		expect(summary.tables.runs.added).toBe(12);
		for (const t of COMPARISON_TABLES) {
			expect(summary.tables[t]).toEqual({ added: 0, identical: 0, conflicting: 0 });
			expect(await target.table(t).count()).toBe(0);
		}
		source.close();
		target.close();
	});

	test('a file from a newer app is refused and writes nothing', async () => {
		const db = await freshDb('import');
		const bundle = await buildBundle(db);
		bundle.schemaVersion = 3;
		bundle.tables.runs = makeRuns(2);
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow(
			/exported by a newer version of Tune or Prompt \(bundle version 3\); this app reads up to version 2\. Update the app/
		);
		expect(await db.runs.count()).toBe(0);
		db.close();
	});

	test('a row whose unique slot is taken by a different local row is a conflict', async () => {
		const db = await freshDb('import');
		await db.results.add(makeResult({ id: 'local', batchId: 'b', variantId: 'v', itemId: 'i', output: 'mine' }));
		await db.votes.add(makeVote({ id: 'local-vote', experimentId: 'e', itemId: 'i', a: 'x', b: 'y', winner: 'a' }));
		const bundle = await buildBundle(await freshDb('other'));
		bundle.tables.results = [
			makeResult({ id: 'theirs', batchId: 'b', variantId: 'v', itemId: 'i', output: 'theirs' }),
			makeResult({ id: 'new', batchId: 'b', variantId: 'v', itemId: 'j' })
		];
		bundle.tables.votes = [makeVote({ id: 'their-vote', experimentId: 'e', itemId: 'i', a: 'x', b: 'y', winner: 'b' })];
		const summary = await importBundle(db, JSON.stringify(bundle));
		expect(summary.tables.results).toEqual({ added: 1, identical: 0, conflicting: 1 });
		expect(summary.tables.votes).toEqual({ added: 0, identical: 0, conflicting: 1 });
		expect((await db.results.toCollection().primaryKeys()).sort()).toEqual(['local', 'new']);
		expect((await db.votes.get('local-vote'))?.winner).toBe('a');
		db.close();
	});

	test('a bundle whose 4th result is invalid imports nothing, naming the path', async () => {
		const source = await freshDb('export');
		await seed(source);
		await seedComparison(source);
		const bundle = JSON.parse(await (await exportAll(source)).text());
		bundle.tables.results[3].variantId = 42;
		const db = await freshDb('import');
		await expect(importBundle(db, JSON.stringify(bundle))).rejects.toThrow('tables.results[3].variantId: expected a string, got number 42');
		for (const table of db.tables) expect(await table.count()).toBe(0);
		source.close();
		db.close();
	});

	test('a failure while writing the votes rolls back every table', async () => {
		const source = await freshDb('export');
		await seedComparison(source);
		const text = await (await exportAll(source)).text();
		const db = await freshDb('import');
		db.votes.hook('creating', () => {
			throw new Error('disk on fire');
		});
		await expect(importBundle(db, text)).rejects.toThrow();
		for (const table of db.tables) expect(await table.count(), table.name).toBe(0);
		source.close();
		db.close();
	});
});
