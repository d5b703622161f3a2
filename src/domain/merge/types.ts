// Types of model derivation: the I/O abstraction (browser: Cache Storage; Node: folders), options,
// progress and result. Pure TS, types only: no svelte/dexie/DOM/node:/web-llm imports.

import type { ByteSource, TensorLocator } from '../weights/index.ts';
import type { FidelityReport } from './fidelity.ts';
import type { MergeKernel } from './kernel.ts';

/** Where a derivation reads the base model and writes the derived one. */
export interface DeriveIo {
	/** Opens a file of the base MLC folder by name (e.g. "tensor-cache.json"); undefined when absent. */
	openBase(name: string): Promise<ByteSource | undefined>;
	/** The base's original Hugging Face weights; on 4-bit bases they give the better route (re-quantization). */
	original?: TensorLocator;
	/**
	 * Writes one complete output file. Called once per file, shards as soon as each is complete,
	 * derived-model.json last. deriveModel reuses its shard buffer for the next shard,
	 * so an implementation must copy or finish writing `bytes` before the promise resolves, and never keep it.
	 */
	write(name: string, bytes: Uint8Array): Promise<void>;
}

export interface AdapterInput {
	/** Parsed adapter_config.json. */
	configJson: unknown;
	/** adapter_model.safetensors. */
	tensors: ByteSource;
	/** See adapterSha256(). */
	sha256: string;
}

export interface DeriveProgress {
	/** Base shard bytes processed so far. */
	doneBytes: number;
	totalBytes: number;
	/** Tensor being processed, or null between shards. */
	tensor: string | null;
}

export interface DeriveOptions {
	baseModelId: string;
	adapter: AdapterInput;
	/** Multiplier on every module's scaling; default 1. */
	scale?: number;
	signal?: AbortSignal;
	onProgress?: (p: DeriveProgress) => void;
	/** Defaults to the single-threaded scalarMergeKernel. */
	kernel?: MergeKernel;
	/**
	 * Streaming only (a StreamingDeriveIo): the largest piece, in bytes, a tensor is read, merged and written in
	 * (merged tensors go in whole rows), so memory stays bounded by a few pieces, not by the largest tensor.
	 * Default STREAM_PIECE_BYTES. The bytes and fidelity sums written do not depend on it.
	 */
	pieceBytes?: number;
	/** Recorded in the manifest, e.g. "tune-or-prompt cli". */
	createdBy?: string;
	/**
	 * The base folder's absolute URL (ending in /): writes an overlay, whose tensor-cache.json names the base's
	 * shard files there for every untouched tensor and stores only the changed ones (see overlay.ts).
	 * Absent: a self-contained folder.
	 */
	overlayOf?: string;
}

/** derived-model.json: written last, so a folder without it is visibly incomplete. */
export interface DerivedManifest {
	format: 'tune-or-prompt/derived-model@1';
	modelId: string;
	baseModelId: string;
	quantization: string;
	/**
	 * 'merged' (q0: exact merge), 'requantized-from-original' (q4 with originals) or 'stochastic-rounding'
	 * (q4 without originals: stochastic rounding into the base's 4-bit grid; adds weight noise).
	 */
	method: 'merged' | 'requantized-from-original' | 'stochastic-rounding';
	adapterSha256: string;
	adapterBaseModel: string | null;
	scale: number;
	targets: string[];
	layers: number[];
	fidelity: FidelityReport;
	createdBy: string;
	createdAt: string;
	/** Set on an overlay: the base folder URL whose shards it reads its untouched tensors from. */
	overlayOf?: string;
}

export interface DeriveResult {
	modelId: string;
	manifest: DerivedManifest;
	/** Output file names in the order written. */
	files: string[];
	fidelity: FidelityReport;
	/** Base shard bytes read (an overlay reads only the changed tensors) and derived shard bytes written. */
	baseShardBytes: number;
	outputShardBytes: number;
	warnings: string[];
}
