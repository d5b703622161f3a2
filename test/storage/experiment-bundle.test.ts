// Covers: one experiment's export (only its rows, every other table empty but the extras settings row,
// same text as JSON.stringify) and import into a fresh db (every row deep-equal, nothing else added);
// importing twice adds nothing; a local row with the same id wins as a conflict; corrupted or wrong
// files write nothing; 5,000 results stream into a Blob of exactly the JSON's bytes; file names.
import { describe, expect, test, vi } from 'vitest';
import {
	type Bundle,
	BUNDLE_FORMAT,
	BUNDLE_TABLE_KEYS,
	BUNDLE_TABLE_NAMES,
	BundleError,
	newerBundleMessage,
	parseBundle
} from '../../src/domain/bundle/index.ts';
import { stableStringify } from '../../src/domain/recipes/hash.ts';
import type { TuneDb } from '../../src/storage/db.ts';
import type { ResultRow } from '../../src/storage/rows.ts';
import { APP_VERSION, exportAll } from '../../src/storage/bundle-io.ts';
import {
	experimentExportKey,
	experimentFileName,
	exportExperiment,
	importExperiment,
	type ExperimentExtras
} from '../../src/storage/experiment-bundle.ts';
import { putAdapter } from '../../src/storage/repos/adapters.ts';
import { createBatch, setBatchStatus } from '../../src/storage/repos/batches.ts';
import { createExperiment, ExperimentNotFoundError } from '../../src/storage/repos/experiments.ts';
import { setManualScore } from '../../src/storage/repos/manual-scores.ts';
import { createRecipe, saveRecipeVersion } from '../../src/storage/repos/recipes.ts';
import { putResult } from '../../src/storage/repos/results.ts';
import { setSetting } from '../../src/storage/repos/settings.ts';
import { createTestSet, getTestItems } from '../../src/storage/repos/testsets.ts';
import { saveVariant } from '../../src/storage/repos/variants.ts';
import { setVote } from '../../src/storage/repos/votes.ts';
import { makeAdapter, makeDerivedModel, makeRecipeContent, makeResult, makeRuns, makeVariantSpec } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

type Rows = Record<string, Record<string, unknown>[]>;

const extras: ExperimentExtras = {
	statistics: { pairs: [{ a: 'Prompt', b: 'LoRA', verdict: 'b', mcnemarP: 0.031 }] },
	environment: { gpu: 'NVIDIA H200 (vulkan)', engines: ['@mlc-ai/web-llm 0.2.86', 'llama.cpp b4567'] }
};

/** Every table's rows (adapter file blobs included), sorted by primary key. */
async function snapshot(db: TuneDb): Promise<Rows> {
	const out: Rows = {};
	for (const name of BUNDLE_TABLE_NAMES) {
		const key = BUNDLE_TABLE_KEYS[name];
		const rows = (await db.table(name).toArray()) as Record<string, unknown>[];
		out[name] = rows.sort((x, y) => String(x[key]).localeCompare(String(y[key])));
	}
	out.adapterFiles = (await db.adapterFiles.toArray()).map((f) => ({ hash: f.hash, sizeBytes: f.sizeBytes }));
	return out;
}

