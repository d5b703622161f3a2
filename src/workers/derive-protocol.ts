// The page ↔ derive worker message protocol. Types only: no runtime code, no web-llm import.
// Requests are a union on `type` with an `id`; the worker answers with `progress | result | error`
// carrying the same id. `cancel` names the request to stop (its own reply is an error
// DeriveAbortedError, after everything it wrote has been deleted).

import type { ModelRecordLike } from '../domain/catalog/types.ts';
import type { FidelityReport } from '../domain/merge/index.ts';

export type DeriveRequestId = number;

/** Where the original Hugging Face weights of a 4-bit base come from. */
export type OriginalSource = { kind: 'files'; files: { name: string; blob: Blob }[] } | { kind: 'hub'; repo: string; revision?: string };

export interface DeriveJob {
	/** The base model's web-llm record (its files are read from web-llm's cache under record.model). */
	baseRecord: ModelRecordLike;
	adapter: {
		/** adapter_config.json bytes (hashed and parsed in the worker). */
		config: Blob;
		/** adapter_model.safetensors. */
		tensors: Blob;
	};
	original?: OriginalSource;
	/** Multiplier on the adapter's scaling; default 1. */
	scale?: number;
	/** Origin the derived folder URL is built on (location.origin of the page). */
	origin: string;
	/** Download a base that is not cached into web-llm's cache first (default true). */
	fetchBaseIfMissing?: boolean;
}

/** check-base: the base is already cached and only verified; download-base: files are being fetched. */
export type DerivePhase = 'check-base' | 'download-base' | 'derive' | 'commit';

export interface DeriveProgressEvent {
	phase: DerivePhase;
	doneBytes: number;
	totalBytes: number;
	/** Tensor or file being processed, when known. */
	item: string | null;
}

export interface DeriveOutcome {
	modelId: string;
	record: ModelRecordLike;
	adapterSha256: string;
	fidelity: FidelityReport;
	method: 'merged' | 'requantized-from-original' | 'stochastic-rounding';
	/** Bytes written into Cache Storage. */
	sizeBytes: number;
	baseShardBytes: number;
	warnings: string[];
	elapsedMs: number;
}

export type DeriveRequest =
	| { type: 'run'; id: DeriveRequestId; job: DeriveJob }
	| { type: 'cancel'; id: DeriveRequestId }
	/** Deletes a derived model's URLs from the model/config scopes (never the wasm, never the base). */
	| { type: 'delete'; id: DeriveRequestId; folderUrl: string }
	/** Benchmark baseline: copies a cached folder's bytes to another folder. */
	| { type: 'copy'; id: DeriveRequestId; fromFolderUrl: string; toFolderUrl: string };

export type DeriveRequestType = Exclude<DeriveRequest['type'], 'cancel'>;

export interface DeriveResultMap {
	run: DeriveOutcome;
	delete: { deletedUrls: number };
	copy: { bytes: number; elapsedMs: number };
}

export type DeriveResultMessage = {
	[K in DeriveRequestType]: { type: 'result'; id: DeriveRequestId; kind: K; value: DeriveResultMap[K] };
}[DeriveRequestType];

export interface SerializedDeriveError {
	name: string;
	message: string;
	stack?: string;
	/** AdapterIncompatibleError's reasons. */
	reasons?: string[];
}

export type DeriveWorkerMessage =
	| { type: 'progress'; id: DeriveRequestId; progress: DeriveProgressEvent }
	| DeriveResultMessage
	| { type: 'error'; id: DeriveRequestId; error: SerializedDeriveError };
