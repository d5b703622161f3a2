// `npm run bench` step (Vitest project bench-browser, real Chromium IndexedDB): the comparison's
// own costs. (1) The app's work per batch item — render, reuse lookup, score, store — with an
// engine that answers at once, median over 500 items. (2) Opening the results of 4 variants × 500
// items: read from the database, build the matrix and the paired statistics, render the verdict and
// the matrix. (3) Opening the decision report of those 4 variants × 500 items: costs, family of
// comparisons, charts rendered to SVG, the HTML and Markdown report, and the decision view mounted.
// Writes bench-results/compare.json. Measures only; asserts nothing about speed.
import { flushSync, mount, unmount } from 'svelte';
import { commands } from 'vitest/browser';
import { expect, test } from 'vitest';
import type { Engine } from '../../src/domain/engine/types.ts';
import { openDb, type TuneDb } from '../../src/storage/db.ts';
import { createBatch } from '../../src/storage/repos/batches.ts';
import { createExperiment } from '../../src/storage/repos/experiments.ts';
import { putResult } from '../../src/storage/repos/results.ts';
import { createTestSet, getTestItems } from '../../src/storage/repos/testsets.ts';
import { saveVariant } from '../../src/storage/repos/variants.ts';
import { BatchRunner } from '../../src/state/compare/batch-runner.ts';
import { CompareState } from '../../src/state/compare/compare.svelte.ts';
import { EnginePool } from '../../src/state/compare/engine-pool.ts';
import ResultsMatrix from '../../src/components/compare/ResultsMatrix.svelte';
import VerdictSummary from '../../src/components/compare/VerdictSummary.svelte';
import DecisionPanel from '../../src/components/compare/DecisionPanel.svelte';
import { DecisionState } from '../../src/state/compare/decision.svelte.ts';
import { reportHtml } from '../../src/domain/report/html.ts';
import { reportMarkdown } from '../../src/domain/report/markdown.ts';
import { makeVariantSpec } from '../factories/rows.ts';

