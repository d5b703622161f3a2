// The decision report rendered from a hand-made ReportInput (four variants on 12 items): the Markdown's
// sections, tables and hand-worked numbers, escaping of a hostile label in both outputs, the HTML's
// offline safety (no script, no URL, CSP, SVG sanitising) and the debate dimensions' wording.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BreakEven, SweepSummary, VariantCost } from '../../../src/domain/decision/types.ts';
import { debateDimensions } from '../../../src/domain/report/dimensions.ts';
import { reportHtml, safeSvg } from '../../../src/domain/report/html.ts';
import { reportMarkdown } from '../../../src/domain/report/markdown.ts';
import type { ReportInput, ReportVariant } from '../../../src/domain/report/types.ts';
import type { PairStats } from '../../../src/domain/stats/compare.ts';

const HOSTILE = '<img src=x onerror=alert(1)> | **x**';
const SAFE_SVG =
	'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20" viewBox="0 0 40 20">' +
	'<defs><clipPath id="c0"><rect width="40" height="20"></rect></clipPath></defs>' +
	'<g clip-path="url(#c0)"><rect id="safe-bar" x="1" y="1" width="3" height="8" fill="#5070dd"></rect></g>' +
	'<use xlink:href="#safe-bar"></use><text x="1" y="18">a&lt;b</text>' +
	'<style ><![CDATA[\n.zr0-cls-1:hover { cursor:pointer; }\n]]></style></svg>';
const UNSAFE_SVGS = [
	'<svg id="evil-script"><script>alert(1)</script></svg>',
	'<svg id="evil-onload" onload="alert(1)"><rect></rect></svg>',
	'<svg id="evil-slash"><rect/onclick=alert(1)></rect></svg>',
	'<svg id="evil-fo"><foreignObject><div>x</div></foreignObject></svg>',
	'<svg id="evil-href"><image href="https://example.com/x.png"></image></svg>',
	'<svg id="evil-js"><a href="javascript:alert(1)"><text>x</text></a></svg>',
	'<svg id="evil-img"><img src="x"></svg>',
	'<svg id="evil-css"><style>@import "//example.com/x.css";</style></svg>',
	'<div id="evil-notsvg"><svg></svg></div>'
];

function variant(label: string, passes: number, ci: [number, number], extra: Partial<ReportVariant> = {}): ReportVariant {
	return {
		label,
		weights: 'Qwen2.5-0.5B-Instruct q4f16_1',
		engine: 'web-llm',
		recipeName: 'Plain',
		examples: 0,
		hasSystemPrompt: false,
		n: 12,
		passes,
		passRate: passes / 12,
		ci95: ci,
		meanScore: null,
		...extra
	};
}

function pair(
	a: string,
	b: string,
	both: number,
	onlyA: number,
	onlyB: number,
	neither: number,
	mcnemarP: number,
	diffCi: [number, number]
): PairStats {
	return {
		a,
		b,
		n: both + onlyA + onlyB + neither,
		both,
		onlyA,
		onlyB,
		neither,
		mcnemarP,
		passDiff: { estimate: (onlyA - onlyB) / (both + onlyA + onlyB + neither), ci95: diffCi },
		scoreDiff: null,
		votes: null,
		verdict: 'none',
		moreItemsNeeded: 40
	};
}

const summary = (median: number) => ({ n: 12, median, mean: median });

function cost(
	variantId: string,
	label: string,
	promptTokens: number,
	ttft: number,
	facts: Partial<VariantCost['facts']> = {}
): VariantCost {
	return {
		variantId,
		label,
		calls: 12,
		promptTokens: summary(promptTokens),
		completionTokens: summary(2),
		timeToFirstTokenMs: summary(ttft),
		prefillTokensPerSec: summary(1650.44),
		decodeTokensPerSec: summary(38.27),
		totalMs: summary(ttft + 60),
		statsSource: 'engine',
		facts: { gpuMemoryMB: 1946, baseBytes: 289 * 1024 * 1024, adapterBytes: null, derivedBytes: null, deriveMs: null, ...facts }
	};
}

const MB = 1024 * 1024;

