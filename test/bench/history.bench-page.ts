// History benchmark, loadable in a browser page (or in Node over fake-indexeddb): seeds 10,000 runs
// into a fresh database, closes it, then times opening the db + fetching the first history page
// with the same repo call the UI uses (listRuns). Prints JSON and sets window.__benchResult.
import { Dexie } from 'dexie';
import { openDb } from '../../src/storage/db.ts';
import { listRuns } from '../../src/storage/repos/history.ts';
import { makeRuns } from '../factories/rows.ts';

export interface HistoryBenchResult {
	runs: number;
	/** Median over `samples` of: open the db + first page (50 newest runs). */
	historyOpenMs: number;
	historyOpenSamplesMs: number[];
	/** First page of a text search that matches ~1 run in 97 (scans until 50 found). */
	searchFirstPageMs: number;
	/** Second page (cursor) with a model filter. */
	filteredSecondPageMs: number;
	seedMs: number;
	outputCharsPerRun: number;
}

const PARAGRAPH = 'The quick brown fox jumps over the lazy dog while the model explains its reasoning step by step. ';

function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.floor(s.length / 2)];
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Seeds `n` runs (about 2 KB of output each) and measures; deletes the database afterwards. */
export async function runHistoryBench(n = 10_000, samples = 5): Promise<HistoryBenchResult> {
	const name = `bench-history-${Date.now()}`;
	const filler = PARAGRAPH.repeat(20);
	const rows = makeRuns(n).map((r) => ({ ...r, output: `${r.output}\n${filler}` }));
	const seedStart = performance.now();
	const seeding = await openDb(name);
	for (let i = 0; i < rows.length; i += 1000) await seeding.runs.bulkAdd(rows.slice(i, i + 1000));
	seeding.close();
	const seedMs = performance.now() - seedStart;

	const openSamples: number[] = [];
	for (let s = 0; s < samples; s++) {
		const t0 = performance.now();
		const db = await openDb(name);
		const page = await listRuns(db);
		openSamples.push(performance.now() - t0);
		if (page.runs.length !== 50) throw new Error(`expected a full first page, got ${page.runs.length}`);
		db.close();
	}

	const db = await openDb(name);
	let t0 = performance.now();
	await listRuns(db, { text: 'needle' });
	const searchFirstPageMs = performance.now() - t0;
	const first = await listRuns(db, { modelId: 'model-b' });
	t0 = performance.now();
	await listRuns(db, { modelId: 'model-b' }, { after: first.next ?? undefined });
	const filteredSecondPageMs = performance.now() - t0;
	db.close();
	await Dexie.delete(name);

	return {
		runs: n,
		historyOpenMs: round(median(openSamples)),
		historyOpenSamplesMs: openSamples.map(round),
		searchFirstPageMs: round(searchFirstPageMs),
		filteredSecondPageMs: round(filteredSecondPageMs),
		seedMs: Math.round(seedMs),
		outputCharsPerRun: rows[0].output.length
	};
}

/** Page entry point: runs the bench, logs the JSON and exposes it as window.__benchResult. */
export async function main(): Promise<HistoryBenchResult> {
	const result = await runHistoryBench();
	console.log(JSON.stringify(result));
	if (typeof window !== 'undefined') {
		(window as unknown as { __benchResult?: HistoryBenchResult }).__benchResult = result;
	}
	return result;
}