/** One experiment with everything around it; returns its id and the ids of its rows by table. */
async function seedExperiment(db: TuneDb, name: string, shared?: { variantId: string }) {
	const { recipe, version } = await createRecipe(db, `${name} recipe`, makeRecipeContent({ template: 'Capital of {{country}}?' }), 1000);
	// a newer version the variant does not name: exported too, so the recipe opens after import
	const latest = await saveRecipeVersion(db, recipe.id, makeRecipeContent({ system: 'v2' }), 2000);
	const { recipe: loraRecipe, version: loraVersion } = await createRecipe(
		db,
		`${name} plain`,
		makeRecipeContent({ system: '', examples: [] })
	);
	const base = await saveVariant(db, makeVariantSpec({ recipeVersionId: version.id, recipeName: recipe.name }));
	const lora = await saveVariant(
		db,
		makeVariantSpec({
			recipeVersionId: loraVersion.id,
			recipeName: loraRecipe.name,
			model: { source: 'derived', modelId: `${name}-d`, baseModelId: 'b', adapterId: 'ad1', scale: 1 }
		})
	);
	const set = await createTestSet(
		db,
		{ name: `${name} set`, columns: ['country'], scoring: { assertions: [{ type: 'icontains' }] }, source: 'c.csv' },
		[{ vars: { country: 'France' }, expected: 'Paris' }, { vars: { country: 'Peru' } }]
	);
	const items = await getTestItems(db, set.id);
	const variantIds = [base.id, lora.id, ...(shared ? [shared.variantId] : [])];
	const exp = await createExperiment(db, {
		name,
		testSetId: set.id,
		variants: variantIds.map((id, i) => ({ variantId: id, label: `V${i}` })),
		primary: [base.id, lora.id]
	});
	const batch = await createBatch(db, {
		experimentId: exp.id,
		testSetId: set.id,
		variantIds,
		itemIds: items.map((i) => i.id),
		fresh: false
	});
	await setBatchStatus(db, batch.id, 'done');
	const resultIds: string[] = [];
	for (const v of variantIds) {
		for (const item of items) {
			const { row } = await putResult(
				db,
				makeResult({
					batchId: batch.id,
					experimentId: exp.id,
					variantId: v,
					itemId: item.id,
					output: `${name} ${v.slice(0, 6)} ${item.index} ✓`
				})
			);
			resultIds.push(row.id);
		}
	}
	await setManualScore(db, resultIds[0], { pass: false, comment: 'wrong city, "really"' });
	const vote = await setVote(db, { experimentId: exp.id, itemId: items[0].id, a: base.id, b: lora.id, winner: 'b' });
	return {
		id: exp.id,
		ids: {
			experiments: [exp.id],
			variants: [base.id, lora.id],
			recipes: [recipe.id, loraRecipe.id],
			recipeVersions: [version.id, latest.id, loraVersion.id],
			testSets: [set.id],
			testItems: items.map((i) => i.id),
			batches: [batch.id],
			results: resultIds,
			manualScores: [resultIds[0]],
			votes: [vote.id]
		} as Record<string, string[]>
	};
}

/** Two experiments E and F (F shares E's base variant) plus runs, an adapter, a derived model and settings. */
async function seedTwo(db: TuneDb) {
	const e = await seedExperiment(db, 'Capitals');
	const f = await seedExperiment(db, 'Other', { variantId: e.ids.variants[0] });
	await db.runs.bulkAdd(makeRuns(3));
	const adapter = makeAdapter({ id: 'ad1' });
	await putAdapter(db, adapter, new Map([[adapter.files[0].hash, new Blob(['LORA'])]]));
	await db.derivedModels.add(makeDerivedModel({ id: 'dm1', adapterId: 'ad1' }));
	await setSetting(db, 'endpointBaseUrl', 'http://localhost:9/v1');
	await setSetting(db, 'endpointApiKey', 'sk-secret');
	return { e, f };
}

/** E's rows as they are in `db`, sorted like snapshot(), with every other table empty. */
async function rowsOf(db: TuneDb, ids: Record<string, string[]>): Promise<Rows> {
	const all = await snapshot(db);
	const out: Rows = { adapterFiles: [] };
	for (const name of BUNDLE_TABLE_NAMES) {
		const key = BUNDLE_TABLE_KEYS[name];
		out[name] = all[name].filter((r) => (ids[name] ?? []).includes(r[key] as string));
	}
	return out;
}

async function expectRejected(db: TuneDb, file: string | Blob, message: RegExp | string): Promise<void> {
	const before = stableStringify(await snapshot(db));
	const attempt = importExperiment(db, file);
	await expect(attempt).rejects.toBeInstanceOf(BundleError);
	await expect(importExperiment(db, file)).rejects.toThrow(message);
	expect(stableStringify(await snapshot(db))).toBe(before);
}

