// Number, percent, byte and time formatting shared by the Markdown and HTML reports and the debate
// dimensions, plus the escaping of user text for each output. Pure: domain code may not import
// src/util, so the few byte/time helpers are repeated here in the report's own wording.

/** What an unknown figure prints as. */
export const DASH = '—';

const MINUS = '−';

/** 0.75 → "75 %"; null → "—". Rounded to whole percent: the test sets are small. */
export function percent(x: number | null | undefined): string {
	return x === null || x === undefined || !Number.isFinite(x) ? DASH : `${Math.round(x * 100)} %`;
}

/** [0.45, 0.77] → "45–77 %"; null → "—". */
export function percentInterval(ci: readonly [number, number] | null | undefined): string {
	if (!ci || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return DASH;
	return `${Math.round(ci[0] * 100)}–${Math.round(ci[1] * 100)} %`;
}

/** A signed whole number with a real minus sign: 3 → "+3", −3 → "−3", 0 → "0". */
function signed(n: number): string {
	if (n === 0) return '0';
	return n > 0 ? `+${n}` : `${MINUS}${-n}`;
}

/** A difference of proportions in percentage points: 0.25 → "+25 points". */
export function points(x: number | null | undefined): string {
	return x === null || x === undefined || !Number.isFinite(x) ? DASH : `${signed(Math.round(x * 100))} points`;
}

/** An interval of a difference in percentage points: [−0.04, 0.5] → "−4 to +50 points". */
export function pointsInterval(ci: readonly [number, number] | null | undefined): string {
	if (!ci || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return DASH;
	return `${signed(Math.round(ci[0] * 100))} to ${signed(Math.round(ci[1] * 100))} points`;
}

/** p values with 3 decimals, or "< 0.001" below that. */
export function pValue(p: number | null | undefined): string {
	if (p === null || p === undefined || !Number.isFinite(p)) return DASH;
	return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** A plain number with at most `digits` decimals and thousands separators: 1234.5 → "1,234.5". */
export function num(x: number | null | undefined, digits = 0): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
	return x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** A signed count for "extra per call" figures: 312 → "+312", −5 → "−5". */
export function signedNum(x: number | null | undefined, digits = 0): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
	const s = num(Math.abs(x), digits);
	return x > 0 ? `+${s}` : x < 0 ? `${MINUS}${s}` : s;
}

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** 1536 → "1.5 KB" (binary multiples, as the rest of the app shows them); null → "—". */
export function bytes(n: number | null | undefined): string {
	if (n === null || n === undefined || !Number.isFinite(n) || n < 0) return DASH;
	let value = n;
	let unit = 0;
	while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${BYTE_UNITS[unit]}`;
}

/** The catalog's GPU memory (MB): 0 is an endpoint, which uses none on this machine. */
export function gpuMemory(mb: number | null | undefined): string {
	if (mb === null || mb === undefined || !Number.isFinite(mb)) return DASH;
	return mb === 0 ? 'none (endpoint)' : bytes(mb * 1024 * 1024);
}

/** Milliseconds as a duration: "850 ms", "41 s", "3 min 5 s", "1 h 2 min". */
export function duration(ms: number | null | undefined): string {
	if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return DASH;
	if (ms < 1000) return `${Math.round(ms)} ms`;
	const s = Math.round(ms / 1000);
	if (s < 60) return `${s} s`;
	if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
	return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Money: two decimals from 1 up, three significant digits below (per-call prices are tiny). */
export function money(x: number | null | undefined, currency: string): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return DASH;
	const abs = Math.abs(x);
	const text = abs >= 1 || abs === 0 ? abs.toFixed(2) : String(Number(abs.toPrecision(3)));
	return `${x < 0 ? MINUS : ''}${text} ${currency}`;
}

/** ISO time → "2025-05-01 14:03 UTC"; anything unparsable is shown as given. */
export function reportDate(iso: string): string {
	const t = Date.parse(iso);
	if (!Number.isFinite(t)) return iso;
	const d = new Date(t).toISOString();
	return `${d.slice(0, 10)} ${d.slice(11, 16)} UTC`;
}

/** A chart-table cell: numbers as given (up to 3 decimals), null as "—". */
export function cell(v: string | number | null | undefined): string {
	if (v === null || v === undefined) return DASH;
	return typeof v === 'number' ? num(v, 3) : v;
}

/** English list: ["a"] → "a", ["a","b"] → "a and b", more → "a, b and c". */
export function joinWords(items: readonly string[]): string {
	if (items.length <= 1) return items.join('');
	return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Plural: plural(1, 'example') → "1 example", plural(3, 'example') → "3 examples". */
export function plural(n: number, word: string, many = `${word}s`): string {
	return `${num(n)} ${n === 1 ? word : many}`;
}

// ── Escaping ────────────────────────────────────────────────────────────────────────────────────

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Escapes plain text for a Markdown paragraph or table cell: backslash-escapes every character that
 * starts markup inline (CommonMark allows a backslash before any ASCII punctuation), collapses
 * newlines to spaces so a cell or a paragraph stays one block, and neutralises a leading `#`, list
 * or quote marker so user text cannot open a heading or a list.
 */
export function escapeMarkdown(text: string): string {
	const flat = text.replace(/\s*[\r\n]+\s*/g, ' ');
	const escaped = flat.replace(/[\\|*_`[\]<>~]/g, (c) => `\\${c}`);
	// Markers count only when followed by a space (or the end): "0.625" and "+312" stay as they are.
	return escaped.replace(/^(\s*)(#|[+=-]|\d+[.)])(?=\s|#|$)/, (_m, space: string, marker: string) => `${space}${escapeLeading(marker)}`);
}

/** "#" → "\#", "-" → "\-", "12." → "12\.". */
function escapeLeading(marker: string): string {
	return /^\d/.test(marker) ? `${marker.slice(0, -1)}\\${marker.slice(-1)}` : `\\${marker}`;
}
