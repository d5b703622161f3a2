// One experiment as one portable file: a regular export bundle (same format and version, so
// bundle-io's importBundle reads it) holding only that experiment's rows, written as a Blob of many
// small parts (never one big string), and its import: checked whole first, then written by
// importBundle in one transaction (all or nothing, local rows win). No svelte/worker/web-llm imports.
import { arrayOf, isString, nullable, shape, type Check } from '../domain/bundle/check.ts';
import {
	BUNDLE_FORMAT,
	BUNDLE_SCHEMA_VERSION,
	BUNDLE_TABLE_NAMES,
	BundleError,
	parseBundle,
	type Bundle,
	type BundleTableName
} from '../domain/bundle/index.ts';
import { APP_VERSION, importBundle, type ImportSummary } from './bundle-io.ts';
import type { TuneDb } from './db.ts';
import { listBatches } from './repos/batches.ts';
import { ExperimentNotFoundError, getExperiment } from './repos/experiments.ts';
import { manualScoresOf } from './repos/manual-scores.ts';
import { resultsOfExperiment } from './repos/results.ts';
import { getLatestVersion, getRecipe, getRecipeVersion } from './repos/recipes.ts';
import { getTestItems, getTestSet } from './repos/testsets.ts';
import { getVariants } from './repos/variants.ts';
import { votesOf } from './repos/votes.ts';
import type { RecipeRow, RecipeVersionRow, SettingRow, TestItemRow, TestSetRow, VariantRow } from './rows.ts';

export type { ImportSummary };

/** What the app adds to an experiment file besides the rows. */
export interface ExperimentExtras {
	/** The statistics as the exporting app computed them (any JSON). */
	statistics: unknown;
	/** GPU description (null for endpoint-only work) and engine versions used. */
	environment: { gpu: string | null; engines: string[] };
}

/**
 * validateBundle refuses unknown top-level fields, so the extras travel as ONE settings row with
 * this key (value: ExperimentExtras plus experimentId). Importing stores it like any setting.
 */
export function experimentExportKey(experimentId: string): string {
	return `experiment-export:${experimentId}`;
}

const checkExtras: Check = shape({
	experimentId: isString,
	statistics: () => undefined,
	environment: shape({ gpu: nullable(isString), engines: arrayOf(isString) })
});

// Every table an experiment's rows live in (read together in one transaction).
const READ_TABLES = [
	'experiments',
	'variants',
	'recipes',
	'recipeVersions',
	'testSets',
	'testItems',
	'batches',
	'results',
	'manualScores',
	'votes'
];

/** Collects strings into Blobs of about 1 MB so the JS heap holds one chunk, not the whole file. */
class BlobWriter {
	private readonly chunks: Blob[] = [];
	private parts: string[] = [];
	private chars = 0;
	push(text: string): void {
		this.parts.push(text);
		this.chars += text.length;
		if (this.chars >= 1 << 20) this.flush();
	}
	private flush(): void {
		if (this.parts.length === 0) return;
		this.chunks.push(new Blob(this.parts));
		this.parts = [];
		this.chars = 0;
	}
	blob(type: string): Blob {
		this.flush();
		return new Blob(this.chunks, { type });
	}
}

/**
 * Exports one experiment as a bundle file: the experiment; its variants (listed in it, in its
 * batches or in its votes); its test sets (its own and its batches') with their items; the recipe
 * versions the variants name with their recipes (and each recipe's latest version, so the recipe
 * opens); its batches, results, the manual scores of those results and its votes; the extras as one
 * settings row. Every other table is empty. All rows are read in ONE read transaction (a consistent
 * snapshot); the JSON is the same text JSON.stringify would give for the whole bundle.
 * @throws ExperimentNotFoundError for an unknown id.
 */
