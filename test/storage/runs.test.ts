// Covers: run lifecycle (start as 'running', output updates, finish with stats or error),
// markInterruptedRuns (only 'running' rows, partial output kept), delete one/many, missing-run errors.
import { describe, expect, test } from 'vitest';
import {
	RunNotFoundError,
	deleteRun,
	deleteRuns,
	finishRun,
	getRun,
	markInterruptedRuns,
	startRun,
	updateRunOutput
} from '../../src/storage/repos/runs.ts';
import { makeNewRun, makeRun } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

describe('runs repository', () => {
	test('a run is stored at start, updated while streaming, and finished', async () => {
		const db = await freshDb('runs');
		const input = makeNewRun();
		const run = await startRun(db, input, 5000);
		expect(await getRun(db, run.id)).toEqual({
			...input,
			id: run.id,
			createdAt: 5000,
			startedAt: 5000,
			status: 'running',
			output: ''
		});
		await updateRunOutput(db, run.id, 'Hel');
		expect((await getRun(db, run.id))?.output).toBe('Hel');
		const stats = input.stats!;
		await finishRun(db, run.id, { status: 'done', output: 'Hello', stats }, 6000);
		expect(await getRun(db, run.id)).toMatchObject({
			status: 'done',
			output: 'Hello',
			endedAt: 6000,
			stats
		});
		db.close();
	});

	test('a failed run keeps its error', async () => {
		const db = await freshDb('runs');
		const run = await startRun(db, makeNewRun({ stats: undefined }));
		const error = { code: 'network', message: 'Endpoint unreachable' };
		await finishRun(db, run.id, { status: 'failed', output: 'par', error });
		expect(await getRun(db, run.id)).toMatchObject({ status: 'failed', output: 'par', error });
		db.close();
	});

	test('markInterruptedRuns turns only running runs into interrupted, keeping output', async () => {
		const db = await freshDb('runs');
		await db.runs.bulkAdd([
			makeRun({ id: 'r1', status: 'running', output: 'partial answer', endedAt: undefined }),
			makeRun({ id: 'r2', status: 'done' }),
			makeRun({ id: 'r3', status: 'running', output: '' })
		]);
		expect(await markInterruptedRuns(db, 9000)).toBe(2);
		expect(await getRun(db, 'r1')).toMatchObject({
			status: 'interrupted',
			output: 'partial answer',
			endedAt: 9000
		});
		expect((await getRun(db, 'r2'))?.status).toBe('done');
		expect((await getRun(db, 'r3'))?.status).toBe('interrupted');
		expect(await markInterruptedRuns(db)).toBe(0);
		db.close();
	});

	test('delete one and delete many', async () => {
		const db = await freshDb('runs');
		await db.runs.bulkAdd(['a', 'b', 'c', 'd'].map((id) => makeRun({ id })));
		await deleteRun(db, 'a');
		await deleteRuns(db, ['b', 'c', 'missing']);
		expect(await db.runs.toCollection().primaryKeys()).toEqual(['d']);
		db.close();
	});

	test.each([
		['updateRunOutput', (db: Parameters<typeof getRun>[0]) => updateRunOutput(db, 'gone', 'x')],
		['finishRun', (db: Parameters<typeof getRun>[0]) => finishRun(db, 'gone', { status: 'done', output: '' })]
	])('%s on a deleted run throws RunNotFoundError', async (_label, act) => {
		const db = await freshDb('runs');
		await expect(act(db)).rejects.toBeInstanceOf(RunNotFoundError);
		db.close();
	});
});
