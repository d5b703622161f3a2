// Covers: validateBundle / parseBundle — a valid bundle passes unchanged; table-driven bad bundles
// (not JSON, wrong format tag, newer/invalid schemaVersion, missing fields and tables, wrong types,
// bad enum values, unexpected fields, duplicate ids, bad nested sampling, and every comparison row
// shape: variants, test sets and items, experiments, batches, results, manual scores, votes, plus
// duplicate unique slots) each give a BundleError whose path names the first problem. A version-1
// file (no comparison tables) reads with them empty; a newer file is refused in plain words.
import { describe, expect, test } from 'vitest';
import {
	BUNDLE_FORMAT,
	BUNDLE_SCHEMA_VERSION,
	BundleError,
	parseBundle,
	validateBundle,
	type Bundle
} from '../../../src/domain/bundle/index.ts';
import {
	makeAdapter,
	makeBatch,
	makeDerivedModel,
	makeExperiment,
	makeManualScore,
	makeRecipe,
	makeRecipeVersion,
	makeResult,
	makeRun,
	makeTestItem,
	makeTestSet,
	makeVariant,
	makeVariantSpec,
	makeVote
} from '../../factories/rows.ts';
import { scoreOutput } from '../../../src/domain/scoring/index.ts';

function validBundle(): Bundle {
	return {
		format: BUNDLE_FORMAT,
		schemaVersion: BUNDLE_SCHEMA_VERSION,
		exportedAt: '2025-01-01T00:00:00.000Z',
		appVersion: '0.1.0',
		tables: {
			recipes: [makeRecipe({ id: 'r1' })],
			recipeVersions: [makeRecipeVersion({ id: 'v1', recipeId: 'r1' })],
			runs: [0, 1, 2, 3, 4, 5].map((i) => makeRun({ id: `run${i}` })),
			adapters: [makeAdapter({ id: 'a1' })],
			derivedModels: [makeDerivedModel({ id: 'd1' })],
			settings: [
				{ key: 'endpointBaseUrl', value: 'http://localhost:8080/v1' },
				{ key: 'n', value: 3 }
			],
			variants: [
				makeVariant({ id: 'va' }),
				makeVariant({
					id: 'vb',
					spec: makeVariantSpec({
						engine: { kind: 'endpoint', baseUrl: 'http://localhost:8000/v1' },
						model: { source: 'endpoint', modelId: 'qwen', adapter: { convention: 'llamacpp', id: 0, scale: 1 } }
					})
				}),
				makeVariant({
					id: 'vc',
					spec: makeVariantSpec({
						model: { source: 'derived', modelId: 'd', baseModelId: 'b', adapterId: 'a1', scale: 1 }
					})
				})
			],
			testSets: [
				makeTestSet({
					id: 'ts1',
					description: 'capitals',
					scoring: {
						assertions: [
							{ type: 'icontains', value: '{{expected}}' },
							{ type: 'not-contains-any', value: ['sorry', 'cannot'], weight: 0.5 },
							{ type: 'is-json', value: { type: 'object' } },
							{ type: 'number', value: 4, tolerance: 0.1 },
							{ type: 'length', min: 1, max: 80, label: 'short' }
						],
						passThreshold: 0.8
					}
				})
			],
			testItems: [
				makeTestItem({ id: 'i1', testSetId: 'ts1', index: 0 }),
				makeTestItem({ id: 'i2', testSetId: 'ts1', index: 1, expected: undefined })
			].map((i) => JSON.parse(JSON.stringify(i))),
			experiments: [makeExperiment({ id: 'e1' }), makeExperiment({ id: 'e2', testSetId: null, primary: undefined })].map((e) =>
				JSON.parse(JSON.stringify(e))
			),
			batches: [makeBatch({ id: 'b1', experimentId: 'e1' })],
			results: [0, 1, 2, 3].map((i) => makeResult({ id: `res${i}`, batchId: 'b1', experimentId: 'e1', itemId: `i${i}` })),
			manualScores: [makeManualScore({ resultId: 'res0' }), makeManualScore({ resultId: 'res1', pass: null })],
			votes: [makeVote({ id: 'vote1', experimentId: 'e1' })]
		}
	};
}

