// The decision report's content as a list of neutral blocks (headings, paragraphs, lists, tables,
// charts) built once from a ReportInput, and its Markdown rendering. html.ts renders the same blocks,
// so both outputs always say the same thing. All block text is plain (unescaped) text: each
// renderer escapes it for its own format.
import type { PairStats } from '../stats/compare.ts';
import type { BreakEven, ComparisonFamily, SweepSummary, VariantCost } from '../decision/types.ts';
import type { ReportInput, ReportVariant } from './types.ts';
import {
	DASH,
	bytes,
	cell,
	duration,
	escapeMarkdown,
	gpuMemory,
	money,
	num,
	pValue,
	percent,
	percentInterval,
	plural,
	points,
	pointsInterval,
	reportDate,
	signedNum
} from './format.ts';

export interface TableBlock {
	kind: 'table';
	caption: string;
	columns: string[];
	/** Plain text cells; the first cell of a row names it (a row header in HTML). */
	rows: string[][];
}

export type ReportBlock =
	| { kind: 'heading'; level: 1 | 2 | 3; text: string }
	| { kind: 'paragraph'; text: string; emphasis?: boolean }
	| { kind: 'list'; items: string[] }
	| TableBlock
	| { kind: 'chart'; title: string; svg: string; table: TableBlock };

const h2 = (text: string): ReportBlock => ({ kind: 'heading', level: 2, text });
const h3 = (text: string): ReportBlock => ({ kind: 'heading', level: 3, text });
const p = (text: string): ReportBlock => ({ kind: 'paragraph', text });
const table = (caption: string, columns: string[], rows: string[][]): TableBlock => ({ kind: 'table', caption, columns, rows });

/** The whole report as blocks, in reading order. */
export function reportBlocks(input: ReportInput): ReportBlock[] {
	const name = labelResolver(input.costs);
	return [
		{ kind: 'heading', level: 1, text: input.title },
		p(`Made ${reportDate(input.createdAt)} on the test set “${input.testSet.name}” (${plural(input.testSet.items, 'item')}).`),
		...verdictBlocks(input),
		...accuracyBlocks(input.variants),
		...comparisonBlocks(input.family, name),
		...costBlocks(input.costs),
		...storageBlocks(input.costs),
		...breakEvenBlocks(input.breakEven),
		...input.sweeps.flatMap(sweepBlocks),
		h2('Flexibility'),
		p(input.dimensions.flexibility),
		h2('Resources'),
		p(input.dimensions.resources),
		h2('Not measured'),
		input.dimensions.notMeasured.length > 0 ? { kind: 'list', items: input.dimensions.notMeasured } : p('Nothing listed.'),
		...chartBlocks(input.charts),
		...environmentBlocks(input.environment)
	];
}

/** Pairs name variants by id or label (the stats are keyed by whatever the results used): show labels. */
function labelResolver(costs: readonly VariantCost[]): (id: string) => string {
	const byId = new Map(costs.map((c) => [c.variantId, c.label]));
	return (id) => byId.get(id) ?? id;
}

function verdictBlocks(input: ReportInput): ReportBlock[] {
	const pair = input.primaryLabels;
	return [
		h2('Verdict'),
		{ kind: 'paragraph', text: input.verdict.trim() || 'No verdict.', emphasis: true },
		p(pair ? `Primary comparison: ${pair[0]} vs ${pair[1]}.` : 'No primary comparison was declared.')
	];
}

function recipeText(v: ReportVariant): string {
	const parts = [v.hasSystemPrompt ? 'system prompt' : 'no system prompt', plural(v.examples, 'example')];
	return `${v.recipeName} (${parts.join(', ')})`;
}

function accuracyBlocks(variants: readonly ReportVariant[]): ReportBlock[] {
	const rows = variants.map((v) => [
		v.label,
		`${v.weights} on ${v.engine}`,
		recipeText(v),
		num(v.n),
		v.passRate === null ? DASH : `${percent(v.passRate)} (${num(v.passes)} of ${num(v.n)})`,
		percentInterval(v.ci95),
		num(v.meanScore, 2)
	]);
	const columns = ['Variant', 'Weights', 'Recipe', 'Items', 'Pass rate', '95 % interval', 'Mean score'];
	return [h2('Accuracy'), table('Pass rate of each variant (Wilson 95 % interval)', columns, rows)];
}

const PAIR_COLUMNS = ['Pair (A vs B)', 'Items', 'Both pass', 'Only A passes', 'Only B passes', 'Neither', 'A − B', '95 % interval'];

function pairCells(pair: PairStats, name: (id: string) => string): string[] {
	return [
		`${name(pair.a)} vs ${name(pair.b)}`,
		num(pair.n),
		num(pair.both),
		num(pair.onlyA),
		num(pair.onlyB),
		num(pair.neither),
		points(pair.passDiff.estimate),
		pointsInterval(pair.passDiff.ci95)
	];
}

