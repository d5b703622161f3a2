// Builders of small, valid storage rows for tests and benchmarks. Each takes overrides; ids are
// deterministic per process (a counter) unless given. No assertions here.
import type { RecipeContent } from '../../src/domain/recipes/index.ts';
import type {
	AdapterRow,
	BatchRow,
	DerivedModelRow,
	ExperimentRow,
	ManualScoreRow,
	RecipeRow,
	RecipeVersionRow,
	ResultRow,
	RunRow,
	TestItemRow,
	TestSetRow,
	VariantRow,
	VariantSpec,
	VoteRow
} from '../../src/storage/rows.ts';
import type { NewRun } from '../../src/storage/repos/runs.ts';

let counter = 0;
/** A fresh deterministic id with a prefix, e.g. "run-000042". */
export function nextId(prefix: string): string {
	counter += 1;
	return `${prefix}-${String(counter).padStart(6, '0')}`;
}

export function makeRecipeContent(overrides: Partial<RecipeContent> = {}): RecipeContent {
	return {
		system: 'You are a helpful assistant.',
		examples: [{ user: 'Say hi', assistant: 'Hi!' }],
		template: 'Summarise: {{text}}',
		sampling: { temperature: 0.7, maxTokens: 128, seed: 1 },
		variableDefaults: {},
		...overrides
	};
}

export function makeRecipe(overrides: Partial<RecipeRow> = {}): RecipeRow {
	return {
		id: nextId('recipe'),
		name: 'Summariser',
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		latestVersion: 1,
		...overrides
	};
}

export function makeRecipeVersion(overrides: Partial<RecipeVersionRow> = {}): RecipeVersionRow {
	return {
		id: nextId('version'),
		recipeId: 'recipe-x',
		version: 1,
		content: makeRecipeContent(),
		hash: 'f'.repeat(64),
		createdAt: 1_700_000_000_000,
		...overrides
	};
}

/** A finished ('done') run with a short output; override anything. */
export function makeRun(overrides: Partial<RunRow> = {}): RunRow {
	const recipe = makeRecipeContent();
	return {
		id: nextId('run'),
		createdAt: 1_700_000_000_000,
		startedAt: 1_700_000_000_000,
		endedAt: 1_700_000_001_000,
		status: 'done',
		engine: { kind: 'endpoint', version: 'http://localhost:8080/v1' },
		modelId: 'test-model',
		recipeVersionId: 'version-x',
		recipeId: 'recipe-x',
		recipeName: 'Summariser',
		recipe,
		variables: { text: 'The cat sat on the mat.' },
		messages: [
			{ role: 'system', content: recipe.system },
			{ role: 'user', content: 'Summarise: The cat sat on the mat.' }
		],
		sampling: recipe.sampling,
		output: 'A cat sat.',
		stats: {
			promptTokens: 20,
			completionTokens: 4,
			timeToFirstTokenMs: 50,
			totalMs: 120,
			source: 'engine'
		},
		...overrides
	};
}

export function makeAdapter(overrides: Partial<AdapterRow> = {}): AdapterRow {
	return {
		id: nextId('adapter'),
		name: 'tiny-lora',
		source: { kind: 'files', ref: 'adapter_model.safetensors' },
		config: { r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] },
		files: [{ name: 'adapter_model.safetensors', hash: 'a'.repeat(64), sizeBytes: 4 }],
		sizeBytes: 4,
		createdAt: 1_700_000_000_000,
		notes: '',
		...overrides
	};
}

export function makeDerivedModel(overrides: Partial<DerivedModelRow> = {}): DerivedModelRow {
	return {
		id: nextId('derived'),
		baseModelId: 'Qwen2.5-0.5B-Instruct-q4f32_1-MLC',
		adapterId: 'adapter-x',
		scale: 1,
		record: { model_id: 'derived' },
		fidelity: { maxAbsError: 0.001 },
		sizeBytes: 1024,
		createdAt: 1_700_000_000_000,
		...overrides
	};
}

/** n runs with createdAt spaced 1 s apart (newest = base + n - 1 s) and varied model/status/text. */
export function makeRuns(n: number, base = 1_700_000_000_000): RunRow[] {
	const statuses = ['done', 'stopped', 'failed', 'done'] as const;
	return Array.from({ length: n }, (_, i) =>
		makeRun({
			id: `run-${String(i).padStart(6, '0')}`,
			createdAt: base + i * 1000,
			modelId: i % 3 === 0 ? 'model-a' : 'model-b',
			recipeId: i % 2 === 0 ? 'recipe-even' : 'recipe-odd',
			status: statuses[i % statuses.length],
			output: `answer number ${i}${i % 97 === 0 ? ' with a needle' : ''}`
		})
	);
}

