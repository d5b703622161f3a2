// Page-side proxy for the chart worker: one worker, started on the first chart, each render a
// promise matched to its reply by id. Imports only types.
import type { ChartSpec } from '../domain/decision/types.ts';

type Reply = { id: number; svg: string } | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (svg: string) => void; reject: (e: Error) => void }>();

function started(): Worker {
	if (worker) return worker;
	worker = new Worker(new URL('./chart.worker.ts', import.meta.url), { type: 'module' });
	worker.onmessage = (e: MessageEvent<Reply>) => {
		const p = pending.get(e.data.id);
		pending.delete(e.data.id);
		if (!p) return;
		if ('svg' in e.data) p.resolve(e.data.svg);
		else p.reject(new Error(e.data.error));
	};
	worker.onerror = (e) => {
		// The worker itself failed (e.g. its chunk could not load offline): fail every waiting render.
		for (const p of pending.values()) p.reject(new Error(e.message || 'the chart worker failed'));
		pending.clear();
		worker = null;
	};
	return worker;
}

/** The chart as SVG text, rendered in the chart worker. */
export function renderChartInWorker(chart: ChartSpec): Promise<string> {
	const id = nextId++;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject });
		started().postMessage({ id, chart: plainCopy(chart) });
	});
}

/** ChartSpecs are plain JSON (see domain/decision/types.ts): a JSON copy drops any reactive proxy. */
function plainCopy(chart: ChartSpec): ChartSpec {
	return JSON.parse(JSON.stringify(chart)) as ChartSpec;
}
