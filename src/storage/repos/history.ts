// History queries: runs newest first, one page at a time, with filters and text search. Each page
// walks one index in reverse with a cursor and stops once the page is full, so page 1 of 10,000 runs
// reads only ~limit rows (text search reads until it has found a page). No svelte/worker imports.
import type { TuneDb } from '../db.ts';
import type { RunRow, RunStatus } from '../rows.ts';

export const HISTORY_PAGE_SIZE = 50;

export interface HistoryFilter {
	status?: RunStatus;
	modelId?: string;
	recipeId?: string;
	/** Inclusive lower bound on createdAt (epoch ms). */
	fromMs?: number;
	/** Inclusive upper bound on createdAt (epoch ms). */
	toMs?: number;
	/** Case-insensitive text matched against output, user messages, model id and recipe name. */
	text?: string;
}

/** Position after the last row of a page: pass it back to get the next page. */
export interface HistoryCursor {
	createdAt: number;
	id: string;
}

export interface HistoryPage {
	runs: RunRow[];
	/** null when this is the last page. */
	next: HistoryCursor | null;
}

/** True when the run contains the (lower-cased) needle in a searched field. */
export function runMatchesText(run: RunRow, needle: string): boolean {
	if (!needle) return true;
	const has = (s: string) => s.toLowerCase().includes(needle);
	return has(run.output) || has(run.modelId) || has(run.recipeName) || run.messages.some((m) => m.role === 'user' && has(m.content));
}

function baseCollection(db: TuneDb, f: HistoryFilter, upper: number) {
	const lower = f.fromMs ?? -Infinity;
	// Pick the most selective index; the remaining filters are checked row by row below.
	const compound =
		f.recipeId !== undefined
			? (['recipeId', f.recipeId] as const)
			: f.modelId !== undefined
				? (['modelId', f.modelId] as const)
				: f.status !== undefined
					? (['status', f.status] as const)
					: undefined;
	if (compound) {
		const [field, value] = compound;
		return db.runs.where(`[${field}+createdAt]`).between([value, lower], [value, upper], true, true).reverse();
	}
	return db.runs.where('createdAt').between(lower, upper, true, true).reverse();
}

/**
 * One page of runs, newest first (ties broken by id, descending).
 * @param after the `next` cursor of the previous page; omit for page 1.
 */
export async function listRuns(
	db: TuneDb,
	filter: HistoryFilter = {},
	opts: { limit?: number; after?: HistoryCursor } = {}
): Promise<HistoryPage> {
	const limit = opts.limit ?? HISTORY_PAGE_SIZE;
	const after = opts.after;
	const upper = Math.min(filter.toMs ?? Infinity, after?.createdAt ?? Infinity);
	const needle = filter.text?.trim().toLowerCase() ?? '';
	const runs = await baseCollection(db, filter, upper)
		.filter(
			(run) =>
				!(after && run.createdAt === after.createdAt && run.id >= after.id) &&
				(filter.status === undefined || run.status === filter.status) &&
				(filter.modelId === undefined || run.modelId === filter.modelId) &&
				runMatchesText(run, needle)
		)
		.limit(limit + 1)
		.toArray();
	const more = runs.length > limit;
	if (more) runs.length = limit;
	const last = runs.at(-1);
	return { runs, next: more && last ? { createdAt: last.createdAt, id: last.id } : null };
}
