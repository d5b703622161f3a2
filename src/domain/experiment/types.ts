// The comparison's plain data: variants (immutable, content-hashed specs), test sets and items,
// experiments, batches, per-item results, manual scores and blind votes. These are also the stored
// row shapes (src/domain/bundle/rows.ts re-exports them) and the export file's tables.
// Pure types: no svelte, dexie, DOM, worker or web-llm imports. Times are epoch milliseconds.
import type { AnswerStats, EndpointAdapter, EngineKind, SamplingSettings } from '../engine/types.ts';
import type { RecipeContent } from '../recipes/types.ts';
import type { OutputScore, ScoringSpec } from '../scoring/types.ts';
import type { SweepTag } from '../decision/types.ts';

/** The exact weights a variant runs: resolved from the model registry, never from an editor draft. */
export type ModelRef =
	| { source: 'prebuilt'; modelId: string }
	| { source: 'derived'; modelId: string; baseModelId: string; adapterId: string; scale: number }
	| { source: 'endpoint'; modelId: string; adapter?: EndpointAdapter };

/** Everything that decides a variant's output. Immutable: its hash is the variant's id. */
export interface VariantSpec {
	engine: { kind: EngineKind; /** endpoint base URL (never the API key) */ baseUrl?: string };
	model: ModelRef;
	recipeVersionId: string;
	recipeName: string;
	recipe: RecipeContent;
	/** Effective sampling (recipe sampling with the comparison's shared settings applied). */
	sampling: SamplingSettings;
}

export interface VariantRow {
	/** SHA-256 hex of the spec's stable JSON. */
	id: string;
	spec: VariantSpec;
	createdAt: number;
}

export interface TestSetRow {
	id: string;
	name: string;
	description?: string;
	/** Column names used as template variables, in file order. */
	columns: string[];
	scoring: ScoringSpec;
	/** Where it came from: a file name, "demo:<id>", or "created in the app". */
	source: string;
	createdAt: number;
	updatedAt: number;
}

export interface TestItemRow {
	id: string;
	testSetId: string;
	/** 0-based order within the set. */
	index: number;
	vars: Record<string, string>;
	expected?: string;
	/** SHA-256 hex of {vars, expected}: part of the reuse key. */
	hash: string;
}

/** One variant of an experiment, with the label shown in panes and tables. */
export interface ExperimentVariant {
	variantId: string;
	label: string;
	/** Set when the variant is one point of a few-shot or adapter-strength sweep. */
	sweep?: SweepTag;
}

export interface ExperimentRow {
	id: string;
	name: string;
	testSetId: string | null;
	variants: ExperimentVariant[];
	/** Primary pair (variant ids), default: base + engineered vs adapter + plain. */
	primary?: [string, string];
	createdAt: number;
	updatedAt: number;
}

export const BATCH_STATUSES = ['running', 'paused', 'done', 'cancelled'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];

export interface BatchRow {
	id: string;
	experimentId: string;
	testSetId: string;
	variantIds: string[];
	/** Items in run order. */
	itemIds: string[];
	status: BatchStatus;
	/** Recompute even when a reusable result exists. */
	fresh: boolean;
	createdAt: number;
	updatedAt: number;
}

/** 'together': all variants resident at once; 'sequential': one after the other. */
export type RunMode = 'together' | 'sequential';

export const RESULT_STATUSES = ['done', 'failed'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

/** One finished (batch, variant, item) output. Unique on [batchId+variantId+itemId]. */
export interface ResultRow {
	id: string;
	batchId: string;
	experimentId: string;
	variantId: string;
	itemId: string;
	status: ResultStatus;
	output: string;
	stats?: AnswerStats;
	error?: { code: string; message: string };
	/** Provenance: exactly what produced the output. */
	model: ModelRef;
	engine: { kind: EngineKind; version: string };
	mode: RunMode;
	/** Hash of (engine version, model record, variant id, item hash, seed); see reuse-key.ts. */
	reuseKey: string;
	/** Set when this row copies an earlier result with the same reuse key. */
	reusedFrom?: string;
	/** Automatic score from the test set's assertions at the time of scoring. */
	score?: OutputScore;
	createdAt: number;
}

/** A person's pass/fail and comment on one result (wins over the automatic pass). */
export interface ManualScoreRow {
	resultId: string;
	pass: boolean | null;
	comment: string;
	updatedAt: number;
}

export const VOTE_WINNERS = ['a', 'b', 'tie', 'both-bad'] as const;
export type VoteWinner = (typeof VOTE_WINNERS)[number];

/** A blind A/B vote on one item between two variants (a, b in the experiment's order). */
export interface VoteRow {
	id: string;
	experimentId: string;
	itemId: string;
	a: string;
	b: string;
	winner: VoteWinner;
	createdAt: number;
	updatedAt: number;
}
