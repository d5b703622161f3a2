// Runs one generation at a time: streams deltas into $state once per animation frame, keeps a
// Markdown copy refreshed at most every MARKDOWN_INTERVAL_MS, and persists the run row (created at
// start, progress at most every PROGRESS_INTERVAL_MS, finished with stats). No DOM or db imports.
import type { AnswerStats, Engine } from '../domain/engine/types.ts';
import { EngineError } from '../domain/engine/errors.ts';
import type { RunEnd, RunSink, RunSnapshot } from './ports.ts';

export const PROGRESS_INTERVAL_MS = 500;
export const MARKDOWN_INTERVAL_MS = 100;

export type RunPhase = 'idle' | 'running' | RunEnd['status'];

export interface RunControllerOptions {
	sink: RunSink;
	/** Milliseconds clock; defaults to performance.now. */
	now?: () => number;
	/** Frame scheduler; defaults to requestAnimationFrame (falls back to a 16 ms timer). */
	frame?: (cb: () => void) => void;
}

export class RunController {
	phase = $state<RunPhase>('idle');
	/** Output shown as plain text, refreshed once per animation frame. */
	output = $state('');
	/** Output to render as Markdown, refreshed at most every MARKDOWN_INTERVAL_MS while streaming. */
	markdownSource = $state('');
	stats = $state.raw<AnswerStats | null>(null);
	error = $state.raw<{ message: string; advice: string } | null>(null);
	runId = $state<string | null>(null);
	busy = $derived(this.phase === 'running');

	#sink: RunSink;
	#now: () => number;
	#frame: (cb: () => void) => void;
	#abort: AbortController | null = null;
	#full = '';
	#frameQueued = false;
	#lastMarkdownMs = 0;
	#lastSavedMs = 0;
	#writes: Promise<void> = Promise.resolve();

	constructor(opts: RunControllerOptions) {
		this.#sink = opts.sink;
		this.#now = opts.now ?? (() => performance.now());
		this.#frame =
			opts.frame ?? ((cb) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16)));
	}

	/**
	 * Starts a run and resolves when it has finished and its row is saved.
	 * @throws never: failures end as phase 'failed' with `error` set
	 */
	async run(engine: Engine, snapshot: RunSnapshot): Promise<void> {
		if (this.busy) return;
		this.#reset();
		this.phase = 'running';
		const abort = new AbortController();
		this.#abort = abort;
		let id: string;
		try {
			id = await this.#sink.start(snapshot, Date.now());
		} catch (e) {
			this.#fail(e);
			this.#abort = null;
			return;
		}
		this.runId = id;
		this.#lastSavedMs = this.#now();
		let end: RunEnd;
		try {
			const result = await engine.generate(
				{ modelId: snapshot.modelId, messages: snapshot.messages, sampling: snapshot.sampling },
				{ signal: abort.signal, onDelta: (d) => this.#onDelta(id, d) }
			);
			this.#full = result.text || this.#full;
			const stopped = result.finishReason === 'abort' || abort.signal.aborted;
			const stats = stopped ? await withPromptTokens(engine, snapshot, result.stats) : result.stats;
			end = { status: stopped ? 'stopped' : 'done', output: this.#full, stats, endedAt: Date.now() };
			this.stats = stats;
		} catch (e) {
			const aborted = abort.signal.aborted || (e instanceof EngineError && e.code === 'aborted');
			end = aborted
				? { status: 'stopped', output: this.#full, endedAt: Date.now() }
				: { status: 'failed', output: this.#full, error: describe(e), endedAt: Date.now() };
		}
		this.#abort = null;
		this.#show();
		await this.#writes;
		try {
			await this.#sink.finish(id, end);
		} catch (e) {
			end = { ...end, status: 'failed', error: describe(e) };
		}
		this.error = end.error ?? null;
		this.phase = end.status;
	}

	/** Stops the current run; it ends as 'stopped' with the text received so far. */
	stop(): void {
		this.#abort?.abort();
	}

	/** Clears the last result (not allowed while running). */
	clear(): void {
		if (!this.busy) this.#reset();
	}

	destroy(): void {
		this.stop();
	}

	#reset(): void {
		this.#full = '';
		this.output = '';
		this.markdownSource = '';
		this.stats = null;
		this.error = null;
		this.runId = null;
		this.phase = 'idle';
		this.#lastMarkdownMs = 0;
	}

	#onDelta(id: string, delta: string): void {
		this.#full += delta;
		if (!this.#frameQueued) {
			this.#frameQueued = true;
			this.#frame(() => {
				this.#frameQueued = false;
				if (this.phase === 'running') this.#show();
			});
		}
		const t = this.#now();
		if (t - this.#lastSavedMs >= PROGRESS_INTERVAL_MS) {
			this.#lastSavedMs = t;
			const text = this.#full;
			this.#writes = this.#writes.then(() => this.#sink.progress(id, text)).catch(() => undefined);
		}
	}

	/** Copies the streamed text into state; Markdown only when its interval has passed or at the end. */
	#show(): void {
		this.output = this.#full;
		const t = this.#now();
		if (this.phase !== 'running' || this.#abort === null || t - this.#lastMarkdownMs >= MARKDOWN_INTERVAL_MS) {
			this.#lastMarkdownMs = t;
			this.markdownSource = this.#full;
		}
	}

	#fail(e: unknown): void {
		this.error = describe(e);
		this.phase = 'failed';
	}
}

/**
 * A stopped run's stats with the real prompt token count: engines report usage only at the end of
 * a stream, so a stop leaves promptTokens 0. The engine's own tokenizer counts the messages (as the
 * preview's exact count does); without one the 0 stays, which RunStats shows as "unknown".
 */
async function withPromptTokens(engine: Engine, snapshot: RunSnapshot, stats: AnswerStats): Promise<AnswerStats> {
	if (stats.promptTokens > 0) return stats;
	try {
		const text = snapshot.messages.map((m) => m.content).join('\n');
		const count = await engine.countTokens(snapshot.modelId, text);
		return count !== null && count > 0 ? { ...stats, promptTokens: count } : stats;
	} catch {
		return stats;
	}
}

/** What happened and what to do, for any thrown value. */
export function describe(e: unknown): { code: string; message: string; advice: string } {
	if (e instanceof EngineError) return { code: e.code, message: e.message, advice: e.advice };
	const message = e instanceof Error ? e.message : String(e);
	const code = e instanceof Error ? e.name : 'unknown';
	return { code, message, advice: 'Try again; if it keeps failing, reload the page or pick another model.' };
}
