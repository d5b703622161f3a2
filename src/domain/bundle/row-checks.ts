// One structural check per stored row shape, used to validate an untrusted export file row by row
// (tables.ts attaches each to its table). Every problem names its path in plain words, e.g.
// "tables.results[3].variantId: expected a string, got number 7".
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import { BATCH_STATUSES, RESULT_STATUSES, RUN_STATUSES, VOTE_WINNERS } from './rows.ts';
import { samplingProblems } from '../recipes/sampling.ts';
import { BASE_ASSERTION_TYPES } from '../scoring/types.ts';
import { BundleError } from './errors.ts';
import {
	anyOf,
	arrayOf,
	isBoolean,
	isJsonObject,
	isNonNegativeInteger,
	isNumber,
	isString,
	nullable,
	oneOf,
	optional,
	recordOf,
	shape,
	tagged,
	tupleOf,
	type Check
} from './check.ts';

const ENGINE_KINDS = ['webllm', 'endpoint'] as const;
const RUN_MODES = ['together', 'sequential'] as const;
const ASSERTION_TYPES: readonly string[] = [...BASE_ASSERTION_TYPES, ...BASE_ASSERTION_TYPES.map((t) => `not-${t}`)];

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

const checkSweepTag = tagged('kind', {
	'few-shot': shape({ kind: isString, examples: isNonNegativeInteger }),
	strength: shape({ kind: isString, scale: isNumber })
});

const isError = shape({ code: isString, message: isString });

const isEngineUsed = shape({ kind: oneOf(ENGINE_KINDS), version: isString });

const isEndpointAdapter = tagged('convention', {
	vllm: shape({ convention: isString, name: isString }),
	llamacpp: shape({ convention: isString, id: isNumber, scale: isNumber, name: optional(isString) })
});

const isModelRef = tagged('source', {
	prebuilt: shape({ source: isString, modelId: isString }),
	derived: shape({
		source: isString,
		modelId: isString,
		baseModelId: isString,
		adapterId: isString,
		scale: isNumber
	}),
	endpoint: shape({ source: isString, modelId: isString, adapter: optional(isEndpointAdapter) })
});

const isVariantSpec = shape({
	engine: shape({ kind: oneOf(ENGINE_KINDS), baseUrl: optional(isString) }),
	model: isModelRef,
	recipeVersionId: isString,
	recipeName: isString,
	recipe: isRecipeContent,
	sampling: isSampling
});

const isAssertionType = oneOf(ASSERTION_TYPES);

const isAssertion = shape({
	type: isAssertionType,
	value: optional(anyOf('a string, a list of strings, a number or an object', [isString, arrayOf(isString), isNumber, isJsonObject])),
	threshold: optional(isNumber),
	tolerance: optional(isNumber),
	min: optional(isNumber),
	max: optional(isNumber),
	weight: optional(isNumber),
	label: optional(isString)
});

const isScoringSpec = shape({ assertions: arrayOf(isAssertion), passThreshold: optional(isNumber) });

const isOutputScore = shape({
	pass: nullable(isBoolean),
	score: nullable(isNumber),
	results: arrayOf(
		shape({
			index: isNonNegativeInteger,
			type: isAssertionType,
			pass: isBoolean,
			score: isNumber,
			reason: isString,
			error: optional(isString),
			weight: optional(isNumber),
			label: optional(isString)
		})
	)
});

export const checkRecipe = shape({
	id: isString,
	name: isString,
	createdAt: isNumber,
	updatedAt: isNumber,
	latestVersion: isNonNegativeInteger,
	archived: optional(isBoolean)
});

export const checkRecipeVersion = shape({
	id: isString,
	recipeId: isString,
	version: isNonNegativeInteger,
	content: isRecipeContent,
	hash: isString,
	createdAt: isNumber
});

export const checkRun = shape({
	id: isString,
	createdAt: isNumber,
	startedAt: optional(isNumber),
	endedAt: optional(isNumber),
	status: oneOf(RUN_STATUSES),
	engine: isEngineUsed,
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
	error: optional(isError),
	variantLabel: optional(isString),
	adapterId: optional(isString),
	experimentId: optional(isString)
});

export const checkAdapter = shape({
	id: isString,
	name: isString,
	source: shape({ kind: oneOf(['files', 'hub']), ref: isString }),
	config: isJsonObject,
	files: arrayOf(shape({ name: isString, hash: isString, sizeBytes: isNonNegativeInteger })),
	sizeBytes: isNonNegativeInteger,
	createdAt: isNumber,
	notes: isString
});

export const checkDerivedModel = shape({
	id: isString,
	baseModelId: isString,
	adapterId: isString,
	scale: isNumber,
	record: isJsonObject,
	fidelity: isJsonObject,
	sizeBytes: isNonNegativeInteger,
	overlayOf: optional(isString),
	deriveMs: optional(isNumber),
	createdAt: isNumber
});

export const checkSetting = shape({ key: isString, value: () => undefined });

export const checkVariant = shape({ id: isString, spec: isVariantSpec, createdAt: isNumber });

export const checkTestSet = shape({
	id: isString,
	name: isString,
	description: optional(isString),
	columns: arrayOf(isString),
	scoring: isScoringSpec,
	source: isString,
	createdAt: isNumber,
	updatedAt: isNumber
});

export const checkTestItem = shape({
	id: isString,
	testSetId: isString,
	index: isNonNegativeInteger,
	vars: recordOf(isString),
	expected: optional(isString),
	hash: isString
});

export const checkExperiment = shape({
	id: isString,
	name: isString,
	testSetId: nullable(isString),
	variants: arrayOf(shape({ variantId: isString, label: isString, sweep: optional(checkSweepTag) })),
	primary: optional(tupleOf([isString, isString])),
	createdAt: isNumber,
	updatedAt: isNumber
});

export const checkBatch = shape({
	id: isString,
	experimentId: isString,
	testSetId: isString,
	variantIds: arrayOf(isString),
	itemIds: arrayOf(isString),
	status: oneOf(BATCH_STATUSES),
	fresh: isBoolean,
	createdAt: isNumber,
	updatedAt: isNumber
});

export const checkResult = shape({
	id: isString,
	batchId: isString,
	experimentId: isString,
	variantId: isString,
	itemId: isString,
	status: oneOf(RESULT_STATUSES),
	output: isString,
	stats: optional(isStats),
	error: optional(isError),
	model: isModelRef,
	engine: isEngineUsed,
	mode: oneOf(RUN_MODES),
	reuseKey: isString,
	reusedFrom: optional(isString),
	score: optional(isOutputScore),
	createdAt: isNumber
});

export const checkManualScore = shape({
	resultId: isString,
	pass: nullable(isBoolean),
	comment: isString,
	updatedAt: isNumber
});

export const checkVote = shape({
	id: isString,
	experimentId: isString,
	itemId: isString,
	a: isString,
	b: isString,
	winner: oneOf(VOTE_WINNERS),
	createdAt: isNumber,
	updatedAt: isNumber
});
