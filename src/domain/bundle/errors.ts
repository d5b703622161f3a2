// Bundle failures: the first problem found, with the JSON path where it is.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.

/** The file is not a valid export bundle; `path` points at the first problem, e.g. "tables.runs[3].status". */
export class BundleError extends Error {
	override name = 'BundleError';
	constructor(
		readonly path: string,
		readonly problem: string
	) {
		super(`${path ? `${path}: ` : ''}${problem}`);
	}
}