/** JSON-roundtripped copy, then a mutation, as an untrusted input. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests corrupt arbitrary JSON paths
function mutate(change: (b: any) => void): unknown {
	const b = JSON.parse(JSON.stringify(validBundle()));
	change(b);
	return b;
}

describe('validateBundle', () => {
	test('a valid bundle (after JSON round trip) passes and is returned as is', () => {
		const input = JSON.parse(JSON.stringify(validBundle()));
		expect(validateBundle(input)).toBe(input);
	});

	test.each<[string, unknown, string, RegExp]>([
		['top level array', [], '', /JSON object/],
		['wrong format tag', mutate((b) => (b.format = 'other-app')), 'format', /not a Tune or Prompt export/],
		['missing format', mutate((b) => delete b.format), 'format', /not a Tune or Prompt export/],
		[
			'newer schemaVersion',
			mutate((b) => (b.schemaVersion = BUNDLE_SCHEMA_VERSION + 1)),
			'schemaVersion',
			/newer version .*Update the app/
		],
		['schemaVersion 0', mutate((b) => (b.schemaVersion = 0)), 'schemaVersion', /1 or more/],
		['schemaVersion a string', mutate((b) => (b.schemaVersion = '1')), 'schemaVersion', /whole number/],
		['missing exportedAt', mutate((b) => delete b.exportedAt), 'exportedAt', /missing required field/],
		['unexpected top field', mutate((b) => (b.extra = 1)), 'extra', /unexpected field/],
		['missing table', mutate((b) => delete b.tables.runs), 'tables.runs', /missing table/],
		['unknown table', mutate((b) => (b.tables.users = [])), 'tables.users', /unknown table/],
		['table not an array', mutate((b) => (b.tables.runs = {})), 'tables.runs', /expected an array, got an object/],
		[
			'bad status in the 4th run',
			mutate((b) => (b.tables.runs[3].status = 'finished')),
			'tables.runs[3].status',
			/expected one of "running" \| "done"/
		],
		['missing run output', mutate((b) => delete b.tables.runs[2].output), 'tables.runs[2].output', /missing required field/],
		[
			'createdAt a string',
			mutate((b) => (b.tables.runs[0].createdAt = '2025')),
			'tables.runs[0].createdAt',
			/finite number, got a string "2025"/
		],
		['bad message role', mutate((b) => (b.tables.runs[1].messages[0].role = 'tool')), 'tables.runs[1].messages[0].role', /expected one of/],
		['variables with a number', mutate((b) => (b.tables.runs[0].variables.text = 5)), 'tables.runs[0].variables.text', /expected a string/],
		[
			'negative token count',
			mutate((b) => (b.tables.runs[0].stats.promptTokens = -1)),
			'tables.runs[0].stats.promptTokens',
			/whole number/
		],
		['bad engine kind', mutate((b) => (b.tables.runs[0].engine.kind = 'gpu')), 'tables.runs[0].engine.kind', /"webllm" \| "endpoint"/],
		[
			'sampling out of range',
			mutate((b) => (b.tables.recipeVersions[0].content.sampling.temperature = 9)),
			'tables.recipeVersions[0].content.sampling',
			/temperature: 9 is outside/
		],
		['unexpected run field', mutate((b) => (b.tables.runs[5].evil = '<script>')), 'tables.runs[5].evil', /unexpected field/],
		['archived not boolean', mutate((b) => (b.tables.recipes[0].archived = 'yes')), 'tables.recipes[0].archived', /true or false/],
		[
			'adapter source kind',
			mutate((b) => (b.tables.adapters[0].source.kind = 'ftp')),
			'tables.adapters[0].source.kind',
			/"files" \| "hub"/
		],
		[
			'derived record not object',
			mutate((b) => (b.tables.derivedModels[0].record = [])),
			'tables.derivedModels[0].record',
			/expected an object, got an array/
		],
		['setting without value', mutate((b) => delete b.tables.settings[1].value), 'tables.settings[1].value', /missing required field/],
		[
			'duplicate run id',
			mutate((b) => (b.tables.runs[4].id = 'run1')),
			'tables.runs[4].id',
			/duplicate id "run1" \(also at tables.runs\[1\]\)/
		],
		['duplicate setting key', mutate((b) => (b.tables.settings[1].key = 'endpointBaseUrl')), 'tables.settings[1].key', /duplicate key/],
		['missing comparison table in a version-2 file', mutate((b) => delete b.tables.votes), 'tables.votes', /missing table/],
		[
			'result variantId a number',
			mutate((b) => (b.tables.results[3].variantId = 7)),
			'tables.results[3].variantId',
			/expected a string, got number 7/
		],
		['result status', mutate((b) => (b.tables.results[0].status = 'running')), 'tables.results[0].status', /"done" \| "failed"/],
		['result mode', mutate((b) => (b.tables.results[1].mode = 'parallel')), 'tables.results[1].mode', /"together" \| "sequential"/],
		[
			'result model source',
			mutate((b) => (b.tables.results[0].model.source = 'cloud')),
			'tables.results[0].model.source',
			/"prebuilt" \| "derived" \| "endpoint"/
		],
		[
			'derived model ref without scale',
			mutate((b) => delete b.tables.variants[2].spec.model.scale),
			'tables.variants[2].spec.model.scale',
			/missing required field/
		],
		[
			'endpoint adapter convention',
			mutate((b) => (b.tables.variants[1].spec.model.adapter.convention = 'tgi')),
			'tables.variants[1].spec.model.adapter.convention',
			/"vllm" \| "llamacpp"/
		],
		[
			'variant sampling out of range',
			mutate((b) => (b.tables.variants[0].spec.sampling.topP = 2)),
			'tables.variants[0].spec.sampling',
			/topP/
		],
		[
			'variant engine kind',
			mutate((b) => (b.tables.variants[0].spec.engine.kind = 'tpu')),
			'tables.variants[0].spec.engine.kind',
			/"webllm" \| "endpoint"/
		],
		['score pass a string', mutate((b) => (b.tables.results[2].score.pass = 'yes')), 'tables.results[2].score.pass', /true or false/],
		[
			'assertion result type',
			mutate((b) => (b.tables.results[2].score.results[0].type = 'magic')),
			'tables.results[2].score.results[0].type',
			/one of "equals"/
		],
		[
			'assertion type',
			mutate((b) => (b.tables.testSets[0].scoring.assertions[1].type = 'not-magic')),
			'tables.testSets[0].scoring.assertions[1].type',
			/one of/
		],
		[
			'assertion value a boolean',
			mutate((b) => (b.tables.testSets[0].scoring.assertions[0].value = true)),
			'tables.testSets[0].scoring.assertions[0].value',
			/a string, a list of strings, a number or an object, got boolean true/
		],
		['test set columns', mutate((b) => (b.tables.testSets[0].columns = 'country')), 'tables.testSets[0].columns', /expected an array/],
		['test item index negative', mutate((b) => (b.tables.testItems[1].index = -1)), 'tables.testItems[1].index', /whole number/],
		[
			'test item vars with a number',
			mutate((b) => (b.tables.testItems[0].vars.country = 3)),
			'tables.testItems[0].vars.country',
			/expected a string/
		],
		[
			'experiment primary of three',
			mutate((b) => (b.tables.experiments[0].primary = ['a', 'b', 'c'])),
			'tables.experiments[0].primary',
			/array of 2 values/
		],
		[
			'experiment testSetId a number',
			mutate((b) => (b.tables.experiments[1].testSetId = 0)),
			'tables.experiments[1].testSetId',
			/expected a string/
		],
		[
			'batch status',
			mutate((b) => (b.tables.batches[0].status = 'stopped')),
			'tables.batches[0].status',
			/"running" \| "paused" \| "done" \| "cancelled"/
		],
		['batch fresh missing', mutate((b) => delete b.tables.batches[0].fresh), 'tables.batches[0].fresh', /missing required field/],
		[
			'manual score comment',
			mutate((b) => (b.tables.manualScores[1].comment = null)),
			'tables.manualScores[1].comment',
			/expected a string, got null/
		],
		['vote winner', mutate((b) => (b.tables.votes[0].winner = 'c')), 'tables.votes[0].winner', /"a" \| "b" \| "tie" \| "both-bad"/],
		['unexpected result field', mutate((b) => (b.tables.results[0].extra = 1)), 'tables.results[0].extra', /unexpected field/],
		[
			'duplicate manual score resultId',
			mutate((b) => (b.tables.manualScores[1].resultId = 'res0')),
			'tables.manualScores[1].resultId',
			/duplicate resultId "res0"/
		],
		[
			'duplicate result slot',
			mutate((b) => (b.tables.results[2].itemId = 'i0')),
			'tables.results[2]',
			/duplicate batchId \+ variantId \+ itemId \(also at tables.results\[0\]\)/
		],
		['duplicate test item index', mutate((b) => (b.tables.testItems[1].index = 0)), 'tables.testItems[1]', /duplicate testSetId \+ index/]
	])('%s → BundleError at %s', (_label, input, path, message) => {
		let caught: unknown;
		try {
			validateBundle(input);
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(BundleError);
		const err = caught as BundleError;
		expect(err.path).toBe(path);
		expect(err.message).toMatch(message);
		if (path) expect(err.message.startsWith(`${path}: `)).toBe(true);
	});

	test('a result scored by scoreOutput itself (weights and labels on its assertion results) passes', () => {
		// The scorer records each assertion's weight and label; a bundle of real results must import.
		const score = scoreOutput('Paris.', 'Paris', {
			assertions: [
				{ type: 'icontains', value: '{{expected}}', label: 'names the city' },
				{ type: 'length', min: 1, max: 80, weight: 0 }
			]
		});
		expect(score.results.map((r) => [r.weight, r.label])).toEqual([
			[1, 'names the city'],
			[0, undefined]
		]);
		const bundle = validBundle();
		bundle.tables.results = [makeResult({ score })];
		expect(() => validateBundle(JSON.parse(JSON.stringify(bundle)))).not.toThrow();
	});

	test('the first problem in document order is reported', () => {
		const input = mutate((b) => {
			b.tables.runs[4].status = 'x';
			b.tables.runs[2].modelId = 7;
		});
		expect(() => validateBundle(input)).toThrow(/^tables\.runs\[2\]\.modelId/);
	});
});

describe('bundle versions', () => {
	test('a version-1 file without the comparison tables reads with them empty', () => {
		const v1 = mutate((b) => {
			b.schemaVersion = 1;
			for (const t of ['variants', 'testSets', 'testItems', 'experiments', 'batches', 'results', 'manualScores', 'votes']) {
				delete b.tables[t];
			}
		});
		const bundle = validateBundle(v1);
		expect(bundle.tables.runs).toHaveLength(6);
		expect(bundle.tables.results).toEqual([]);
		expect(bundle.tables.votes).toEqual([]);
		expect(bundle.tables.manualScores).toEqual([]);
	});

	test('a version-1 file still needs its own tables', () => {
		const v1 = mutate((b) => {
			b.schemaVersion = 1;
			delete b.tables.runs;
		});
		expect(() => validateBundle(v1)).toThrow(/^tables\.runs: missing table$/);
	});

	test('a file from bundle version 3 is refused with a message that says to update the app', () => {
		const newer = mutate((b) => (b.schemaVersion = 3));
		expect(() => validateBundle(newer)).toThrow(
			'This file was exported by a newer version of Tune or Prompt (bundle version 3); this app reads up to version 2. Update the app and try again.'
		);
	});
});

describe('parseBundle', () => {
	test('text that is not JSON gives a BundleError that says which file to choose', () => {
		expect(() => parseBundle('{not json')).toThrow(BundleError);
		expect(() => parseBundle('{not json')).toThrow(/not valid JSON.*exported/);
	});
	test('valid text parses', () => {
		expect(parseBundle(JSON.stringify(validBundle())).tables.runs).toHaveLength(6);
	});
});