function fixture(): ReportInput {
	const variants = [
		variant('Plain prompt', 5, [0.19, 0.68]),
		variant('Engineered prompt', 9, [0.47, 0.91], { recipeName: 'Careful', examples: 3, hasSystemPrompt: true, meanScore: 0.8125 }),
		variant('Adapter', 11, [0.65, 0.99], { weights: 'Qwen2.5-0.5B-Instruct q4f16_1 + LoRA sentiment-r8 × 1' }),
		variant(HOSTILE, 6, [0.25, 0.75], { weights: 'w_1\n| *bold*', recipeName: '[link](javascript:x)' })
	];
	const costs = [
		cost('v-plain', 'Plain prompt', 100, 155),
		cost('v-eng', 'Engineered prompt', 412, 240),
		cost('v-lora', 'Adapter', 100, 155, { gpuMemoryMB: 2010, adapterBytes: 12 * MB, derivedBytes: 1024 * MB, deriveMs: 41_000 }),
		cost('v-evil', HOSTILE, 100, 150)
	];
	const breakEven: BreakEven = {
		promptLabel: 'Engineered prompt',
		adapterLabel: 'Adapter',
		extraPromptTokensPerCall: 312,
		extraPrefillMsPerCall: 85,
		oneOffMs: 41_000,
		oneOffBytes: 1036 * MB,
		callsToBreakEven: 483,
		money: null,
		curve: [],
		sentence: "The adapter's 41 s of derivation pays back after 483 calls of the engineered prompt's 85 ms extra prefill."
	};
	const sweeps: SweepSummary[] = [
		{
			kind: 'few-shot',
			points: [
				{
					variantId: 'v-plain',
					label: 'Plain prompt',
					x: 0,
					n: 12,
					passRate: 5 / 12,
					ci95: [0.19, 0.68],
					promptTokensPerCall: 100,
					timeToFirstTokenMs: 155,
					vsReference: pair('v-plain', 'v-lora', 5, 0, 6, 1, 0.03125, [-0.75, -0.2]),
					adjustedP: 0.0625
				},
				{
					variantId: 'v-eng',
					label: 'Engineered prompt',
					x: 3,
					n: 12,
					passRate: 9 / 12,
					ci95: [0.47, 0.91],
					promptTokensPerCall: 412,
					timeToFirstTokenMs: 240,
					vsReference: pair('v-eng', 'v-lora', 8, 1, 3, 0, 0.625, [-0.42, 0.11]),
					adjustedP: 0.625
				}
			],
			reference: { variantId: 'v-lora', label: 'Adapter', passRate: 11 / 12, ci95: [0.65, 0.99] },
			answer: null,
			sentence: 'No number of examples up to 3 matched the adapter.'
		}
	];
	const input: ReportInput = {
		title: 'Tune or prompt: review sentiment',
		createdAt: '2025-05-01T14:03:27.000Z',
		testSet: { name: 'Product reviews', items: 12 },
		variants,
		primaryLabels: ['Engineered prompt', 'Adapter'],
		verdict: 'No significant difference between the engineered prompt and the adapter on 12 items.',
		family: {
			primary: { pair: pair('v-eng', 'v-lora', 8, 1, 3, 0, 0.625, [-0.42, 0.11]) },
			secondary: [
				{
					pair: pair('v-plain', 'v-lora', 5, 0, 6, 1, 0.03125, [-0.75, -0.2]),
					adjustedP: 0.0625,
					significant: false,
					reason: 'baseline vs adapter'
				},
				{
					pair: pair('v-evil', 'v-eng', 1, 0, 11, 0, 0.0004, [-0.98, -0.6]),
					adjustedP: 0.0008,
					significant: true,
					reason: 'hostile vs engineered'
				}
			]
		},
		costs,
		breakEven,
		sweeps,
		dimensions: { flexibility: '', resources: '', notMeasured: [] },
		environment: { gpu: 'NVIDIA RTX 3060 (WebGPU)', engines: ['web-llm 0.2.86'], appVersion: '0.1.0', schemaVersion: 3 },
		charts: [
			{
				id: 'accuracy',
				title: 'Pass rate by variant',
				svg: SAFE_SVG,
				table: {
					caption: 'Pass rate and 95 % interval',
					columns: ['Variant', 'Pass rate', 'Low', 'High'],
					rows: [
						['Engineered prompt', 0.75, 0.47, 0.91],
						[HOSTILE, 0.5, null, null]
					]
				}
			},
			...UNSAFE_SVGS.map((svg, i) => ({
				id: `evil-${i}`,
				title: `Evil chart ${i}`,
				svg,
				table: { caption: 'x', columns: ['a'], rows: [['1']] }
			}))
		]
	};
	input.dimensions = debateDimensions(input);
	return input;
}

