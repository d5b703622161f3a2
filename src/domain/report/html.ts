// The decision report as one self-contained HTML file that opens offline from disk: the same blocks
// as the Markdown (markdown.ts), real tables with captions and header scopes, each chart as inline SVG
// followed by its table. No script and no external URL at all, and a CSP that loads nothing, so even
// content that slipped past the escaping could neither run nor phone home.
import { escapeHtml } from './format.ts';
import { reportBlocks, type ReportBlock, type TableBlock } from './markdown.ts';
import type { ReportInput } from './types.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** The decision report as a complete HTML document. */
export function reportHtml(input: ReportInput): string {
	return [
		'<!doctype html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		`<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		`<title>${escapeHtml(input.title)}</title>`,
		`<style>${STYLE}</style>`,
		'</head>',
		'<body>',
		'<main>',
		bodyHtml(reportBlocks(input)),
		'</main>',
		'</body>',
		'</html>',
		''
	].join('\n');
}

/** Blocks to HTML, each level-2 heading opening a <section> (closed before the next one). */
function bodyHtml(blocks: readonly ReportBlock[]): string {
	const out: string[] = [];
	let open = false;
	for (const b of blocks) {
		if (b.kind === 'heading' && b.level === 2) {
			if (open) out.push('</section>');
			out.push('<section>');
			open = true;
		}
		out.push(blockHtml(b));
	}
	if (open) out.push('</section>');
	return out.join('\n');
}

function blockHtml(b: ReportBlock): string {
	switch (b.kind) {
		case 'heading':
			return `<h${b.level}>${escapeHtml(b.text)}</h${b.level}>`;
		case 'paragraph':
			return b.emphasis ? `<p class="verdict"><strong>${escapeHtml(b.text)}</strong></p>` : `<p>${escapeHtml(b.text)}</p>`;
		case 'list':
			return `<ul>\n${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('\n')}\n</ul>`;
		case 'table':
			return tableHtml(b);
		case 'chart':
			return chartHtml(b.title, b.svg, b.table);
	}
}

/** A table in a scrolling wrapper (wide tables scroll sideways on a phone instead of overflowing). */
function tableHtml(t: TableBlock): string {
	const head = `<tr>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr>`;
	const rows = t.rows.map((r) => {
		const cells = t.columns.map((_, i) => {
			const text = escapeHtml(r[i] ?? '');
			return i === 0 ? `<th scope="row">${text}</th>` : `<td>${text}</td>`;
		});
		return `<tr>${cells.join('')}</tr>`;
	});
	return [
		'<div class="table-wrap">',
		'<table>',
		`<caption>${escapeHtml(t.caption)}</caption>`,
		`<thead>${head}</thead>`,
		`<tbody>\n${rows.join('\n')}\n</tbody>`,
		'</table>',
		'</div>'
	].join('\n');
}

function chartHtml(title: string, svg: string, table: TableBlock): string {
	const safe = safeSvg(svg);
	const picture = safe
		? `<div class="chart" role="img" aria-label="${escapeHtml(title)}">${safe}</div>`
		: '<p class="note">Chart not included (not rendered, or refused as unsafe); its table follows.</p>';
	return [
		'<figure>',
		`<figcaption>${escapeHtml(title)}</figcaption>`,
		picture,
		'<details><summary>Table</summary>',
		tableHtml(table),
		'</details>',
		'</figure>'
	].join('\n');
}

/** The SVG elements echarts' renderer writes (and harmless relatives); any other tag refuses the chart. */
const SVG_ELEMENTS = new Set(
	[
		'svg',
		'g',
		'defs',
		'path',
		'rect',
		'circle',
		'ellipse',
		'line',
		'polyline',
		'polygon',
		'text',
		'tspan',
		'textPath',
		'title',
		'desc',
		'clipPath',
		'mask',
		'pattern',
		'linearGradient',
		'radialGradient',
		'stop',
		'use',
		'image',
		'style'
	].map((t) => t.toLowerCase())
);

