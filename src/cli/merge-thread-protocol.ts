// Messages between the Node thread kernel (thread-kernel.ts) and its worker (merge-thread-worker.ts).
// Types only.

import type { DeltaPart, FidelitySums, RowEncoding } from '../domain/merge/index.ts';

export interface ThreadRequest {
	id: number;
	rows: number;
	cols: number;
	/**
	 * Memory shared with the calling thread, reused from job to job (no per-job allocation or transfer):
	 * the share's source rows at [0, srcBytes), the worker writes the merged rows at [dstOffset, dstOffset + dstBytes).
	 */
	shared: SharedArrayBuffer;
	srcBytes: number;
	dstOffset: number;
	dstBytes: number;
	srcEncoding: RowEncoding;
	dstEncoding: 'f16' | 'f32';
	parts: DeltaPart[];
	/** Per part, totals to continue from (MergeJob.carry). */
	carry?: (FidelitySums | undefined)[];
}

export interface ThreadReply {
	id: number;
	sums?: FidelitySums[];
	error?: { name: string; message: string };
}
