// Covers HistoryState on a REAL IndexedDB test database: start-up marks leftover 'running' runs
// as interrupted, the live list is newest first and updates when a run is added, filters and text
// search narrow it, paging with loadMore, open/remove, and import shows a summary or the error.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { startRun, finishRun } from '../../../src/storage/repos/runs.ts';
import { HistoryState } from '../../../src/state/history.svelte.ts';
import type { RunSnapshot } from '../../../src/state/ports.ts';

function snap(modelId: string, user: string): RunSnapshot {
	return {
		engine: { kind: 'endpoint', version: 't' },
		modelId,
		recipeVersionId: '',
		recipeId: 'r',
		recipeName: 'R',
		recipe: { system: '', examples: [], template: user, sampling: {}, variableDefaults: {} },
		variables: {},
		messages: [{ role: 'user', content: user }],
		sampling: {}
	};
}

let db: TuneDb;
let name: string;
let history: HistoryState;
beforeEach(async () => {
	name = `history-test-${crypto.randomUUID()}`;
	db = await openDb(name);
});
afterEach(async () => {
	history?.destroy();
	db.close();
	await indexedDB.deleteDatabase(name);
});

describe('HistoryState', () => {
	test('start-up marks leftover running runs interrupted; list is newest first and live', async () => {
		const old = await startRun(db, snap('m1', 'first'), 1000);
		const done = await startRun(db, snap('m2', 'second'), 2000);
		await finishRun(db, done.id, { status: 'done', output: 'ok' }, 2500);
		history = new HistoryState(db);
		await history.start();
		expect(history.interruptedAtStart).toBe(1);
		await expect.poll(() => history.runs.map((r) => r.id)).toEqual([done.id, old.id]);
		expect(history.runs[1].status).toBe('interrupted');
		const third = await startRun(db, snap('m1', 'third'), 3000);
		await expect.poll(() => history.runs[0]?.id).toBe(third.id);
	});

	test('filters, search, paging, open and remove', async () => {
		for (let i = 0; i < 55; i++) await startRun(db, snap(i % 2 ? 'odd' : 'even', `prompt ${i}`), 10_000 + i);
		history = new HistoryState(db);
		await history.start();
		await expect.poll(() => history.runs.length).toBe(50);
		expect(history.hasMore).toBe(true);
		history.loadMore();
		await expect.poll(() => history.runs.length).toBe(55);
		expect(history.hasMore).toBe(false);

		history.setFilter({ modelId: 'odd' });
		await expect.poll(() => history.runs.length).toBe(27);
		history.setFilter({ modelId: '', text: 'prompt 54' });
		await expect.poll(() => history.runs.map((r) => r.messages[0].content)).toEqual(['prompt 54']);

		const id = history.runs[0].id;
		await history.open(id);
		expect(history.selected?.id).toBe(id);
		await history.remove(id);
		expect(history.selected).toBeNull();
		await expect.poll(() => history.runs.length).toBe(0);
	});

	test('import of a malformed file reports what is wrong; export → import round-trips', async () => {
		await startRun(db, snap('m', 'x'), 5);
		history = new HistoryState(db);
		await history.start();
		const bad = await history.importFile('{"not":"a bundle"}');
		expect(bad.ok).toBe(false);
		expect(history.importOutcome).toEqual(bad);
		const { blob, fileName } = await history.exportFile();
		expect(fileName).toMatch(/\.json$/);
		const good = await history.importFile(blob);
		expect(good.ok && good.summary.tables.runs.identical).toBe(1);
	});
});
