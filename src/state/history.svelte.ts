// Run history: a live, paged, filtered list (newest first), the run opened for reading, delete,
// export to one JSON file and import with a summary or a validation error. Start-up marks runs a
// closed tab left 'running' as interrupted. Imports storage and dexie's liveQuery; no DOM/worker.
import { liveQuery, type Subscription } from 'dexie';
import type { TuneDb } from '../storage/db.ts';
import type { RunRow, RunStatus } from '../storage/rows.ts';
import { HISTORY_PAGE_SIZE, listRuns, type HistoryFilter } from '../storage/repos/history.ts';
import { deleteRun, getRun, markInterruptedRuns } from '../storage/repos/runs.ts';
import type { ImportSummary } from '../storage/bundle-io.ts';

export interface HistoryFilterDraft {
	status: RunStatus | '';
	modelId: string;
	recipeId: string;
	text: string;
}

/** How long the text search waits after the last keystroke before it queries. */
export const SEARCH_DEBOUNCE_MS = 200;

export type ImportOutcome = { ok: true; summary: ImportSummary } | { ok: false; message: string };

export class HistoryState {
	runs = $state.raw<RunRow[]>([]);
	hasMore = $state(false);
	loading = $state(true);
	filter = $state<HistoryFilterDraft>({ status: '', modelId: '', recipeId: '', text: '' });
	limit = $state(HISTORY_PAGE_SIZE);
	selected = $state.raw<RunRow | null>(null);
	importOutcome = $state.raw<ImportOutcome | null>(null);
	error = $state<string | null>(null);
	/** How many leftover 'running' runs were marked interrupted at start-up. */
	interruptedAtStart = $state(0);
	/** The filter the live list was last queried with (search text lags the box while typing). */
	appliedFilter = $state.raw<HistoryFilter>({});
	/** True while typed search text waits for its debounce. */
	searchPending = $state(false);

	#db: TuneDb;
	#sub: Subscription | null = null;
	#searchTimer: ReturnType<typeof setTimeout> | null = null;
	#searchDelayMs: number;

	/** @param options.searchDelayMs debounce of the text search (default SEARCH_DEBOUNCE_MS) */
	constructor(db: TuneDb, options: { searchDelayMs?: number } = {}) {
		this.#db = db;
		this.#searchDelayMs = options.searchDelayMs ?? SEARCH_DEBOUNCE_MS;
	}

	/** Marks leftover running runs as interrupted, then starts the live list. */
	async start(): Promise<void> {
		try {
			this.interruptedAtStart = await markInterruptedRuns(this.#db);
		} catch (e) {
			this.error = (e as Error).message;
		}
		this.#subscribe();
	}

	/**
	 * Changes filters and goes back to the first page. A change of the search text alone is
	 * debounced (one query after typing pauses); any other change queries at once.
	 */
	setFilter(patch: Partial<HistoryFilterDraft>): void {
		Object.assign(this.filter, patch);
		this.limit = HISTORY_PAGE_SIZE;
		const textOnly = Object.keys(patch).every((k) => k === 'text');
		if (!textOnly) {
			this.#subscribe();
			return;
		}
		this.#cancelSearch();
		this.searchPending = true;
		this.#searchTimer = setTimeout(() => this.#subscribe(), this.#searchDelayMs);
	}

	loadMore(): void {
		this.limit += HISTORY_PAGE_SIZE;
		this.#subscribe();
	}

	async open(id: string): Promise<void> {
		this.selected = (await getRun(this.#db, id)) ?? null;
	}

	close(): void {
		this.selected = null;
	}

	async remove(id: string): Promise<void> {
		await deleteRun(this.#db, id);
		if (this.selected?.id === id) this.selected = null;
	}

	/** The whole database as one JSON file, with a dated file name. */
	async exportFile(): Promise<{ blob: Blob; fileName: string }> {
		const io = await import('../storage/bundle-io.ts'); // lazy: keeps the bundle code out of the entry chunk
		return { blob: await io.exportAll(this.#db), fileName: io.exportFileName() };
	}

	/** Imports a bundle; the outcome (summary or what is wrong with the file) lands in importOutcome. */
	async importFile(file: Blob | string): Promise<ImportOutcome> {
		try {
			const io = await import('../storage/bundle-io.ts');
			this.importOutcome = { ok: true, summary: await io.importBundle(this.#db, file) };
		} catch (e) {
			this.importOutcome = { ok: false, message: (e as Error).message };
		}
		return this.importOutcome;
	}

	destroy(): void {
		this.#cancelSearch();
		this.#sub?.unsubscribe();
		this.#sub = null;
	}

	#cancelSearch(): void {
		if (this.#searchTimer !== null) clearTimeout(this.#searchTimer);
		this.#searchTimer = null;
		this.searchPending = false;
	}

	#subscribe(): void {
		this.#cancelSearch();
		this.#sub?.unsubscribe();
		const filter = toQuery($state.snapshot(this.filter));
		const limit = this.limit;
		this.appliedFilter = filter;
		this.loading = true;
		this.#sub = liveQuery(() => listRuns(this.#db, filter, { limit })).subscribe({
			next: (page) => {
				this.runs = page.runs;
				this.hasMore = page.next !== null;
				this.loading = false;
				this.error = null;
			},
			error: (e: unknown) => {
				this.error = e instanceof Error ? e.message : String(e);
				this.loading = false;
			}
		});
	}
}

function toQuery(f: HistoryFilterDraft): HistoryFilter {
	const q: HistoryFilter = {};
	if (f.status) q.status = f.status;
	if (f.modelId.trim()) q.modelId = f.modelId.trim();
	if (f.recipeId) q.recipeId = f.recipeId;
	if (f.text.trim()) q.text = f.text.trim();
	return q;
}
