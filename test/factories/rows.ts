// Builders of small, valid storage rows for tests and benchmarks. Each takes overrides; ids are
// deterministic per process (a counter) unless given. No assertions here.
import type { RecipeContent } from '../../src/domain/recipes/index.ts';
import type {
	AdapterRow,
	DerivedModelRow,
	RecipeRow,
	RecipeVersionRow,
	RunRow
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
	const { id: _i, createdAt: _c, startedAt: _s, endedAt: _e, status: _st, output: _o, ...rest } =
		makeRun(overrides);
	return rest;
}
