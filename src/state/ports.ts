// What the state classes need from storage, as small interfaces, so each class is built with
// real repositories in App.svelte and with the same real repositories on a test database in tests.
// Types only.
import type { AnswerStats } from '../domain/engine/types.ts';
import type { RunRow } from '../domain/bundle/rows.ts';

/** Everything a run row records about what produced it, frozen when the run starts. */
export type RunSnapshot = Omit<RunRow, 'id' | 'createdAt' | 'startedAt' | 'endedAt' | 'status' | 'output' | 'stats' | 'error'>;

export interface RunEnd {
	status: 'done' | 'stopped' | 'failed';
	output: string;
	stats?: AnswerStats;
	error?: { code: string; message: string; advice: string };
	endedAt: number;
}

/** Persistence of runs as RunController uses it. */
export interface RunSink {
	/** Creates the row with status 'running'; returns its id. */
	start(snapshot: RunSnapshot, startedAt: number): Promise<string>;
	/** Saves the output streamed so far. */
	progress(id: string, output: string): Promise<void>;
	finish(id: string, end: RunEnd): Promise<void>;
}