/** A Markdown table row's cells, split on unescaped pipes. */
function cells(line: string): string[] {
	return line
		.trim()
		.replace(/^\|/, '')
		.replace(/(?<!\\)\|$/, '')
		.split(/(?<!\\)\|/)
		.map((c) => c.trim());
}

/** The one table row whose first cell is `first`. */
function row(md: string, first: string): string[] {
	const found = md.split('\n').filter((l) => l.startsWith('|') && cells(l)[0] === first);
	expect(found, `one row starting with ${first}`).toHaveLength(1);
	return cells(found[0]);
}

/** The text of a section from its "## " heading to the next one. */
function section(md: string, heading: string): string {
	const start = md.indexOf(`\n## ${heading}\n`);
	expect(start, `section ${heading}`).toBeGreaterThan(-1);
	const next = md.indexOf('\n## ', start + 4);
	return md.slice(start, next === -1 ? undefined : next);
}

describe('reportMarkdown', () => {
	const input = fixture();
	const md = reportMarkdown(input);
	// A readable sample for people (without the unsafe test charts).
	writeFileSync('/tmp/report-sample.md', reportMarkdown({ ...input, charts: input.charts.slice(0, 1) }));

	it('opens with the title and date, then the verdict and the primary pair', () => {
		expect(
			md.startsWith('# Tune or prompt: review sentiment\n\nMade 2025-05-01 14:03 UTC on the test set “Product reviews” (12 items).')
		).toBe(true);
		const verdict = section(md, 'Verdict');
		expect(verdict).toContain('\n**No significant difference between the engineered prompt and the adapter on 12 items.**\n');
		expect(verdict).toContain('Primary comparison: Engineered prompt vs Adapter.');
	});

	it('has every section in order', () => {
		const order = ['Verdict', 'Accuracy', 'Comparisons', 'Cost per call', 'Storage and download', 'Break-even', 'Few-shot sweep'];
		const more = ['Flexibility', 'Resources', 'Not measured', 'Charts', 'Environment'];
		const at = [...order, ...more].map((h) => md.indexOf(`\n## ${h}\n`));
		expect(at.every((i) => i > 0)).toBe(true);
		expect([...at].sort((a, b) => a - b)).toEqual(at);
	});

	it('prints the accuracy table with percentages worked out by hand', () => {
		expect(section(md, 'Accuracy')).toContain('| Variant | Weights | Recipe | Items | Pass rate | 95 % interval | Mean score |');
		const acc = section(md, 'Accuracy');
		expect(row(acc, 'Engineered prompt').slice(2)).toEqual([
			'Careful (system prompt, 3 examples)',
			'12',
			'75 % (9 of 12)',
			'47–91 %',
			'0.81'
		]);
		expect(row(acc, 'Plain prompt').slice(3, 7)).toEqual(['12', '42 % (5 of 12)', '19–68 %', '—']);
		expect(row(acc, 'Adapter').slice(4, 6)).toEqual(['92 % (11 of 12)', '65–99 %']);
	});

	it('labels the primary pair unadjusted and the secondary pairs Holm-adjusted, with names for ids', () => {
		const comp = section(md, 'Comparisons');
		expect(comp).toContain('### Primary (declared before looking; not adjusted)');
		expect(comp).toContain('### Secondary (Holm-adjusted)');
		expect(comp.indexOf('### Primary')).toBeLessThan(comp.indexOf('### Secondary'));
		// n, both, only A, only B, neither, A − B = (1 − 3)/12, interval, exact McNemar p = 2·5/16
		expect(row(md, 'Engineered prompt vs Adapter')).toEqual([
			'Engineered prompt vs Adapter',
			'12',
			'8',
			'1',
			'3',
			'0',
			'−17 points',
			'−42 to +11 points',
			'0.625'
		]);
		expect(comp).toContain(
			'Engineered prompt alone passed 1 item and Adapter alone passed 3 items: no significant difference (exact McNemar p = 0.625).'
		);
		expect(row(md, 'Plain prompt vs Adapter').slice(8)).toEqual(['0.031', '0.063', 'no', 'baseline vs adapter']);
		const hostile = comp.split('\n').find((l) => l.includes('vs Engineered prompt |'))!;
		expect(cells(hostile)).toHaveLength(12);
		// "<" is escaped everywhere in Markdown, generated text included; it renders as "< 0.001"
		expect(cells(hostile).slice(8)).toEqual(['\\< 0.001', '\\< 0.001', 'yes', 'hostile vs engineered']);
	});

	it('prints the cost, storage and break-even figures', () => {
		expect(row(section(md, 'Cost per call'), 'Engineered prompt')).toEqual([
			'Engineered prompt',
			'412',
			'240',
			'1,650.4',
			'38.3',
			'300',
			'1.9 GB',
			"engine's usage report, 12 calls"
		]);
		expect(row(section(md, 'Storage and download'), 'Adapter')).toEqual(['Adapter', '289.0 MB', '12.0 MB', '1.0 GB', '41 s']);
		const be = section(md, 'Break-even');
		expect(be).toContain("The adapter's 41 s of derivation pays back after 483 calls");
		expect(be).toContain('| Extra prompt tokens per call | +312 |');
		expect(be).toContain('| Calls until the one-off time is paid back | 483 |');
		expect(be).not.toContain('Per-call prices');
	});

	it('prints per-call prices when the break-even has money', () => {
		const withMoney = fixture();
		withMoney.breakEven!.money = {
			currency: 'USD',
			promptPerCall: 0.000412,
			adapterPerCall: 0.0001,
			extraPerCall: 0.000312,
			callsToBreakEven: 16_026
		};
		const be = section(reportMarkdown(withMoney), 'Break-even');
		expect(be).toContain('| Engineered prompt per call | 0.000412 USD |');
		expect(be).toContain('| Calls until the one-off price is paid back | 16,026 |');
	});

	it('prints the sweep with its sentence and table, and each chart as title plus table', () => {
		const sweep = section(md, 'Few-shot sweep');
		expect(sweep).toContain('No number of examples up to 3 matched the adapter.');
		expect(sweep).toContain('Reference line: Adapter, 92 % (95 % interval 65–99 %).');
		expect(sweep).toContain('| 3 | Engineered prompt | 12 | 75 % | 47–91 % | 412 | 240 | −17 points | 0.625 |');
		const charts = section(md, 'Charts');
		expect(charts).toContain('### Pass rate by variant');
		expect(charts).toContain('| Engineered prompt | 0.75 | 0.47 | 0.91 |');
		expect(charts).not.toContain('<svg');
	});

	it('prints the dimensions and the environment', () => {
		expect(section(md, 'Flexibility')).toContain('3 few-shot examples');
		expect(section(md, 'Not measured')).toContain('\n- Latency under concurrent load');
		const env = section(md, 'Environment');
		expect(env).toContain('- GPU: NVIDIA RTX 3060 (WebGPU)');
		expect(env).toContain('- Bundle schema version: 3');
	});

	it('escapes a hostile label so it neither injects markup nor breaks a table', () => {
		expect(md).not.toMatch(/(?<!\\)<img/);
		expect(md).not.toContain('**x**');
		expect(md).toContain('\\<img src=x onerror=alert(1)\\> \\| \\*\\*x\\*\\*');
		const hostileRow = md.split('\n').find((l) => l.startsWith('| \\<img') && l.includes('w\\_1'))!;
		// the weights' newline became a space, the recipe's link markup is escaped, and the row keeps 7 cells
		expect(cells(hostileRow)).toHaveLength(7);
		expect(cells(hostileRow)[1]).toBe('w\\_1 \\| \\*bold\\* on web-llm');
		expect(cells(hostileRow)[2]).toContain('\\[link\\](javascript:x)');
	});
});