/**
 * The chart's SVG if it is safe to inline, else ''. echarts' SVG renderer escapes its text, but the
 * markup arrives as an opaque string (possibly from a stored bundle someone else made), so it is
 * checked here rather than trusted: inline SVG runs scripts and event handlers like any HTML,
 * foreignObject carries arbitrary HTML, and HTML tags such as <img> or <p> break out of SVG content.
 * Refused whole (not patched) unless it is one <svg> element made only of SVG_ELEMENTS, with no
 * on…= handler (also after "/" or a quote, which HTML accepts as separators), no javascript: URL, no
 * href to anything but a fragment of this SVG (#id), and no CSS @import or non-fragment url(). The
 * xmlns declarations echarts writes are dropped first: inline SVG in HTML needs none, and the file
 * must hold no http(s) URL at all, so any URL left means refusal. The CSP is the second defence.
 */
export function safeSvg(svg: string): string {
	const text = svg.trim().replace(/\sxmlns(:\w+)?\s*=\s*("[^"]*"|'[^']*')/gi, '');
	if (!/^<svg[\s>]/i.test(text) || !/<\/svg>$/i.test(text)) return '';
	if ((text.match(/<svg[\s>/]/gi) ?? []).length !== 1) return '';
	if (!onlySvgElements(text)) return '';
	if (/[\s/"']on\w+\s*=/i.test(text) || /javascript\s*:/i.test(text) || /@import/i.test(text)) return '';
	if (/\bhttps?:/i.test(text) || /\burl\s*\(\s*(?!['"]?#)/i.test(text)) return '';
	return onlyFragmentLinks(text) ? text : '';
}

function onlySvgElements(text: string): boolean {
	for (const m of text.matchAll(/<\s*\/?\s*([a-z][\w:.-]*)/gi)) if (!SVG_ELEMENTS.has(m[1].toLowerCase())) return false;
	return true;
}

function onlyFragmentLinks(text: string): boolean {
	for (const m of text.matchAll(/href\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]*))/gi)) {
		if (!(m[2] ?? m[3] ?? m[4] ?? '').trim().startsWith('#')) return false;
	}
	return true;
}

// Print-friendly and phone-width friendly; follows the reader's dark mode; system fonts only (no downloads).
const STYLE = `
:root { color-scheme: light dark; --fg: #1b1d22; --bg: #ffffff; --muted: #5b6070; --line: #d5d8de; --head: #f2f4f7; --accent: #2457d6; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e8ec; --bg: #15171b; --muted: #a3a8b4; --line: #3a3e47; --head: #22252b; --accent: #8aa8ff; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; margin: 2rem 0 0.5rem; border-bottom: 1px solid var(--line); padding-bottom: 0.2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
p.verdict { font-size: 1.1rem; border-left: 4px solid var(--accent); padding: 0.25rem 0 0.25rem 0.75rem; }
p.note { color: var(--muted); font-style: italic; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.9rem; min-width: 100%; }
caption { text-align: left; color: var(--muted); padding: 0.25rem 0; caption-side: top; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
tbody th { font-weight: 600; }
td { font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0 1.5rem; }
figcaption { font-weight: 600; margin-bottom: 0.5rem; }
.chart { background: #ffffff; border: 1px solid var(--line); border-radius: 4px; }
.chart svg { display: block; max-width: 100%; height: auto; }
details summary { cursor: pointer; color: var(--accent); margin: 0.5rem 0; }
@media print {
	:root { --fg: #000000; --bg: #ffffff; --muted: #333333; --line: #999999; --head: #eeeeee; }
	main { max-width: none; padding: 0; }
	figure, tr { break-inside: avoid; }
	h2, h3 { break-after: avoid; }
	details::details-content { content-visibility: visible; display: block; }
	.table-wrap { overflow: visible; }
}
`;
