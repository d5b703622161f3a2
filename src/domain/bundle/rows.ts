// The persisted record shapes: one definition shared by the Dexie tables (src/storage/rows.ts
// re-exports these) and by the export file, so a bundle's tables are exactly the stored rows.
// Pure types: no svelte, dexie, DOM, worker or web-llm imports. Times are epoch milliseconds.
import type { AnswerStats, ChatMessage, EngineKind, SamplingSettings } from '../engine/types.ts';
import type { RecipeContent } from '../recipes/types.ts';

export interface RecipeRow {
	id: string;
	name: string;
	createdAt: number;
	updatedAt: number;
	/** Version number of the newest RecipeVersionRow of this recipe (1-based). */
	latestVersion: number;
	archived?: boolean;
}

export interface RecipeVersionRow {
	id: string;
	recipeId: string;
	/** 1, 2, 3… within the recipe. */
	version: number;
	content: RecipeContent;
	/** SHA-256 hex of the content's stable JSON (hashRecipeContent). */
	hash: string;
	createdAt: number;
}

export const RUN_STATUSES = ['running', 'done', 'stopped', 'failed', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** WebGPU adapter facts at the time of the run; absent for endpoint runs. */
export interface GpuInfo {
	vendor: string;
	architecture: string;
	description: string;
	features: string[];
}

export interface RunError {
	code: string;
	message: string;
}

/** One generation, with a full snapshot of what produced it (history stays readable after edits). */
export interface RunRow {
	id: string;
	createdAt: number;
	startedAt?: number;
	endedAt?: number;
	status: RunStatus;
	engine: { kind: EngineKind; version: string };
	modelId: string;
	recipeVersionId: string;
	/** Recipe id and name at run time (snapshot; the recipe may since be renamed or deleted). */
	recipeId: string;
	recipeName: string;
	recipe: RecipeContent;
	variables: Record<string, string>;
	/** The exact messages sent. */
	messages: ChatMessage[];
	sampling: SamplingSettings;
	gpu?: GpuInfo;
	/** Output so far while running; the full text afterwards. */
	output: string;
	stats?: AnswerStats;
	error?: RunError;
	variantLabel?: string;
	adapterId?: string;
	experimentId?: string;
}

export interface AdapterFileRef {
	/** File name inside the adapter, e.g. "adapter_model.safetensors". */
	name: string;
	/** SHA-256 hex; key into the adapterFiles table. */
	hash: string;
	sizeBytes: number;
}

export interface AdapterRow {
	/** Content hash of the adapter. */
	id: string;
	name: string;
	source: { kind: 'files' | 'hub'; ref: string };
	/** PEFT adapter_config.json as parsed. */
	config: Record<string, unknown>;
	files: AdapterFileRef[];
	sizeBytes: number;
	createdAt: number;
	notes: string;
}

/** Big binaries in their own table keyed by content hash (never exported in the JSON bundle). */
export interface AdapterFileRow {
	hash: string;
	blob: Blob;
	sizeBytes: number;
}

export interface DerivedModelRow {
	/** Content-addressed model id. */
	id: string;
	baseModelId: string;
	adapterId: string;
	scale: number;
	/** web-llm model record (JSON). */
	record: Record<string, unknown>;
	/** Fidelity report of the merge (JSON). */
	fidelity: Record<string, unknown>;
	sizeBytes: number;
	/**
	 * An overlay's base folder URL: its untouched tensors are read from that base's cached shards, so it
	 * cannot load without them. Absent on self-contained models (derived before overlays).
	 */
	overlayOf?: string;
	/** How long deriving it took in this browser (ms); absent on models derived before it was kept. */
	deriveMs?: number;
	createdAt: number;
}

export interface SettingRow {
	key: string;
	value: unknown;
}

// The comparison's rows (variants, test sets and items, experiments, batches, results, manual
// scores, votes) are defined with their domain in src/domain/experiment/types.ts.
export type {
	BatchRow,
	BatchStatus,
	ExperimentRow,
	ExperimentVariant,
	ManualScoreRow,
	ModelRef,
	ResultRow,
	ResultStatus,
	RunMode,
	TestItemRow,
	TestSetRow,
	VariantRow,
	VariantSpec,
	VoteRow,
	VoteWinner
} from '../experiment/types.ts';
export { BATCH_STATUSES, RESULT_STATUSES, VOTE_WINNERS } from '../experiment/types.ts';