describe('exportExperiment', () => {
	test('writes a bundle holding only the experiment rows and the extras row, as JSON.stringify would', async () => {
		const db = await freshDb('export');
		const { e } = await seedTwo(db);
		const blob = await exportExperiment(db, e.id, extras, new Date('2026-12-02T10:00:00Z'));
		expect(blob.type).toBe('application/json');
		const text = await blob.text();
		const parsed = JSON.parse(text);
		// same text as one big JSON.stringify of the same object: keys in bundle order, no spaces
		expect(text).toBe(JSON.stringify(parsed));
		expect(blob.size).toBe(new TextEncoder().encode(text).length);
		expect(parsed).toMatchObject({
			format: BUNDLE_FORMAT,
			schemaVersion: 2,
			exportedAt: '2026-12-02T10:00:00.000Z',
			appVersion: APP_VERSION
		});
		expect(Object.keys(parsed)).toEqual(['format', 'schemaVersion', 'exportedAt', 'appVersion', 'tables']);
		expect(Object.keys(parsed.tables)).toEqual([...BUNDLE_TABLE_NAMES]);
		parseBundle(text);

		const expected = await rowsOf(db, e.ids);
		for (const name of BUNDLE_TABLE_NAMES) {
			if (name === 'settings') continue;
			const key = BUNDLE_TABLE_KEYS[name];
			const sorted = [...parsed.tables[name]].sort((x, y) => String(x[key]).localeCompare(String(y[key])));
			expect(sorted, name).toEqual(expected[name]);
		}
		expect(parsed.tables.runs).toEqual([]);
		expect(parsed.tables.adapters).toEqual([]);
		expect(parsed.tables.derivedModels).toEqual([]);
		expect(parsed.tables.settings).toEqual([{ key: `experiment-export:${e.id}`, value: { experimentId: e.id, ...extras } }]);
		expect(text).not.toMatch(/sk-secret|LORA|Other set/);
		db.close();
	});

	test('refuses an unknown experiment', async () => {
		const db = await freshDb('export');
		await expect(exportExperiment(db, 'nope', extras)).rejects.toBeInstanceOf(ExperimentNotFoundError);
		db.close();
	});

	test('5,000 results stream into a Blob whose size is the byte length of the JSON, and parse back', async () => {
		const db = await freshDb('export');
		const e = await seedExperiment(db, 'Big');
		const [batchId] = e.ids.batches;
		const many = Array.from({ length: 5000 }, (_, i) =>
			makeResult({ batchId, experimentId: e.id, variantId: e.ids.variants[0], itemId: `bulk-${i}`, output: `réponse ${i} 🙂 "q"\n` })
		);
		await db.results.bulkAdd(many);
		// streamed: no single JSON.stringify call returns more than one row's worth of text
		const stringify = JSON.stringify;
		let longest = 0;
		const spy = vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
			const out = stringify(...args);
			longest = Math.max(longest, out?.length ?? 0);
			return out;
		});
		const blob = await exportExperiment(db, e.id, extras);
		spy.mockRestore();
		expect(longest).toBeLessThan(2000);
		expect(blob.size).toBeGreaterThan(2_000_000);
		const text = await blob.text();
		const bundle = parseBundle(text);
		expect(bundle.tables.results).toHaveLength(5000 + e.ids.results.length);
		expect(blob.size).toBe(Buffer.byteLength(JSON.stringify(JSON.parse(text)), 'utf8'));
		expect(blob.size).toBeGreaterThan(text.length); // multi-byte characters: bytes, not UTF-16 units
		db.close();
	}, 30_000);
});

