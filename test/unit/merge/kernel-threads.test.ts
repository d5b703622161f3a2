// The Node multi-threaded kernel (src/cli/thread-kernel.ts) with real worker_threads.
// Covers: a worker thread kernel gives the same bytes and sums as the single-threaded SIMD kernel, and
// takes its job in the call (not a tick later, which ran two threads' shares one after the other);
// createThreadedKernel(2) splits rows between this thread and a worker with identical bytes (sums to
// 1e-12); threads = 1 is the plain kernel; bad thread counts are refused; a failing job rejects;
// the CLI's --threads flag.

import { afterAll, expect, test } from 'vitest';
import { type MergeJob, SimdMergeKernel } from '../../../src/domain/merge/index.ts';
import { CliError, parseArgs } from '../../../src/cli/derive.ts';
import { createThreadedKernel, ELEMENTS_PER_EXTRA_THREAD, threadsFor, WorkerThreadKernel } from '../../../src/cli/thread-kernel.ts';

function job(rows: number, cols: number, rank: number, seed: number): MergeJob {
	let x = seed;
	const r = () => (x = (x * 1103515245 + 12345) >>> 0) / 2 ** 32;
	const src = new Uint16Array(rows * cols).map(() => Math.floor(r() * 65536) & 0xbbff);
	const b = (n: number) => Float32Array.from({ length: n }, () => (r() - 0.5) * 0.1);
	return {
		rows,
		cols,
		src: new Uint8Array(src.buffer),
		srcEncoding: 'f16',
		dst: new Uint8Array(rows * cols * 2),
		dstEncoding: 'f16',
		parts: [
			{ rowStart: 0, rowEnd: 100, rank, scale: 2, a: b(rank * cols), b: b(100 * rank) },
			{ rowStart: 130, rowEnd: rows, rank, scale: 0.5, a: b(rank * cols), b: b((rows - 130) * rank) }
		]
	};
}

const fresh = (j: MergeJob): MergeJob => ({ ...j, dst: new Uint8Array(j.dst.length) });
const worker = new WorkerThreadKernel();
const two = createThreadedKernel(2);
afterAll(async () => {
	await worker.close();
	await two.close();
});

test('a worker thread kernel equals the SIMD kernel, bytes and sums', async () => {
	const j = job(257, 203, 7, 1);
	const ref = fresh(j),
		got = fresh(j);
	const refSums = new SimdMergeKernel().mergeSync(ref);
	expect(await worker.merge(got)).toEqual(refSums);
	expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
	expect(got.src).toBe(j.src); // the caller's buffers are untouched (the worker got a copy)
});

test('a started worker takes the job when merge() is called, so the caller’s own share runs alongside it', async () => {
	const j = job(257, 203, 7, 8);
	const ref = fresh(j);
	const refSums = new SimdMergeKernel().mergeSync(ref);
	await worker.merge(fresh(j)); // started
	const got = fresh(j);
	const src = got.src.slice();
	const pending = worker.merge({ ...got, src });
	// what splitRowsKernel's same-thread share would do next: the worker must already hold its copy of the rows
	src.fill(0xff);
	expect(await pending).toEqual(refSums);
	expect(Buffer.from(got.dst).equals(Buffer.from(ref.dst))).toBe(true);
});

test('two threads: identical bytes, sums equal to 1e-12, jobs in parallel', async () => {
	const jobs = [job(300, 96, 16, 2), job(301, 17, 3, 3), job(512, 64, 1, 4)];
	const refs = jobs.map(fresh),
		gots = jobs.map(fresh);
	const refSums = refs.map((j) => new SimdMergeKernel().mergeSync(j));
	const all = await Promise.all(gots.map((j) => two.kernel.merge(j)));
	gots.forEach((g, i) => {
		expect(Buffer.from(g.dst).equals(Buffer.from(refs[i].dst))).toBe(true);
		all[i].forEach((s, p) => {
			expect(s.elements).toBe(refSums[i][p].elements);
			expect(Math.abs(s.diffSq - refSums[i][p].diffSq)).toBeLessThanOrEqual(refSums[i][p].diffSq * 1e-12);
			expect(Math.abs(s.dot - refSums[i][p].dot)).toBeLessThanOrEqual(Math.abs(refSums[i][p].dot) * 1e-12);
		});
	});
});

test('threads = 1 is the single-threaded kernel; bad counts are refused', async () => {
	const one = createThreadedKernel(1);
	const j = job(200, 8, 2, 5),
		ref = fresh(j);
	new SimdMergeKernel().mergeSync(ref);
	await one.kernel.merge(j);
	expect(Buffer.from(j.dst).equals(Buffer.from(ref.dst))).toBe(true);
	await one.close();
	for (const n of [0, -1, 1.5, NaN]) expect(() => createThreadedKernel(n)).toThrow(RangeError);
});

test('an error in the worker rejects the job with its name and message', async () => {
	const j = job(200, 8, 2, 6);
	await expect(worker.merge({ ...j, rows: 400 })).rejects.toThrow(/smaller than 400×8/);
});

test('the CLI takes --threads N (1..64) and refuses anything else with usage exit code 2', () => {
	const base = ['--base', 'b', '--adapter', 'a', '--out', 'o'];
	expect(parseArgs([...base, '--threads', '2']).threads).toBe(2);
	expect(parseArgs(base).threads).toBeUndefined();
	for (const bad of ['0', '-1', '1.5', 'two', '65']) {
		let err: unknown;
		try {
			parseArgs([...base, '--threads', bad]);
		} catch (e) {
			err = e;
		}
		expect(err).toBeInstanceOf(CliError);
		expect((err as CliError).exitCode).toBe(2);
	}
});

test('threads used: at most the threads asked, one more per 128 Mi merged elements beyond the first', () => {
	const M = ELEMENTS_PER_EXTRA_THREAD;
	expect(M).toBe(134_217_728);
	// the benchmark adapter: q+v 32 · (960 + 320) · 960 = 39,321,600 elements → 1; all seven 315 M → 3, capped by the ask
	expect(threadsFor(2, 32 * (960 + 320) * 960)).toBe(1);
	expect(threadsFor(2, 32 * (1600 * 960 + 960 * 960 + 5120 * 960 + 960 * 2560))).toBe(2);
	expect(threadsFor(7, 32 * (1600 * 960 + 960 * 960 + 5120 * 960 + 960 * 2560))).toBe(3);
	expect([threadsFor(4, 0), threadsFor(4, M - 1), threadsFor(4, M), threadsFor(4, 3 * M), threadsFor(4, 10 * M)]).toEqual([1, 1, 2, 4, 4]);
	expect(threadsFor(1, 10 * M)).toBe(1);
});
