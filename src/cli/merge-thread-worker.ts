// Worker thread of the Node thread kernel: merges each request with this thread's SIMD (or scalar)
// kernel, reading and writing the memory it shares with the calling thread. Wiring only; the work is in src/domain/merge.

import { parentPort } from 'node:worker_threads';
import { defaultMergeKernel } from '../domain/merge/index.ts';
import type { ThreadReply, ThreadRequest } from './merge-thread-protocol.ts';

const kernel = defaultMergeKernel();
const port = parentPort!;
port.on('message', async (r: ThreadRequest) => {
	try {
		const src = new Uint8Array(r.shared, 0, r.srcBytes);
		const dst = new Uint8Array(r.shared, r.dstOffset, r.dstBytes);
		const sums = await kernel.merge({ ...r, src, dst });
		port.postMessage({ id: r.id, sums } satisfies ThreadReply);
	} catch (e) {
		const err = e instanceof Error ? e : new Error(String(e));
		port.postMessage({ id: r.id, error: { name: err.name, message: err.message } } satisfies ThreadReply);
	}
});