const ITEMS = 500;
const instant: Engine = {
	info: { kind: 'endpoint', version: 'bench' },
	load: async () => undefined,
	generate: async (req) => ({
		text: req.messages.at(-1)!.content.includes('7') ? 'positive' : 'negative',
		finishReason: 'stop',
		stats: { promptTokens: 10, completionTokens: 1, timeToFirstTokenMs: 0, totalMs: 0, source: 'measured' }
	}),
	countTokens: async () => null,
	unload: async () => undefined,
	dispose: () => undefined
};
/** A CompareState over `db` with the experiment open, as the app builds it (engines answer at once). */
async function openCompare(db: TuneDb, experimentId: string): Promise<CompareState> {
	const compare = new CompareState({
		db,
		pool: new EnginePool({ local: async () => instant, remote: async () => instant, savedEndpoint: () => ({ baseUrl: '', apiKey: '' }) }),
		models: { facts: () => ({ family: null, quantization: null, chatTemplate: null }), vramMB: () => 0, record: (s) => s.model },
		probe: () => null
	});
	await compare.open(experimentId);
	return compare;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function seed(name: string, variants: number) {
	const db = await openDb(`bench-compare-${name}-${Date.now()}`);
	const set = await createTestSet(
		db,
		{
			name: 'bench',
			columns: ['review'],
			scoring: {
				assertions: [
					{ type: 'icontains', value: '{{expected}}' },
					{ type: 'rouge-l', threshold: 0.5, weight: 0 }
				]
			},
			source: 'bench'
		},
		Array.from({ length: ITEMS }, (_, i) => ({
			vars: { review: `Review number ${i} of a product that works well enough` },
			expected: i % 3 ? 'positive' : 'negative'
		}))
	);
	const rows = [];
	for (let v = 0; v < variants; v++)
		rows.push(
			await saveVariant(
				db,
				makeVariantSpec({
					engine: { kind: 'endpoint', baseUrl: 'http://bench' },
					model: { source: 'endpoint', modelId: `m${v}` },
					recipe: { system: '', examples: [], template: '{{review}}', sampling: { seed: 1 }, variableDefaults: {} },
					sampling: { seed: 1 }
				})
			)
		);
	const exp = await createExperiment(db, {
		name: 'bench',
		testSetId: set.id,
		variants: rows.map((r, i) => ({ variantId: r.id, label: `Variant ${i + 1}` }))
	});
	return { db, set, rows, exp, items: await getTestItems(db, set.id) };
}

test('comparison benchmarks', async () => {
	// (1) per-item work of the batch runner
	const a = await seed('runner', 1);
	const batch = await createBatch(a.db, {
		experimentId: a.exp.id,
		testSetId: a.set.id,
		variantIds: [a.rows[0].id],
		itemIds: a.items.map((i) => i.id),
		fresh: true
	});
	const stamps: number[] = [];
	const t0 = performance.now();
	await new BatchRunner({ db: a.db, engineFor: async () => instant, modelRecordOf: (v) => v.spec.model }).run(batch.id, {
		mode: 'sequential',
		modeReason: 'bench',
		onResult: () => stamps.push(performance.now())
	});
	const total = performance.now() - t0;
	const perItem = stamps.map((t, i) => t - (i ? stamps[i - 1] : t0));
	expect(perItem).toHaveLength(ITEMS);

	// (2) open the results of 4 variants × 500 items
	const b = await seed('results', 4);
	const bBatch = await createBatch(b.db, {
		experimentId: b.exp.id,
		testSetId: b.set.id,
		variantIds: b.rows.map((r) => r.id),
		itemIds: b.items.map((i) => i.id),
		fresh: true
	});
	for (const [v, row] of b.rows.entries())
		for (const item of b.items) {
			const pass = (item.index + v) % 4 !== 0;
			await putResult(b.db, {
				id: crypto.randomUUID(),
				batchId: bBatch.id,
				experimentId: b.exp.id,
				variantId: row.id,
				itemId: item.id,
				status: 'done',
				output: pass ? 'positive' : 'negative',
				stats: { promptTokens: 12 + 40 * v, completionTokens: 1, timeToFirstTokenMs: 20 + 5 * v, totalMs: 30 + 5 * v, source: 'measured' },
				model: row.spec.model,
				engine: { kind: 'endpoint', version: 'bench' },
				mode: 'sequential',
				reuseKey: '',
				score: { pass, score: pass ? 1 : 0, results: [] },
				createdAt: 1
			});
		}
	const opens: number[] = [];
	const parts: { readMs: number; statsMs: number; renderMs: number }[] = [];
	for (let run = 0; run < 5; run++) {
		const target = document.createElement('div');
		document.body.append(target);
		const start = performance.now();
		const compare = await openCompare(b.db, b.exp.id);
		const read = performance.now();
		void compare.stats.pairs.length;
		void compare.visibleRows.length;
		const computed = performance.now();
		const variants = b.exp.variants.map((v) => ({ id: v.variantId, label: v.label }));
		const views = [
			mount(VerdictSummary, { target, props: { stats: compare.stats, primary: null } }),
			mount(ResultsMatrix, {
				target,
				props: {
					rows: compare.visibleRows,
					total: compare.matrix.length,
					variants,
					differences: compare.differences,
					filter: {},
					onFilter: () => undefined,
					onManual: () => undefined
				}
			})
		];
		flushSync();
		const end = performance.now();
		opens.push(end - start);
		parts.push({ readMs: Math.round(read - start), statsMs: Math.round(computed - read), renderMs: Math.round(end - computed) });
		expect(target.querySelectorAll('tbody tr').length).toBeGreaterThanOrEqual(100); // the matrix's first page
		for (const v of views) unmount(v);
		target.remove();
	}

	// (3) the decision report over the same 4 × 500
	const reports: number[] = [];
	const reportParts: { computeMs: number; chartsMs: number; reportMs: number; viewMs: number; htmlBytes: number }[] = [];
	for (let run = 0; run < 5; run++) {
		const target = document.createElement('div');
		document.body.append(target);
		const start = performance.now();
		const compare = await openCompare(b.db, b.exp.id);
		const decision = new DecisionState(compare, {
			db: b.db,
			facts: () => ({ gpuMemoryMB: 0, baseBytes: null, adapterBytes: null, derivedBytes: null, deriveMs: null }),
			derivedAt: () => null,
			isDora: () => false,
			gpu: () => 'bench'
		});
		void decision.family.secondary.length;
		void decision.charts.length;
		const computed = performance.now();
		await decision.renderCharts();
		const charted = performance.now();
		expect(Object.values(decision.svgs).map((svg) => svg.slice(0, 4))).toEqual(decision.charts.map(() => '<svg'));
		const input = decision.reportInput();
		const html = reportHtml(input);
		void reportMarkdown(input).length;
		const reported = performance.now();
		const view = mount(DecisionPanel, { target, props: { decision, running: false } });
		flushSync();
		const end = performance.now();
		expect(target.querySelectorAll('figure').length).toBe(decision.charts.length);
		reports.push(end - start);
		reportParts.push({
			computeMs: Math.round(computed - start),
			chartsMs: Math.round(charted - computed),
			reportMs: Math.round(reported - charted),
			viewMs: Math.round(end - reported),
			htmlBytes: html.length
		});
		unmount(view);
		target.remove();
	}

	const result = {
		batchItemWork: {
			items: ITEMS,
			medianMs: +median(perItem).toFixed(2),
			p95Ms: +[...perItem].sort((x, y) => x - y)[Math.floor(ITEMS * 0.95)].toFixed(2),
			totalMs: Math.round(total),
			budgetMs: 5
		},
		resultsViewOpen: {
			variants: 4,
			items: ITEMS,
			runsMs: opens.map((x) => Math.round(x)),
			parts,
			medianMs: Math.round(median(opens)),
			budgetMs: 300
		},
		decisionReportOpen: {
			variants: 4,
			items: ITEMS,
			runsMs: reports.map((x) => Math.round(x)),
			parts: reportParts,
			medianMs: Math.round(median(reports))
		}
	};
	await commands.writeFile('bench-results/compare.json', JSON.stringify(result, null, 2));
});
