// Multi-threaded merge kernel for Node: each job's rows are split (splitRowsKernel) between the calling
// thread's SIMD kernel and node:worker_threads workers running the same kernel. Shares cross as
// transferred copies (src slice in, dst slice back). Node-only: lives in src/cli, never in src/domain.

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defaultMergeKernel, type FidelitySums, type MergeJob, type MergeKernel, splitRowsKernel } from '../domain/merge/index.ts';
import type { ThreadReply, ThreadRequest } from './merge-thread-protocol.ts';

/**
 * Starts the worker. Node does not apply tsx's loader hooks to a worker's entry file, so a .ts entry
 * gets a one-line bootstrap that registers tsx first (the CLI always runs under tsx).
 */
function startWorker(entry: URL): Worker {
	if (!entry.pathname.endsWith('.ts')) return new Worker(entry);
	// the package's "import" entry of tsx/esm/api (require.resolve gives the .cjs twin, which cannot register)
	const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
	const api = pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
	const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
	return new Worker(code, { eval: true });
}

/** A MergeKernel that runs every job in one worker thread. */
export class WorkerThreadKernel implements MergeKernel {
	readonly #worker: Worker;
	readonly #pending = new Map<number, { resolve: (r: ThreadReply) => void; reject: (e: Error) => void }>();
	#nextId = 1;

	constructor() {
		this.#worker = startWorker(new URL('./merge-thread-worker.ts', import.meta.url));
		this.#worker.on('message', (r: ThreadReply) => {
			const p = this.#pending.get(r.id);
			this.#pending.delete(r.id);
			if (!p) return;
			if (r.error) p.reject(Object.assign(new Error(r.error.message), { name: r.error.name }));
			else p.resolve(r);
		});
		this.#worker.on('error', (e) => this.#failAll(e));
		this.#worker.on('exit', (code) => this.#failAll(new Error(`merge thread exited with code ${code}`)));
	}

	#failAll(e: Error): void {
		for (const p of this.#pending.values()) p.reject(e);
		this.#pending.clear();
	}

	async merge(job: MergeJob): Promise<FidelitySums[]> {
		const id = this.#nextId++;
		const src = job.src.slice();
		const parts = job.parts.map((p) => ({ ...p, a: p.a, b: p.b.slice() }));
		const req: ThreadRequest = {
			id,
			rows: job.rows,
			cols: job.cols,
			src,
			srcEncoding: job.srcEncoding,
			dstEncoding: job.dstEncoding,
			parts
		};
		const reply = await new Promise<ThreadReply>((resolve, reject) => {
			this.#pending.set(id, { resolve, reject });
			this.#worker.postMessage(req, [src.buffer]);
		});
		job.dst.set(reply.dst!);
		return reply.sums!;
	}

	/** Stops the worker. */
	async close(): Promise<void> {
		await this.#worker.terminate();
	}
}

/** Threads worth using here: the machine's parallelism. */
export function defaultThreads(): number {
	return availableParallelism();
}

/**
 * A kernel using `threads` threads: the caller's thread plus threads − 1 workers (threads = 1: the plain
 * single-threaded default kernel). Call close() when done, or the workers keep their memory.
 */
export function createThreadedKernel(threads: number): { kernel: MergeKernel; close(): Promise<void> } {
	if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
	if (threads === 1) return { kernel: defaultMergeKernel(), close: async () => {} };
	const workers = Array.from({ length: threads - 1 }, () => new WorkerThreadKernel());
	return {
		kernel: splitRowsKernel([defaultMergeKernel(), ...workers]),
		close: async () => void (await Promise.all(workers.map((w) => w.close())))
	};
}
