// Covers: validateBundle / parseBundle — a valid bundle passes unchanged; table-driven bad bundles
// (not JSON, wrong format tag, newer/invalid schemaVersion, missing fields and tables, wrong types,
// bad enum values, unexpected fields, duplicate ids, bad nested sampling) each give a BundleError whose
// path names the first problem.
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
	makeDerivedModel,
	makeRecipe,
	makeRecipeVersion,
	makeRun
} from '../../factories/rows.ts';

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
			]
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
		['newer schemaVersion', mutate((b) => (b.schemaVersion = BUNDLE_SCHEMA_VERSION + 1)), 'schemaVersion', /newer .* update the app/],
		['schemaVersion 0', mutate((b) => (b.schemaVersion = 0)), 'schemaVersion', /1 or more/],
		['schemaVersion a string', mutate((b) => (b.schemaVersion = '1')), 'schemaVersion', /whole number/],
		['missing exportedAt', mutate((b) => delete b.exportedAt), 'exportedAt', /missing required field/],
		['unexpected top field', mutate((b) => (b.extra = 1)), 'extra', /unexpected field/],
		['missing table', mutate((b) => delete b.tables.runs), 'tables.runs', /missing table/],
		['unknown table', mutate((b) => (b.tables.users = [])), 'tables.users', /unknown table/],
		['table not an array', mutate((b) => (b.tables.runs = {})), 'tables.runs', /expected an array, got an object/],
		['bad status in the 4th run', mutate((b) => (b.tables.runs[3].status = 'finished')), 'tables.runs[3].status', /expected one of "running" \| "done"/],
		['missing run output', mutate((b) => delete b.tables.runs[2].output), 'tables.runs[2].output', /missing required field/],
		['createdAt a string', mutate((b) => (b.tables.runs[0].createdAt = '2025')), 'tables.runs[0].createdAt', /finite number, got a string "2025"/],
		['bad message role', mutate((b) => (b.tables.runs[1].messages[0].role = 'tool')), 'tables.runs[1].messages[0].role', /expected one of/],
		['variables with a number', mutate((b) => (b.tables.runs[0].variables.text = 5)), 'tables.runs[0].variables.text', /expected a string/],
		['negative token count', mutate((b) => (b.tables.runs[0].stats.promptTokens = -1)), 'tables.runs[0].stats.promptTokens', /whole number/],
		['bad engine kind', mutate((b) => (b.tables.runs[0].engine.kind = 'gpu')), 'tables.runs[0].engine.kind', /"webllm" \| "endpoint"/],
		['sampling out of range', mutate((b) => (b.tables.recipeVersions[0].content.sampling.temperature = 9)), 'tables.recipeVersions[0].content.sampling', /temperature: 9 is outside/],
		['unexpected run field', mutate((b) => (b.tables.runs[5].evil = '<script>')), 'tables.runs[5].evil', /unexpected field/],
		['archived not boolean', mutate((b) => (b.tables.recipes[0].archived = 'yes')), 'tables.recipes[0].archived', /true or false/],
		['adapter source kind', mutate((b) => (b.tables.adapters[0].source.kind = 'ftp')), 'tables.adapters[0].source.kind', /"files" \| "hub"/],
		['derived record not object', mutate((b) => (b.tables.derivedModels[0].record = [])), 'tables.derivedModels[0].record', /expected an object, got an array/],
		['setting without value', mutate((b) => delete b.tables.settings[1].value), 'tables.settings[1].value', /missing required field/],
		['duplicate run id', mutate((b) => (b.tables.runs[4].id = 'run1')), 'tables.runs[4].id', /duplicate id "run1" \(also at tables.runs\[1\]\)/],
		['duplicate setting key', mutate((b) => (b.tables.settings[1].key = 'endpointBaseUrl')), 'tables.settings[1].key', /duplicate key/]
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

	test('the first problem in document order is reported', () => {
		const input = mutate((b) => {
			b.tables.runs[4].status = 'x';
			b.tables.runs[2].modelId = 7;
		});
		expect(() => validateBundle(input)).toThrow(/^tables\.runs\[2\]\.modelId/);
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
