// Files made from an experiment's results for use outside the app: the statistics' input table as
// CSV (results and votes in separate files, both readable by `npm run stats`) and preference pairs
// from blind votes as JSON Lines ({prompt, chosen, rejected}, the usual DPO training format).
// Pure: no svelte, dexie, DOM or web-llm imports (papaparse is pure JS).
import Papa from 'papaparse';
import { buildMessages } from '../recipes/messages.ts';
import type { ResultRow as StatsRow, VoteLine } from '../stats/compare.ts';
import { guardFormula, RESULTS_CSV_COLUMNS, VOTES_CSV_COLUMNS } from '../stats/parse-csv.ts';
import type { MatrixRow } from './results-table.ts';
import { carriesAdapter } from './variants.ts';
import type { VariantSpec, VoteRow } from './types.ts';

function csv(fields: readonly string[], data: string[][]): string {
	return Papa.unparse({ fields: [...fields], data }, { newline: '\r\n' }) + '\r\n';
}

/**
 * The statistics' input rows (statsInput(...).rows) as CSV: `item,variant,pass,score`, pass as
 * true/false/empty, score as a number/empty, quoted per RFC 4180. Text cells starting with = + - @,
 * a tab, a CR or an apostrophe get a leading apostrophe so a spreadsheet shows them as text, never
 * runs them; `npm run stats` (parseResultsCsv) strips it back, so the round trip is exact. The
 * score column is a number and is never guarded ("-0.5" stays as it is). `input.votes` is ignored:
 * votes have other columns and go to their own file (votesCsv).
 */
export function resultsCsv(input: { rows: readonly StatsRow[]; votes?: readonly VoteLine[] }): string {
	const data = input.rows.map((r) => [
		guardFormula(r.item),
		guardFormula(r.variant),
		r.pass === null ? '' : String(r.pass),
		r.score === null ? '' : String(r.score)
	]);
	return csv(RESULTS_CSV_COLUMNS, data);
}

/** The votes (statsInput(...).votes) as CSV, `item,a,b,winner`, with the same formula guard. */
export function votesCsv(votes: readonly VoteLine[]): string {
	return csv(
		VOTES_CSV_COLUMNS,
		votes.map((v) => [guardFormula(v.item), guardFormula(v.a), guardFormula(v.b), v.winner])
	);
}

export interface PreferenceLine {
	prompt: string;
	chosen: string;
	rejected: string;
}

export interface PreferencePairs {
	lines: PreferenceLine[];
	skipped: { ties: number; bothBad: number; missing: number };
}

/**
 * One preference pair per vote with a winner: chosen = the winner's output, rejected = the loser's
 * (the matrix cells' result.output for the vote's item). The prompt is the user message the item
 * renders to (the last user message of buildMessages) with the recipe of `promptVariantId`, by
 * default of the vote's adapter side (else its variant a): the next fine-tune trains the adapter on
 * that plain prompt, without the system prompt or few-shot examples of the engineered side.
 * Ties and both-bad votes are skipped and counted; a vote whose item, either output or the prompt
 * variant's spec is not available counts as missing. Lines follow the matrix's item order.
 * @throws MissingVariablesError / TemplateSyntaxError when the recipe does not render the item.
 */
export function preferencePairs(input: {
	votes: readonly VoteRow[];
	matrix: readonly MatrixRow[];
	specs: ReadonlyMap<string, VariantSpec>;
	promptVariantId?: string;
}): PreferencePairs {
	const skipped = { ties: 0, bothBad: 0, missing: 0 };
	const byItem = new Map<string, VoteRow[]>();
	for (const v of input.votes) {
		if (v.winner === 'tie') skipped.ties += 1;
		else if (v.winner === 'both-bad') skipped.bothBad += 1;
		else byItem.set(v.itemId, [...(byItem.get(v.itemId) ?? []), v]);
	}
	const lines: PreferenceLine[] = [];
	for (const row of input.matrix) {
		const votes = byItem.get(row.item.id);
		if (!votes) continue;
		byItem.delete(row.item.id);
		for (const vote of votes) {
			const [winner, loser] = vote.winner === 'a' ? [vote.a, vote.b] : [vote.b, vote.a];
			const chosen = row.cells.get(winner)?.result.output;
			const rejected = row.cells.get(loser)?.result.output;
			const spec = input.specs.get(input.promptVariantId ?? promptSide(vote, input.specs));
			if (chosen === undefined || rejected === undefined || spec === undefined) {
				skipped.missing += 1;
				continue;
			}
			const prompt = buildMessages(spec.recipe, row.item.vars).at(-1)!.content;
			lines.push({ prompt, chosen, rejected });
		}
	}
	// votes on items the matrix does not hold (e.g. removed from the test set)
	for (const rest of byItem.values()) skipped.missing += rest.length;
	return { lines, skipped };
}

/** The variant of the pair whose recipe renders the prompt: the adapter side, else a. */
function promptSide(vote: VoteRow, specs: ReadonlyMap<string, VariantSpec>): string {
	for (const id of [vote.a, vote.b]) {
		const spec = specs.get(id);
		if (spec && carriesAdapter(spec.model)) return id;
	}
	return vote.a;
}

/** Preference pairs as JSON Lines, one {"prompt", "chosen", "rejected"} object a line ('' for none). */
export function preferenceJsonl(lines: readonly PreferenceLine[]): string {
	return lines.map((l) => JSON.stringify({ prompt: l.prompt, chosen: l.chosen, rejected: l.rejected }) + '\n').join('');
}