/** What the primary pair's test says, in words, with the numbers. */
function primarySentence(pair: PairStats, name: (id: string) => string): string {
	const [a, b] = [name(pair.a), name(pair.b)];
	if (pair.n === 0) return `${a} and ${b} share no items with a pass value, so they were not compared on pass rate.`;
	const counts = `${a} alone passed ${plural(pair.onlyA, 'item')} and ${b} alone passed ${plural(pair.onlyB, 'item')}`;
	if (pair.verdict !== 'none') {
		const winner = pair.verdict === 'a' ? a : b;
		return `${counts}: ${winner} is better (exact McNemar p ${pValueWords(pair.mcnemarP)}).`;
	}
	const more = pair.moreItemsNeeded === null ? '' : ` About ${plural(pair.moreItemsNeeded, 'more item')} would be needed to settle it.`;
	return `${counts}: no significant difference (exact McNemar p ${pValueWords(pair.mcnemarP)}).${more}`;
}

/** "= 0.031" or "< 0.001", for use inside a sentence. */
function pValueWords(pv: number): string {
	const text = pValue(pv);
	return text.startsWith('<') ? text : `= ${text}`;
}

function comparisonBlocks(family: ComparisonFamily, name: (id: string) => string): ReportBlock[] {
	const out: ReportBlock[] = [h2('Comparisons'), h3('Primary (declared before looking; not adjusted)')];
	if (family.primary) {
		const pair = family.primary.pair;
		out.push(p(primarySentence(pair, name)));
		out.push(
			table('Primary comparison (unadjusted)', [...PAIR_COLUMNS, 'Exact McNemar p'], [[...pairCells(pair, name), pValue(pair.mcnemarP)]])
		);
	} else {
		out.push(p('No primary comparison was declared.'));
	}
	out.push(h3('Secondary (Holm-adjusted)'));
	if (family.secondary.length === 0) return [...out, p('No secondary comparisons.')];
	out.push(
		p('These pairs were chosen after the primary one, so their p values are adjusted together (Holm) before calling any significant.')
	);
	const columns = [...PAIR_COLUMNS, 'Raw p', 'Holm-adjusted p', 'Significant after adjustment', 'Why compared'];
	const rows = family.secondary.map((s) => [
		...pairCells(s.pair, name),
		pValue(s.pair.mcnemarP),
		pValue(s.adjustedP),
		s.significant ? 'yes' : 'no',
		s.reason
	]);
	out.push(table('Secondary comparisons (Holm-adjusted)', columns, rows));
	return out;
}

const SOURCE_WORDS: Record<NonNullable<VariantCost['statsSource']>, string> = {
	engine: "engine's usage report",
	measured: 'timed by the app',
	mixed: 'engine and app'
};

function costBlocks(costs: readonly VariantCost[]): ReportBlock[] {
	const out: ReportBlock[] = [h2('Cost per call')];
	if (costs.length === 0) return [...out, p('No cost figures were recorded.')];
	const columns = [
		'Variant',
		'Prompt tokens (median)',
		'Time to first token (ms)',
		'Prefill tok/s',
		'Decode tok/s',
		'Total per item (ms)',
		'GPU memory',
		'Source'
	];
	const rows = costs.map((c) => [
		c.label,
		num(c.promptTokens?.median),
		num(c.timeToFirstTokenMs?.median),
		num(c.prefillTokensPerSec?.median, 1),
		num(c.decodeTokensPerSec?.median, 1),
		num(c.totalMs?.median),
		gpuMemory(c.facts.gpuMemoryMB),
		c.statsSource ? `${SOURCE_WORDS[c.statsSource]}, ${plural(c.calls, 'call')}` : DASH
	]);
	out.push(table('Medians over the calls that reported each figure', columns, rows));
	out.push(p('GPU memory is the catalog’s estimate: browsers do not report how much a model actually uses.'));
	return out;
}

function storageBlocks(costs: readonly VariantCost[]): ReportBlock[] {
	const out: ReportBlock[] = [h2('Storage and download')];
	if (costs.length === 0) return [...out, p('No storage figures were recorded.')];
	const rows = costs.map((c) => [
		c.label,
		bytes(c.facts.baseBytes),
		bytes(c.facts.adapterBytes),
		bytes(c.facts.derivedBytes),
		duration(c.facts.deriveMs)
	]);
	out.push(
		table('What each variant downloads and stores once', ['Variant', 'Base weights', 'Adapter', 'Derived model', 'Derive time'], rows)
	);
	return out;
}