/** The input startRun takes (a run snapshot without id, times, status or output). */
export function makeNewRun(overrides: Partial<RunRow> = {}): NewRun {
	const { id: _i, createdAt: _c, startedAt: _s, endedAt: _e, status: _st, output: _o, ...rest } = makeRun(overrides);
	return rest;
}

/** A prompt-engineered variant spec on a prebuilt model; override anything. */
export function makeVariantSpec(overrides: Partial<VariantSpec> = {}): VariantSpec {
	const recipe = makeRecipeContent();
	return {
		engine: { kind: 'webllm' },
		model: { source: 'prebuilt', modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' },
		recipeVersionId: 'version-x',
		recipeName: 'Summariser',
		recipe,
		sampling: recipe.sampling,
		...overrides
	};
}

/** A variant row (its id is NOT the spec hash unless given: storage tests use saveVariant for that). */
export function makeVariant(overrides: Partial<VariantRow> = {}): VariantRow {
	return { id: nextId('variant'), spec: makeVariantSpec(), createdAt: 1_700_000_000_000, ...overrides };
}

export function makeTestSet(overrides: Partial<TestSetRow> = {}): TestSetRow {
	return {
		id: nextId('testset'),
		name: 'Capitals',
		columns: ['country'],
		scoring: { assertions: [{ type: 'icontains', value: '{{expected}}' }] },
		source: 'created in the app',
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		...overrides
	};
}

export function makeTestItem(overrides: Partial<TestItemRow> = {}): TestItemRow {
	return {
		id: nextId('item'),
		testSetId: 'testset-x',
		index: 0,
		vars: { country: 'France' },
		expected: 'Paris',
		hash: 'e'.repeat(64),
		...overrides
	};
}

export function makeExperiment(overrides: Partial<ExperimentRow> = {}): ExperimentRow {
	return {
		id: nextId('experiment'),
		name: 'Prompt vs LoRA',
		testSetId: 'testset-x',
		variants: [
			{ variantId: 'variant-a', label: 'A' },
			{ variantId: 'variant-b', label: 'B' }
		],
		primary: ['variant-a', 'variant-b'],
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		...overrides
	};
}

export function makeBatch(overrides: Partial<BatchRow> = {}): BatchRow {
	return {
		id: nextId('batch'),
		experimentId: 'experiment-x',
		testSetId: 'testset-x',
		variantIds: ['variant-a', 'variant-b'],
		itemIds: ['item-1', 'item-2'],
		status: 'running',
		fresh: false,
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		...overrides
	};
}

/** A 'done' result with an automatic score; override anything. */
export function makeResult(overrides: Partial<ResultRow> = {}): ResultRow {
	return {
		id: nextId('result'),
		batchId: 'batch-x',
		experimentId: 'experiment-x',
		variantId: 'variant-a',
		itemId: 'item-1',
		status: 'done',
		output: 'Paris.',
		stats: { promptTokens: 12, completionTokens: 2, timeToFirstTokenMs: 40, totalMs: 90, source: 'engine' },
		model: { source: 'prebuilt', modelId: 'Qwen2.5-0.5B-Instruct-q4f16_1-MLC' },
		engine: { kind: 'webllm', version: '@mlc-ai/web-llm 0.2.86' },
		mode: 'sequential',
		reuseKey: 'r'.repeat(64),
		score: {
			pass: true,
			score: 1,
			results: [{ index: 0, type: 'icontains', pass: true, score: 1, reason: 'contains "Paris"' }]
		},
		createdAt: 1_700_000_000_000,
		...overrides
	};
}

export function makeManualScore(overrides: Partial<ManualScoreRow> = {}): ManualScoreRow {
	return { resultId: 'result-x', pass: false, comment: 'too short', updatedAt: 1_700_000_000_000, ...overrides };
}

export function makeVote(overrides: Partial<VoteRow> = {}): VoteRow {
	return {
		id: nextId('vote'),
		experimentId: 'experiment-x',
		itemId: 'item-1',
		a: 'variant-a',
		b: 'variant-b',
		winner: 'a',
		createdAt: 1_700_000_000_000,
		updatedAt: 1_700_000_000_000,
		...overrides
	};
}