describe('reportHtml', () => {
	const html = reportHtml(fixture());
	writeFileSync('/tmp/report-sample.html', html);

	it('is one complete document with charset, viewport, title and the CSP', () => {
		expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
		expect(html).toContain('<meta charset="utf-8">');
		expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
		expect(html).toContain('<title>Tune or prompt: review sentiment</title>');
		expect(html).toContain(
			`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`
		);
		expect(html.trimEnd().endsWith('</html>')).toBe(true);
	});

	it('has no script and no URL of any kind', () => {
		expect(html).not.toMatch(/<script/i);
		expect(html).not.toContain('http://');
		expect(html).not.toContain('https://');
		expect(html).not.toMatch(/url\(\s*(?!#)/);
		expect(html).not.toMatch(/<link\b/i);
	});

	it('has the same content as the Markdown, in real tables with captions and header scopes', () => {
		expect(html).toContain(
			'<p class="verdict"><strong>No significant difference between the engineered prompt and the adapter on 12 items.</strong></p>'
		);
		expect(html).toContain('<h3>Primary (declared before looking; not adjusted)</h3>');
		expect(html).toContain('<h3>Secondary (Holm-adjusted)</h3>');
		expect(html).toContain('<caption>Pass rate of each variant (Wilson 95 % interval)</caption>');
		expect(html).toContain('<th scope="col">95 % interval</th>');
		expect(html).toContain(
			'<tr><th scope="row">Engineered prompt</th><td>Qwen2.5-0.5B-Instruct q4f16_1 on web-llm</td><td>Careful (system prompt, 3 examples)</td><td>12</td><td>75 % (9 of 12)</td><td>47–91 %</td><td>0.81</td></tr>'
		);
		expect(html).toContain('<td>−17 points</td><td>−42 to +11 points</td><td>0.625</td>');
		expect((html.match(/<section>/g) ?? []).length).toBe((html.match(/<\/section>/g) ?? []).length);
	});

	it('escapes every piece of user text', () => {
		expect(html).not.toContain('<img');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; | **x**');
		const quoted = fixture();
		quoted.title = `Tom & "Jerry's" <b>`;
		expect(reportHtml(quoted)).toContain('<title>Tom &amp; &quot;Jerry&#39;s&quot; &lt;b&gt;</title>');
	});

	it('inlines the safe chart with its table in a details element, and drops every unsafe one', () => {
		expect(html).toContain('id="safe-bar"');
		expect(html).toContain('clip-path="url(#c0)"');
		expect(html).toContain('<figcaption>Pass rate by variant</figcaption>');
		expect(html).toContain('<details><summary>Table</summary>');
		expect((html.match(/<details><summary>Table<\/summary>/g) ?? []).length).toBe(1 + UNSAFE_SVGS.length);
		expect(html).not.toMatch(/id="evil-/);
		expect(html).not.toMatch(/<svg[^>]*onload/i);
		expect(html).not.toContain('<foreignObject');
		expect((html.match(/<svg/g) ?? []).length).toBe(1);
		expect(html).toContain('Chart not included');
	});
});

describe('safeSvg', () => {
	it('keeps echarts-like SVG, dropping only its xmlns declarations', () => {
		const out = safeSvg(SAFE_SVG);
		expect(out.startsWith('<svg width="40"')).toBe(true);
		expect(out).not.toContain('xmlns');
		expect(out).toContain('<use xlink:href="#safe-bar"></use>');
	});

	it.each(UNSAFE_SVGS)('refuses %s', (svg) => {
		expect(safeSvg(svg)).toBe('');
	});

	it('refuses an empty string, text after the svg, and a second svg', () => {
		expect(safeSvg('')).toBe('');
		expect(safeSvg('<svg></svg><p>after</p>')).toBe('');
		expect(safeSvg('<svg><svg></svg></svg>')).toBe('');
		expect(safeSvg('<svg><rect style="fill:url(data:x)"></rect></svg>')).toBe('');
		expect(safeSvg('<svg><rect d="x"onclick="y"></rect></svg>')).toBe('');
	});
});

describe('debateDimensions', () => {
	const base = fixture();
	const args = () => ({
		variants: base.variants,
		primaryLabels: base.primaryLabels,
		costs: base.costs,
		breakEven: base.breakEven,
		sweeps: base.sweeps
	});

	it('fills flexibility with the prompt’s examples and the sweep’s outcome', () => {
		const d = debateDimensions(args());
		expect(d.flexibility).toContain('One base model serves any number of engineered prompts');
		expect(d.flexibility).toContain('The prompt side (Engineered prompt) uses 3 few-shot examples and a system prompt.');
		expect(d.flexibility).toContain('In the few-shot sweep (0 to 3 examples), no number of examples matched Adapter.');
		const matched = args();
		matched.sweeps = [{ ...base.sweeps[0], answer: 2 }];
		expect(debateDimensions(matched).flexibility).toContain('2 examples matched Adapter');
		expect(debateDimensions({ ...args(), sweeps: [] }).flexibility).toContain('No few-shot sweep was run');
	});

	it('fills resources with the numbers given', () => {
		const r = debateDimensions(args()).resources;
		expect(r).toContain('GPU memory (catalog estimates): Engineered prompt 1.9 GB and Adapter 2.0 GB.');
		expect(r).toContain('adapter 12.0 MB, derived model 1.0 GB, on top of base weights 289.0 MB; deriving it took 41 s.');
		expect(r).toContain('Per call, Engineered prompt costs 312 more prompt tokens and 85 ms more time to first token than Adapter.');
	});

	it('lists what was not measured, including training cost when no one-off price was given', () => {
		const n = debateDimensions(args()).notMeasured;
		expect(n[0]).toContain('Training time and cost of the adapter');
		expect(n).toContain('Quality on inputs outside this test set (12 items measured).');
		expect(n.some((x) => x.startsWith('GPU memory actually used: browsers do not report it'))).toBe(true);
		expect(n).toContain('Mean score (no scores): Plain prompt, Adapter and <img src=x onerror=alert(1)> | **x**.');
		const priced = args();
		priced.breakEven = {
			...base.breakEven!,
			money: { currency: 'USD', promptPerCall: 0.0004, adapterPerCall: 0.0001, extraPerCall: 0.0003, callsToBreakEven: 100 }
		};
		expect(debateDimensions(priced).notMeasured[0]).toMatch(/^Training time of the adapter/);
	});

	it('says "not measured" for null figures and invents no number', () => {
		const nullCost = (c: VariantCost): VariantCost => ({
			...c,
			promptTokens: null,
			timeToFirstTokenMs: null,
			prefillTokensPerSec: null,
			decodeTokensPerSec: null,
			totalMs: null,
			facts: { gpuMemoryMB: null, baseBytes: null, adapterBytes: null, derivedBytes: null, deriveMs: null }
		});
		const bare = { ...args(), costs: base.costs.map(nullCost), breakEven: null, sweeps: [] };
		const d = debateDimensions(bare);
		expect(d.resources).toContain('Engineered prompt not measured (not in the catalog) and Adapter not measured (not in the catalog)');
		expect(d.resources).toContain(
			'adapter not measured, derived model not measured, on top of base weights not measured; derive time not measured.'
		);
		expect(d.resources).toContain('The per-call prefill cost of the engineered prompt was not measured');
		expect(d.resources).not.toMatch(/\d/);
		expect(d.notMeasured).toContain(
			'Time to first token: Plain prompt, Engineered prompt, Adapter and <img src=x onerror=alert(1)> | **x**.'
		);
		expect(d.notMeasured).toContain('Derive time of Adapter.');
		expect(d.notMeasured.some((x) => x.startsWith('Break-even between'))).toBe(true);
		const half = debateDimensions({ ...args(), breakEven: { ...base.breakEven!, extraPrefillMsPerCall: null } });
		expect(half.resources).toContain(
			'Per call, Engineered prompt costs 312 more prompt tokens than Adapter. The per-call extra time to first token of Engineered prompt was not measured.'
		);
	});

	it('works without a primary pair', () => {
		const d = debateDimensions({ ...args(), primaryLabels: null, breakEven: null });
		expect(d.flexibility).toContain('No primary pair was declared');
		expect(d.resources).toContain('GPU memory (catalog estimates): Plain prompt 1.9 GB, Engineered prompt 1.9 GB, Adapter 2.0 GB and');
	});
});