function breakEvenBlocks(be: BreakEven | null): ReportBlock[] {
	const out: ReportBlock[] = [h2('Break-even')];
	if (!be) return [...out, p('Not computed: the report has no primary pair with cost figures on both sides.')];
	out.push(p(be.sentence));
	const rows = [
		['Extra prompt tokens per call', signedNum(be.extraPromptTokensPerCall)],
		['Extra time to first token per call', be.extraPrefillMsPerCall === null ? DASH : `${signedNum(be.extraPrefillMsPerCall)} ms`],
		['Adapter’s one-off time (derivation)', duration(be.oneOffMs)],
		['Adapter’s one-off bytes (download + derived model)', bytes(be.oneOffBytes)],
		['Calls until the one-off time is paid back', be.callsToBreakEven === null ? 'never or unknown' : num(be.callsToBreakEven)]
	];
	out.push(table(`${be.promptLabel} (prompt) against ${be.adapterLabel} (adapter)`, ['Figure', 'Value'], rows));
	if (be.money) out.push(...moneyBlocks(be));
	return out;
}

function moneyBlocks(be: BreakEven): ReportBlock[] {
	const m = be.money!;
	const rows = [
		[`${be.promptLabel} per call`, money(m.promptPerCall, m.currency)],
		[`${be.adapterLabel} per call`, money(m.adapterPerCall, m.currency)],
		['Extra per call on the prompt side', money(m.extraPerCall, m.currency)],
		['Calls until the one-off price is paid back', m.callsToBreakEven === null ? 'never or unknown' : num(m.callsToBreakEven)]
	];
	return [table(`Per-call prices (${m.currency})`, ['Figure', 'Value'], rows)];
}

function sweepBlocks(sweep: SweepSummary): ReportBlock[] {
	const fewShot = sweep.kind === 'few-shot';
	const out: ReportBlock[] = [h2(fewShot ? 'Few-shot sweep' : 'Adapter strength sweep'), p(sweep.sentence)];
	const ref = sweep.reference;
	if (ref) out.push(p(`Reference line: ${ref.label}, ${percent(ref.passRate)} (95 % interval ${percentInterval(ref.ci95)}).`));
	const columns = [
		fewShot ? 'Examples' : 'Scale',
		'Variant',
		'Items',
		'Pass rate',
		'95 % interval',
		'Prompt tokens (median)',
		'Time to first token (ms)',
		'vs reference',
		'Holm-adjusted p'
	];
	const rows = sweep.points.map((pt) => [
		num(pt.x, 2),
		pt.label,
		num(pt.n),
		percent(pt.passRate),
		percentInterval(pt.ci95),
		num(pt.promptTokensPerCall),
		num(pt.timeToFirstTokenMs),
		points(pt.vsReference?.passDiff.estimate),
		pValue(pt.adjustedP)
	]);
	out.push(table(fewShot ? 'Pass rate by number of few-shot examples' : 'Pass rate by adapter scale', columns, rows));
	return out;
}

function chartBlocks(charts: ReportInput['charts']): ReportBlock[] {
	if (charts.length === 0) return [h2('Charts'), p('No charts.')];
	return [
		h2('Charts'),
		...charts.map((c): ReportBlock => ({
			kind: 'chart',
			title: c.title,
			svg: c.svg,
			table: table(
				c.table.caption,
				c.table.columns,
				c.table.rows.map((r) => r.map(cell))
			)
		}))
	];
}

function environmentBlocks(env: ReportInput['environment']): ReportBlock[] {
	const items = [
		`GPU: ${env.gpu ?? 'not reported'}`,
		`Engines: ${env.engines.length > 0 ? env.engines.join(', ') : DASH}`,
		`App version: ${env.appVersion}`,
		`Bundle schema version: ${env.schemaVersion}`
	];
	return [h2('Environment'), { kind: 'list', items }];
}

// ── Markdown rendering ──────────────────────────────────────────────────────────────────────────

/** The decision report as GitHub-flavoured Markdown (tables stand in for the charts). */
export function reportMarkdown(input: ReportInput): string {
	return `${reportBlocks(input).map(blockMarkdown).join('\n\n')}\n`;
}

function blockMarkdown(b: ReportBlock): string {
	switch (b.kind) {
		case 'heading':
			return `${'#'.repeat(b.level)} ${escapeMarkdown(b.text)}`;
		case 'paragraph':
			return b.emphasis ? `**${escapeMarkdown(b.text)}**` : escapeMarkdown(b.text);
		case 'list':
			return b.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n');
		case 'table':
			return tableMarkdown(b);
		case 'chart':
			return `### ${escapeMarkdown(b.title)}\n\n${tableMarkdown(b.table)}`;
	}
}

/** A caption line, then a GFM table; an empty cell would collapse the column, so it shows "—". */
function tableMarkdown(t: TableBlock): string {
	const line = (cells: readonly string[]) => `| ${cells.map((c) => escapeMarkdown(c) || DASH).join(' | ')} |`;
	const width = t.columns.length;
	const rows = t.rows.map((r) => line(Array.from({ length: width }, (_, i) => r[i] ?? '')));
	const caption = t.caption ? `*${escapeMarkdown(t.caption)}*\n\n` : '';
	return `${caption}${line(t.columns)}\n| ${t.columns.map(() => '---').join(' | ')} |${rows.length ? '\n' : ''}${rows.join('\n')}`;
}
