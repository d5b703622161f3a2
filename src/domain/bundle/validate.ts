// validateBundle: full structural check of an untrusted export file before anything is written.
// Stops at the first problem and names its path, e.g. "tables.runs[3].status: expected one of …".
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import { RUN_STATUSES } from './rows.ts';
import { samplingProblems } from '../recipes/sampling.ts';
import { BundleError } from './errors.ts';
import {
	arrayOf,
	isBoolean,
	isJsonObject,
	isNonNegativeInteger,
	isNumber,
	isPlainObject,
	isString,
	oneOf,
	optional,
	recordOf,
	shape,
	type Check
} from './check.ts';
import {
	BUNDLE_FORMAT,
	BUNDLE_SCHEMA_VERSION,
	BUNDLE_TABLE_NAMES,
	type Bundle,
	type BundleTableName
} from './types.ts';

const isSampling: Check = (v, p) => {
	const problems = samplingProblems(v);
	if (problems.length > 0) throw new BundleError(p, problems[0]);
};

const isMessage = shape({ role: oneOf(['system', 'user', 'assistant']), content: isString });

const isRecipeContent = shape({
	system: isString,
	examples: arrayOf(shape({ user: isString, assistant: isString })),
	template: isString,
	sampling: isSampling,
	variableDefaults: recordOf(isString)
});

const isStats = shape({
	promptTokens: isNonNegativeInteger,
	completionTokens: isNonNegativeInteger,
	timeToFirstTokenMs: isNumber,
	totalMs: isNumber,
	prefillTokensPerSec: optional(isNumber),
	decodeTokensPerSec: optional(isNumber),
	source: oneOf(['engine', 'measured'])
});

const ROW_CHECKS: Record<BundleTableName, Check> = {
	recipes: shape({
		id: isString,
		name: isString,
		createdAt: isNumber,
		updatedAt: isNumber,
		latestVersion: isNonNegativeInteger,
		archived: optional(isBoolean)
	}),
	recipeVersions: shape({
		id: isString,
		recipeId: isString,
		version: isNonNegativeInteger,
		content: isRecipeContent,
		hash: isString,
		createdAt: isNumber
	}),
	runs: shape({
		id: isString,
		createdAt: isNumber,
		startedAt: optional(isNumber),
		endedAt: optional(isNumber),
		status: oneOf(RUN_STATUSES),
		engine: shape({ kind: oneOf(['webllm', 'endpoint']), version: isString }),
		modelId: isString,
		recipeVersionId: isString,
		recipeId: isString,
		recipeName: isString,
		recipe: isRecipeContent,
		variables: recordOf(isString),
		messages: arrayOf(isMessage),
		sampling: isSampling,
		gpu: optional(
			shape({
				vendor: isString,
				architecture: isString,
				description: isString,
				features: arrayOf(isString)
			})
		),
		output: isString,
		stats: optional(isStats),
		error: optional(shape({ code: isString, message: isString })),
		variantLabel: optional(isString),
		adapterId: optional(isString),
		experimentId: optional(isString)
	}),
	adapters: shape({
		id: isString,
		name: isString,
		source: shape({ kind: oneOf(['files', 'hub']), ref: isString }),
		config: isJsonObject,
		files: arrayOf(shape({ name: isString, hash: isString, sizeBytes: isNonNegativeInteger })),
		sizeBytes: isNonNegativeInteger,
		createdAt: isNumber,
		notes: isString
	}),
	derivedModels: shape({
		id: isString,
		baseModelId: isString,
		adapterId: isString,
		scale: isNumber,
		record: isJsonObject,
		fidelity: isJsonObject,
		sizeBytes: isNonNegativeInteger,
		createdAt: isNumber
	}),
	settings: shape({ key: isString, value: () => undefined })
};

/** The primary-key field of each table. */
export const BUNDLE_TABLE_KEYS: Record<BundleTableName, 'id' | 'key'> = {
	recipes: 'id',
	recipeVersions: 'id',
	runs: 'id',
	adapters: 'id',
	derivedModels: 'id',
	settings: 'key'
};

/**
 * Checks an untrusted value (parsed JSON) and returns it typed as a Bundle.
 * @throws BundleError naming the first problem and its path.
 */
export function validateBundle(input: unknown): Bundle {
	if (!isPlainObject(input)) throw new BundleError('', 'expected a JSON object at the top level');
	if (input.format !== BUNDLE_FORMAT) {
		throw new BundleError(
			'format',
			`expected "${BUNDLE_FORMAT}": this file is not a Tune or Prompt export`
		);
	}
	isNonNegativeInteger(input.schemaVersion, 'schemaVersion');
	const version = input.schemaVersion as number;
	if (version > BUNDLE_SCHEMA_VERSION) {
		throw new BundleError(
			'schemaVersion',
			`${version} is newer than this app understands (${BUNDLE_SCHEMA_VERSION}): update the app and import again`
		);
	}
	if (version < 1) throw new BundleError('schemaVersion', `expected 1 or more, got ${version}`);
	shape({
		format: isString,
		schemaVersion: isNumber,
		exportedAt: isString,
		appVersion: isString,
		tables: isJsonObject
	})(input, '');
	const tables = input.tables as Record<string, unknown>;
	for (const name of Object.keys(tables)) {
		if (!(BUNDLE_TABLE_NAMES as readonly string[]).includes(name)) {
			throw new BundleError(`tables.${name}`, 'unknown table');
		}
	}
	for (const name of BUNDLE_TABLE_NAMES) {
		const path = `tables.${name}`;
		if (!(name in tables)) throw new BundleError(path, 'missing table');
		arrayOf(ROW_CHECKS[name])(tables[name], path);
		const key = BUNDLE_TABLE_KEYS[name];
		const firstIndex = new Map<string, number>();
		(tables[name] as Record<string, string>[]).forEach((row, i) => {
			const seen = firstIndex.get(row[key]);
			if (seen !== undefined) {
				throw new BundleError(
					`${path}[${i}].${key}`,
					`duplicate ${key} "${row[key]}" (also at ${path}[${seen}])`
				);
			}
			firstIndex.set(row[key], i);
		});
	}
	return input as unknown as Bundle;
}

/**
 * Parses export-file text and validates it.
 * @throws BundleError when the text is not JSON or not a valid bundle.
 */
export function parseBundle(text: string): Bundle {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (e) {
		throw new BundleError('', `not valid JSON (${(e as Error).message}): choose the .json file the app exported`);
	}
	return validateBundle(value);
}
