// Multi-threaded merge kernel for Node: each job's rows are split (splitRowsKernel) between the calling
// thread's SIMD kernel and node:worker_threads workers running the same kernel. Shares cross through
// SharedArrayBuffers reused from job to job: one copy in, one copy out, nothing allocated or cloned per job
// but the (small) A/B parts. Node-only: lives in src/cli, never in src/domain.

import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { defaultMergeKernel, type FidelitySums, type MergeJob, type MergeKernel, splitRowsKernel } from '../domain/merge/index.ts';
import type { ThreadReply, ThreadRequest } from './merge-thread-protocol.ts';

/**
 * Under tsx (tests), the worker's code as one CommonJS bundle (esbuild), built once per process while the
 * derivation reads its inputs: a worker that loads it needs neither tsx's loader nor its own loader thread,
 * so it starts in milliseconds and holds far less memory. null when esbuild is unavailable. (The bundled
 * command starts the merge-thread-worker.mjs that scripts/cli.mjs built beside it instead.)
 */
let bundle: Promise<string | null> | undefined;
function workerBundle(entry: URL): Promise<string | null> {
	bundle ??= (async () => {
		try {
			const esbuild = await import('esbuild');
			const r = await esbuild.build({
				entryPoints: [fileURLToPath(entry)],
				bundle: true,
				platform: 'node',
				format: 'cjs',
				target: 'node20',
				write: false,
				logLevel: 'silent'
			});
			// the esbuild service process would otherwise outlive the derivation
			await esbuild.stop();
			return r.outputFiles[0].text;
		} catch {
			return null;
		}
	})();
	return bundle;
}

const WORKER_LIMITS = { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 };

/**
 * Starts the worker: from the bundle when there is one; otherwise a .ts entry gets a one-line bootstrap
 * that registers tsx first (Node does not apply tsx's loader hooks to a worker's entry file).
 */
async function startWorker(entry: URL): Promise<Worker> {
	// the worker's heap holds only job messages (rows live in shared memory): small limits keep its idle
	// heap reservations out of the command's peak memory (measured: about 5 MiB less)
	if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { resourceLimits: WORKER_LIMITS });
	const code = await workerBundle(entry);
	if (code !== null) return new Worker(code, { eval: true, resourceLimits: WORKER_LIMITS });
	// the package's "import" entry of tsx/esm/api (require.resolve gives the .cjs twin, which cannot register)
	const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
	const api = pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
	const boot = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
	return new Worker(boot, { eval: true });
}

/**
 * The worker's entry next to this module: the .ts source when run through tsx (tests, tsx), the sibling
 * bundle when scripts/cli.mjs runs the bundled command (it builds merge-thread-worker.mjs beside derive.mjs).
 */
function workerEntry(): URL {
	return new URL(import.meta.url.endsWith('.ts') ? './merge-thread-worker.ts' : './merge-thread-worker.mjs', import.meta.url);
}

/** A MergeKernel that runs every job in one worker thread. */
export class WorkerThreadKernel implements MergeKernel {
	readonly #worker: Promise<Worker>;
	/** The worker once started: merge() then posts the job in the same tick it is called (see merge). */
	#started: Worker | null = null;
	readonly #pending = new Map<number, { resolve: (r: ThreadReply) => void; reject: (e: Error) => void }>();
	#nextId = 1;

	constructor() {
		this.#worker = startWorker(workerEntry()).then((w) => {
			w.on('message', (r: ThreadReply) => {
				const p = this.#pending.get(r.id);
				this.#pending.delete(r.id);
				if (!p) return;
				if (r.error) p.reject(Object.assign(new Error(r.error.message), { name: r.error.name }));
				else p.resolve(r);
			});
			w.on('error', (e) => this.#failAll(e));
			w.on('exit', (code) => this.#failAll(new Error(`merge thread exited with code ${code}`)));
			this.#started = w;
			return w;
		});
		// a failed start is reported by merge(); never as an unhandled rejection
		this.#worker.catch(() => {});
	}

	#failAll(e: Error): void {
		for (const p of this.#pending.values()) p.reject(e);
		this.#pending.clear();
	}

	/** Shared buffers not in use; a job takes one (concurrent jobs each need their own) and gives it back. */
	readonly #free: SharedArrayBuffer[] = [];

	#take(bytes: number): SharedArrayBuffer {
		const i = this.#free.findIndex((b) => b.byteLength >= bytes);
		if (i >= 0) return this.#free.splice(i, 1)[0];
		// replace the largest free buffer rather than keep an ever-growing set
		this.#free.sort((a, b) => a.byteLength - b.byteLength).pop();
		return new SharedArrayBuffer(bytes);
	}

	async merge(job: MergeJob): Promise<FidelitySums[]> {
		const id = this.#nextId++;
		const srcBytes = job.src.byteLength;
		const dstOffset = Math.ceil(srcBytes / 16) * 16;
		const dstBytes = job.rows * job.cols * (job.dstEncoding === 'f16' ? 2 : 4);
		// No await once started: splitRowsKernel calls this before the calling thread's own (synchronous)
		// share, so the job must be posted before merge() returns, or the two shares run one after the other.
		const worker = this.#started ?? (await this.#worker);
		const shared = this.#take(dstOffset + dstBytes);
		try {
			new Uint8Array(shared, 0, srcBytes).set(job.src);
			const req: ThreadRequest = {
				id,
				rows: job.rows,
				cols: job.cols,
				shared,
				srcBytes,
				dstOffset,
				dstBytes,
				srcEncoding: job.srcEncoding,
				dstEncoding: job.dstEncoding,
				parts: job.parts.map((p) => ({ rowStart: p.rowStart, rowEnd: p.rowEnd, rank: p.rank, scale: p.scale, a: p.a, b: p.b.slice() })),
				...(job.carry ? { carry: job.carry } : {})
			};
			const reply = await new Promise<ThreadReply>((resolve, reject) => {
				this.#pending.set(id, { resolve, reject });
				worker.postMessage(req);
			});
			job.dst.set(new Uint8Array(shared, dstOffset, dstBytes));
			return reply.sums!;
		} finally {
			this.#free.push(shared);
		}
	}

	/** Stops the worker. */
	async close(): Promise<void> {
		await (await this.#worker).terminate();
	}
}

/**
 * Threads worth using here: one core fewer than the machine has (at least 1). The output is written by
 * libuv's threads and tsx loads modules on its own thread; on 2 cores a merge worker only competes with them
 * (measured: 2 threads no faster than 1 and ~30 MiB more).
 */
export function defaultThreads(): number {
	return Math.max(1, availableParallelism() - 1);
}

/**
 * Merged elements that pay for one more thread. Measured on 2 cores (npm run bench): a worker costs about
 * 0.2 s of start-up and contention with the writes, and saves at most 1.75 ns per element (half of 3.5). With
 * q+v only (39 M elements) it lost every time (0.64 → 0.95 s); with all seven modules (315 M) it won in three
 * runs of five (e.g. 1.85 → 1.49 s) and lost in two (1.59 → 1.96 s), the second core being busy with the writes.
 * 128 M elements is about 0.45 s of kernel work per extra thread.
 */
export const ELEMENTS_PER_EXTRA_THREAD = 128 * 2 ** 20;

/** Threads worth starting for `mergedElements` of merge work: at most `requested`, one per ELEMENTS_PER_EXTRA_THREAD beyond the first. */
export function threadsFor(requested: number, mergedElements: number): number {
	return Math.max(1, Math.min(requested, 1 + Math.floor(mergedElements / ELEMENTS_PER_EXTRA_THREAD)));
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
