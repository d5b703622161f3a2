// Messages between the Node thread kernel (thread-kernel.ts) and its worker (merge-thread-worker.ts).
// Types only.

import type { DeltaPart, FidelitySums, RowEncoding } from '../domain/merge/index.ts';

export interface ThreadRequest {
	id: number;
	rows: number;
	cols: number;
	/** A copy of the share's source rows, transferred. */
	src: Uint8Array;
	srcEncoding: RowEncoding;
	dstEncoding: 'f16' | 'f32';
	parts: DeltaPart[];
}

export interface ThreadReply {
	id: number;
	/** The share's merged rows, transferred back. */
	dst?: Uint8Array;
	sums?: FidelitySums[];
	error?: { name: string; message: string };
}
