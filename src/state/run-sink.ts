// The RunSink RunController writes to, backed by the run repository on a TuneDb.
// Imports storage only; no svelte, DOM or worker code.
import type { TuneDb } from '../storage/db.ts';
import { finishRun, startRun, updateRunOutput } from '../storage/repos/runs.ts';
import type { RunSink } from './ports.ts';

/** A RunSink that stores runs in `db` (the app's db, or a test database). */
export function dbRunSink(db: TuneDb): RunSink {
	return {
		start: async (snapshot, startedAt) => (await startRun(db, snapshot, startedAt)).id,
		progress: (id, output) => updateRunOutput(db, id, output),
		finish: (id, end) =>
			finishRun(
				db,
				id,
				{
					status: end.status,
					output: end.output,
					stats: end.stats,
					error: end.error && { code: end.error.code, message: end.error.message }
				},
				end.endedAt
			)
	};
}