export async function exportExperiment(db: TuneDb, experimentId: string, extras: ExperimentExtras, now = new Date()): Promise<Blob> {
	const out = new BlobWriter();
	await db.transaction('r', READ_TABLES, async () => {
		const experiment = await getExperiment(db, experimentId);
		if (!experiment) throw new ExperimentNotFoundError(experimentId);
		const batches = (await listBatches(db, experimentId)).reverse();
		const votes = await votesOf(db, experimentId);

		const variantIds = new Set([...experiment.variants.map((v) => v.variantId), ...batches.flatMap((b) => b.variantIds)]);
		for (const v of votes) variantIds.add(v.a).add(v.b);
		const variants = (await getVariants(db, [...variantIds])).filter((v): v is VariantRow => v !== undefined);

		const recipes = new Map<string, RecipeRow>();
		const versions = new Map<string, RecipeVersionRow>();
		for (const v of variants) {
			const version = await getRecipeVersion(db, v.spec.recipeVersionId);
			if (!version) continue;
			versions.set(version.id, version);
			const recipe = await getRecipe(db, version.recipeId);
			if (!recipe || recipes.has(recipe.id)) continue;
			recipes.set(recipe.id, recipe);
			const latest = await getLatestVersion(db, recipe.id);
			if (latest) versions.set(latest.id, latest);
		}

		const testSets: TestSetRow[] = [];
		const testItems: TestItemRow[] = [];
		const setIds = new Set([...(experiment.testSetId === null ? [] : [experiment.testSetId]), ...batches.map((b) => b.testSetId)]);
		for (const id of setIds) {
			const set = await getTestSet(db, id);
			if (!set) continue;
			testSets.push(set);
			testItems.push(...(await getTestItems(db, id)));
		}

		const note: SettingRow = {
			key: experimentExportKey(experimentId),
			value: { experimentId, statistics: extras.statistics ?? null, environment: extras.environment }
		};
		const rows: Partial<Record<BundleTableName, readonly unknown[]>> = {
			recipes: [...recipes.values()],
			recipeVersions: [...versions.values()],
			settings: [note],
			variants,
			testSets,
			testItems,
			experiments: [experiment],
			batches,
			votes
		};

		// The header with the same keys, in the same order, as buildBundle's object.
		const head = JSON.stringify({
			format: BUNDLE_FORMAT,
			schemaVersion: BUNDLE_SCHEMA_VERSION,
			exportedAt: now.toISOString(),
			appVersion: APP_VERSION
		});
		out.push(`${head.slice(0, -1)},"tables":{`);
		const resultIds: string[] = [];
		for (const [t, name] of BUNDLE_TABLE_NAMES.entries()) {
			out.push(`${t === 0 ? '' : ','}${JSON.stringify(name)}:[`);
			let first = true;
			const emit = (row: unknown) => {
				out.push(first ? JSON.stringify(row) : `,${JSON.stringify(row)}`);
				first = false;
			};
			if (name === 'results') {
				// The big table: read with one getAll (a cursor per row is far slower), then written
				// row by row; the objects go once the array does.
				for (const r of await resultsOfExperiment(db, experimentId)) {
					resultIds.push(r.id);
					emit(r);
				}
			} else if (name === 'manualScores') {
				for (const m of (await manualScoresOf(db, resultIds)).values()) emit(m);
			} else {
				for (const row of rows[name] ?? []) emit(row);
			}
			out.push(']');
		}
		out.push('}}');
	});
	return out.blob('application/json');
}

/** A file name for an experiment export, e.g. "tune-or-prompt-experiment-capitals-2026-12-02.json". */
export function experimentFileName(name: string, now = new Date()): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+/, '')
		.slice(0, 40)
		.replace(/-+$/, '');
	return `tune-or-prompt-experiment-${slug ? `${slug}-` : ''}${now.toISOString().slice(0, 10)}.json`;
}

/**
 * Checks that a valid bundle is ONE experiment's file: exactly one experiment, its batches, results
 * and votes all belong to it, no runs, adapters or derived models (a whole-app export), and settings
 * only its extras row. Returns the experiment id and the extras (null when the file has none).
 * @throws BundleError naming the first problem.
 */
function checkExperimentFile(bundle: Bundle): { experimentId: string; extras: ExperimentExtras | null } {
	const t = bundle.tables;
	if (t.experiments.length === 0) {
		throw new BundleError('tables.experiments', 'this file holds no experiment: choose a file made with "Export experiment"');
	}
	if (t.experiments.length > 1) {
		throw new BundleError(
			'tables.experiments',
			`this file holds ${t.experiments.length} experiments, an experiment file holds exactly one: load a whole-app export with Import instead`
		);
	}
	const experimentId = t.experiments[0].id;
	for (const name of ['runs', 'adapters', 'derivedModels'] as const) {
		if (t[name].length > 0) {
			throw new BundleError(
				`tables.${name}`,
				`an experiment file holds no ${name}: this looks like a whole-app export; load it with Import instead`
			);
		}
	}
	for (const name of ['batches', 'results', 'votes'] as const) {
		t[name].forEach((row, i) => {
			if (row.experimentId !== experimentId) {
				throw new BundleError(
					`tables.${name}[${i}].experimentId`,
					`expected "${experimentId}" (the file's experiment), got ${JSON.stringify(row.experimentId)}`
				);
			}
		});
	}
	let extras: ExperimentExtras | null = null;
	const key = experimentExportKey(experimentId);
	for (const [i, s] of t.settings.entries()) {
		if (s.key !== key)
			throw new BundleError(`tables.settings[${i}].key`, `expected "${key}" (an experiment file carries no other settings)`);
		checkExtras(s.value, `tables.settings[${i}].value`);
		const value = s.value as ExperimentExtras & { experimentId: string };
		if (value.experimentId !== experimentId) {
			throw new BundleError(
				`tables.settings[${i}].value.experimentId`,
				`expected "${experimentId}", got ${JSON.stringify(value.experimentId)}`
			);
		}
		extras = { statistics: value.statistics, environment: value.environment };
	}
	return { experimentId, extras };
}

/**
 * Imports an experiment file. The whole file is checked first (a bad file, a newer bundle version,
 * or a file holding no experiment or several is refused with a BundleError and nothing written),
 * then importBundle writes it in one transaction: rows whose key exists are kept as they are here
 * and counted identical or conflicting, so importing twice adds nothing.
 * @throws BundleError for a bad file, StorageFullError when storage is full.
 */
export async function importExperiment(
	db: TuneDb,
	file: Blob | string
): Promise<{ experimentId: string; summary: ImportSummary; extras: ExperimentExtras | null }> {
	const text = typeof file === 'string' ? file : await file.text();
	const { experimentId, extras } = checkExperimentFile(parseBundle(text));
	// importBundle parses the text a second time: it takes text, and its writing is not duplicated here.
	const summary = await importBundle(db, text);
	return { experimentId, summary, extras };
}
