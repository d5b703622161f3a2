// Worker thread of the Node thread kernel: merges each request with this thread's SIMD (or scalar)
// kernel and transfers the merged rows back. Wiring only; the work is in src/domain/merge.

import { parentPort } from 'node:worker_threads';
import { defaultMergeKernel } from '../domain/merge/index.ts';
import type { ThreadReply, ThreadRequest } from './merge-thread-protocol.ts';

const kernel = defaultMergeKernel();
const port = parentPort!;
port.on('message', async (r: ThreadRequest) => {
	try {
		const dst = new Uint8Array(r.rows * r.cols * (r.dstEncoding === 'f16' ? 2 : 4));
		const sums = await kernel.merge({ ...r, dst });
		port.postMessage({ id: r.id, dst, sums } satisfies ThreadReply, [dst.buffer]);
	} catch (e) {
		const err = e instanceof Error ? e : new Error(String(e));
		port.postMessage({ id: r.id, error: { name: err.name, message: err.message } } satisfies ThreadReply);
	}
});