describe('importExperiment', () => {
	test('round trip into a fresh database restores every row of the experiment and nothing else', async () => {
		const source = await freshDb('export');
		const { e } = await seedTwo(source);
		const file = await exportExperiment(source, e.id, extras);
		const target = await freshDb('import');
		const { experimentId, summary, extras: back } = await importExperiment(target, file);
		expect(experimentId).toBe(e.id);
		expect(back).toEqual(extras);
		const expected = await rowsOf(source, e.ids);
		expected.settings = [{ key: experimentExportKey(e.id), value: { experimentId: e.id, ...extras } }];
		expect(await snapshot(target)).toEqual(expected);
		for (const name of BUNDLE_TABLE_NAMES) {
			expect(summary.tables[name], name).toEqual({ added: expected[name].length, identical: 0, conflicting: 0 });
		}
		expect(summary.tables.results.added).toBe(4);
		expect(summary.tables.recipeVersions.added).toBe(3);
		source.close();
		target.close();
	});

	test('importing the same file twice adds nothing the second time', async () => {
		const source = await freshDb('export');
		const { e } = await seedTwo(source);
		const text = await (await exportExperiment(source, e.id, extras)).text();
		const target = await freshDb('import');
		const first = await importExperiment(target, text);
		const after = await snapshot(target);
		const second = await importExperiment(target, text);
		expect(await snapshot(target)).toEqual(after);
		for (const name of BUNDLE_TABLE_NAMES) {
			const { added } = first.summary.tables[name];
			expect(second.summary.tables[name], name).toEqual({ added: 0, identical: added, conflicting: 0 });
		}
		source.close();
		target.close();
	});

	test('a local row with the same id is kept and counted as a conflict', async () => {
		const source = await freshDb('export');
		const { e } = await seedTwo(source);
		const file = await exportExperiment(source, e.id, extras);
		const target = await freshDb('import');
		const original = (await source.results.get(e.ids.results[1]))!;
		await target.results.add({ ...original, output: 'the local answer' });
		const { summary } = await importExperiment(target, file);
		expect(summary.tables.results).toEqual({ added: 3, identical: 0, conflicting: 1 });
		expect((await target.results.get(original.id))?.output).toBe('the local answer');
		expect(await target.results.count()).toBe(4);
		source.close();
		target.close();
	});

	test('a corrupted or wrong file is refused whole and writes nothing', async () => {
		const source = await freshDb('export');
		const { e } = await seedTwo(source);
		const text = await (await exportExperiment(source, e.id, extras)).text();
		const target = await freshDb('import');
		await seedExperiment(target, 'Already here');
		const edit = (change: (b: Bundle) => void) => {
			const b = JSON.parse(text) as Bundle;
			change(b);
			return JSON.stringify(b);
		};

		await expectRejected(target, text.slice(0, Math.floor(text.length / 2)), /^not valid JSON/);
		await expectRejected(
			target,
			edit((b) => delete (b.tables.results[2] as Partial<ResultRow>).output),
			'tables.results[2].output: missing required field'
		);
		await expectRejected(
			target,
			edit((b) => (b.schemaVersion = 99)),
			`schemaVersion: ${newerBundleMessage(99)}`
		);
		await expectRejected(
			target,
			edit((b) => ((b.tables as unknown as Record<string, unknown[]>).secrets = [])),
			'tables.secrets: unknown table'
		);
		await expectRejected(
			target,
			edit((b) => (b.tables.experiments = [])),
			/^tables\.experiments: this file holds no experiment/
		);
		await expectRejected(
			target,
			edit((b) => b.tables.experiments.push({ ...b.tables.experiments[0], id: 'second' })),
			/^tables\.experiments: this file holds 2 experiments/
		);
		await expectRejected(
			target,
			edit((b) => (b.tables.votes[0].experimentId = 'elsewhere')),
			/^tables\.votes\[0\]\.experimentId: expected/
		);
		await expectRejected(
			target,
			edit((b) => (((b.tables.settings[0].value as ExperimentExtras).environment as { gpu: unknown }).gpu = 7)),
			/^tables\.settings\[0\]\.value\.environment\.gpu: expected a string/
		);
		// a whole-app backup: two experiments (and runs, adapters) — Import all is the way for it
		await expectRejected(target, await exportAll(source), /^tables\.experiments: this file holds 2 experiments/);
		source.close();
		target.close();
	});
});

describe('experimentFileName', () => {
	test('slugs the name (a–z, 0–9 and dashes, at most 40) and adds the date', () => {
		const now = new Date('2026-12-02T23:00:00Z');
		expect(experimentFileName('Capitals: Prompt vs LoRA!', now)).toBe('tune-or-prompt-experiment-capitals-prompt-vs-lora-2026-12-02.json');
		expect(experimentFileName('Café  Crème', now)).toBe('tune-or-prompt-experiment-cafe-creme-2026-12-02.json');
		expect(experimentFileName('日本語', now)).toBe('tune-or-prompt-experiment-2026-12-02.json');
		const long = experimentFileName('a'.repeat(39) + ' b c', now);
		expect(long).toBe(`tune-or-prompt-experiment-${'a'.repeat(39)}-2026-12-02.json`);
		expect(experimentFileName('x'.repeat(100), now)).toBe(`tune-or-prompt-experiment-${'x'.repeat(40)}-2026-12-02.json`);
	});
});
