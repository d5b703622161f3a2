// Covers: listRuns paging newest-first (cursor pages cover every run exactly once, ties on
// createdAt broken by id), filters (status, model, recipe, date range, combined) and text search
// (output, user message, model id, recipe name; case-insensitive) — each checked against a naive
// reference that sorts and filters the whole array in the test.
import { describe, expect, test } from 'vitest';
import { listRuns, type HistoryFilter } from '../../src/storage/repos/history.ts';
import type { RunRow } from '../../src/storage/rows.ts';
import type { TuneDb } from '../../src/storage/db.ts';
import { makeRun, makeRuns } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

/** Naive reference: filter everything, sort by createdAt desc then id desc. */
function reference(rows: RunRow[], f: HistoryFilter): string[] {
	const needle = (f.text ?? '').trim().toLowerCase();
	return rows
		.filter((r) => f.status === undefined || r.status === f.status)
		.filter((r) => f.modelId === undefined || r.modelId === f.modelId)
		.filter((r) => f.recipeId === undefined || r.recipeId === f.recipeId)
		.filter((r) => f.fromMs === undefined || r.createdAt >= f.fromMs)
		.filter((r) => f.toMs === undefined || r.createdAt <= f.toMs)
		.filter(
			(r) =>
				!needle ||
				[r.output, r.modelId, r.recipeName, ...r.messages.filter((m) => m.role === 'user').map((m) => m.content)]
					.join('\u0000')
					.toLowerCase()
					.includes(needle)
		)
		.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
		.map((r) => r.id);
}

async function allPages(db: TuneDb, f: HistoryFilter, limit: number): Promise<string[][]> {
	const pages: string[][] = [];
	let page = await listRuns(db, f, { limit });
	pages.push(page.runs.map((r) => r.id));
	while (page.next) {
		page = await listRuns(db, f, { limit, after: page.next });
		pages.push(page.runs.map((r) => r.id));
	}
	return pages;
}

const BASE = 1_700_000_000_000;
const rows = makeRuns(230, BASE);

describe('history paging and filters', () => {
	test.each<[string, HistoryFilter]>([
		['no filter', {}],
		['status', { status: 'failed' }],
		['model', { modelId: 'model-a' }],
		['recipe', { recipeId: 'recipe-odd' }],
		['date range', { fromMs: BASE + 20_000, toMs: BASE + 150_000 }],
		['recipe + status + range', { recipeId: 'recipe-even', status: 'done', fromMs: BASE + 10_000 }],
		['model + status', { modelId: 'model-b', status: 'stopped' }],
		['text in output', { text: 'NEEDLE' }],
		['text + model', { text: 'needle', modelId: 'model-a' }],
		['text matching nothing', { text: 'zebra' }]
	])('%s: pages of 50 equal the reference, newest first', async (_label, filter) => {
		const db = await freshDb('history');
		await db.runs.bulkAdd(rows);
		const pages = await allPages(db, filter, 50);
		const expected = reference(rows, filter);
		expect(pages.flat()).toEqual(expected);
		expect(pages.slice(0, -1).every((p) => p.length === 50)).toBe(true);
		expect(pages.at(-1)!.length).toBe(expected.length % 50 || Math.min(50, expected.length));
		db.close();
	});

	test('runs sharing one createdAt are neither skipped nor repeated across pages', async () => {
		const db = await freshDb('history');
		const tied = Array.from({ length: 23 }, (_, i) =>
			makeRun({ id: `t${String(i).padStart(2, '0')}`, createdAt: BASE + (i < 20 ? 0 : i) })
		);
		await db.runs.bulkAdd(tied);
		const pages = await allPages(db, {}, 7);
		expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 2]);
		expect(pages.flat()).toEqual(reference(tied, {}));
		db.close();
	});

	test.each<[string, Partial<RunRow>, string]>([
		['user message', { messages: [{ role: 'user', content: 'Find the Walrus' }] }, 'walrus'],
		['model id', { modelId: 'Llama-3.2-1B' }, 'llama-3.2'],
		['recipe name', { recipeName: 'Poem Writer' }, 'poem'],
		['system prompt is not searched', { messages: [{ role: 'system', content: 'walrus' }] }, '']
	])('search matches %s', async (_label, overrides, needle) => {
		const db = await freshDb('history');
		const target = makeRun({ id: 'target', output: 'x', ...overrides });
		await db.runs.bulkAdd([target, makeRun({ id: 'other', output: 'y' })]);
		const text = needle || 'walrus';
		const ids = (await listRuns(db, { text })).runs.map((r) => r.id);
		expect(ids).toEqual(needle ? ['target'] : []);
		db.close();
	});

	test('an empty database gives an empty last page', async () => {
		const db = await freshDb('history');
		expect(await listRuns(db)).toEqual({ runs: [], next: null });
		db.close();
	});
});
