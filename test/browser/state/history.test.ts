// Covers HistoryState on a REAL IndexedDB test database: start-up marks leftover 'running' runs
// as interrupted, the live list is newest first and updates when a run is added, filters and text
// search narrow it, the search text is debounced (one query once typing pauses; other filters
// query at once), paging with loadMore, open/remove, and import shows a summary or the error.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { startRun, finishRun } from '../../../src/storage/repos/runs.ts';
import { HistoryState, SEARCH_DEBOUNCE_MS } from '../../../src/state/history.svelte.ts';
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
	vi.useRealTimers();
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

	test('search text is debounced: a burst of keystrokes queries once, with the last text', async () => {
		for (const [i, text] of ['alpha', 'alpine', 'beta'].entries()) await startRun(db, snap('m', text), 100 + i);
		history = new HistoryState(db);
		await history.start();
		await expect.poll(() => history.runs.length).toBe(3);

		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		const gap = Math.floor(SEARCH_DEBOUNCE_MS * 0.75);
		history.setFilter({ text: 'a' });
		vi.advanceTimersByTime(gap);
		history.setFilter({ text: 'al' });
		vi.advanceTimersByTime(gap); // 1.5 × the delay since the first keystroke, but only 0.75 × since the last
		history.setFilter({ text: 'alp' });
		expect(history.filter.text).toBe('alp'); // the box shows what was typed at once
		expect(history.appliedFilter).toEqual({});
		expect(history.searchPending).toBe(true);
		vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
		expect(history.appliedFilter).toEqual({});
		vi.advanceTimersByTime(1);
		expect(history.appliedFilter).toEqual({ text: 'alp' });
		expect(history.searchPending).toBe(false);
		vi.runOnlyPendingTimers(); // Dexie's own deferred first query
		vi.useRealTimers();
		await expect.poll(() => history.runs.map((r) => r.messages[0].content).sort()).toEqual(['alpha', 'alpine']);
	});

	test('another filter applies at once, taking the pending search text with it; destroy drops a pending search', async () => {
		await startRun(db, snap('m', 'alpha'), 1);
		history = new HistoryState(db, { searchDelayMs: 60_000 });
		await history.start();
		history.setFilter({ text: 'alp' });
		expect(history.appliedFilter).toEqual({});
		history.setFilter({ status: 'interrupted' }); // start() marked the leftover running run
		expect(history.appliedFilter).toEqual({ status: 'interrupted', text: 'alp' });
		expect(history.searchPending).toBe(false);
		await expect.poll(() => history.runs.length).toBe(1);

		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		history.setFilter({ text: 'zzz' });
		history.destroy();
		vi.advanceTimersByTime(60_000);
		expect(history.appliedFilter).toEqual({ status: 'interrupted', text: 'alp' });
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
