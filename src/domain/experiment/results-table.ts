// The results matrix of an experiment — items × variants with pass/fail and score, a person's
// verdict winning over the automatic one — its filters, and the table the statistics read (the
// same JSONL `npm run stats` reads, so a user can re-check the numbers outside the app).
// Pure: no svelte, dexie, DOM or web-llm imports.
import type { ResultRow as StatsRow, VoteLine } from '../stats/compare.ts';
import type { ManualScoreRow, ResultRow, TestItemRow, VoteRow } from './types.ts';

export interface MatrixCell {
	result: ResultRow;
	pass: boolean | null;
	score: number | null;
	/** True when a person set the pass/fail. */
	manual: boolean;
	/** A person's comment on this output ('' when none). */
	comment: string;
}

export interface MatrixRow {
	item: TestItemRow;
	/** One cell per variant id (missing while the batch has not reached it). */
	cells: Map<string, MatrixCell>;
	/** Some variants pass and some fail this item. */
	disagreement: boolean;
	anyFailure: boolean;
}

export interface MatrixFilter {
	failuresOnly?: boolean;
	disagreementsOnly?: boolean;
	/** Case-insensitive text in the item's values, expected output or any output. */
	search?: string;
}

/**
 * One row per item (in test-set order). When several results exist for one (variant, item) — a
 * later batch — the newest wins.
 */
export function buildMatrix(
	items: readonly TestItemRow[],
	variantIds: readonly string[],
	results: readonly ResultRow[],
	manual: ReadonlyMap<string, ManualScoreRow> = new Map()
): MatrixRow[] {
	const wanted = new Set(variantIds);
	const newest = new Map<string, ResultRow>();
	for (const r of results) {
		if (!wanted.has(r.variantId) || r.status !== 'done') continue;
		const key = `${r.itemId}|${r.variantId}`;
		const seen = newest.get(key);
		if (!seen || r.createdAt >= seen.createdAt) newest.set(key, r);
	}
	return [...items]
		.sort((a, b) => a.index - b.index)
		.map((item) => {
			const cells = new Map<string, MatrixCell>();
			for (const v of variantIds) {
				const result = newest.get(`${item.id}|${v}`);
				if (!result) continue;
				const m = manual.get(result.id);
				const byHand = m !== undefined && m.pass !== null;
				cells.set(v, {
					result,
					pass: byHand ? m.pass : (result.score?.pass ?? null),
					score: result.score?.score ?? null,
					manual: byHand,
					comment: m?.comment ?? ''
				});
			}
			const passes = [...cells.values()].map((c) => c.pass).filter((p): p is boolean => p !== null);
			return {
				item,
				cells,
				disagreement: passes.includes(true) && passes.includes(false),
				anyFailure: passes.includes(false)
			};
		});
}

/** The rows a filter keeps. */
export function filterMatrix(rows: readonly MatrixRow[], filter: MatrixFilter): MatrixRow[] {
	const needle = filter.search?.trim().toLowerCase() ?? '';
	return rows.filter((row) => {
		if (filter.failuresOnly && !row.anyFailure) return false;
		if (filter.disagreementsOnly && !row.disagreement) return false;
		if (!needle) return true;
		const texts = [...Object.values(row.item.vars), row.item.expected ?? '', ...[...row.cells.values()].map((c) => c.result.output)];
		return texts.some((t) => t.toLowerCase().includes(needle));
	});
}

/** The statistics' input: one line per (item, variant label) with a result, and the votes. */
export function statsInput(
	rows: readonly MatrixRow[],
	labels: ReadonlyMap<string, string>,
	votes: readonly VoteRow[] = []
): { rows: StatsRow[]; votes: VoteLine[] } {
	const out: StatsRow[] = [];
	for (const row of rows)
		for (const [variantId, cell] of row.cells)
			out.push({ item: row.item.id, variant: labels.get(variantId) ?? variantId, pass: cell.pass, score: cell.score });
	return {
		rows: out,
		votes: votes
			.filter((v) => labels.has(v.a) && labels.has(v.b))
			.map((v) => ({ item: v.itemId, a: labels.get(v.a)!, b: labels.get(v.b)!, winner: v.winner }))
	};
}

/** The same table as JSON Lines, the input format of `npm run stats`. */
export function statsJsonl(input: { rows: readonly StatsRow[]; votes: readonly VoteLine[] }): string {
	return [...input.rows, ...input.votes].map((line) => JSON.stringify(line)).join('\n') + '\n';
}
