// Storage-space arithmetic for writing a derived model: how many bytes are needed and what the
// "storage full" message says. Pure TS: no svelte/dexie/DOM/web-llm imports.

/** Thrown when the browser refuses a write for lack of space; says needed vs available. */
export class DerivedStorageFullError extends Error {
	override name = 'DerivedStorageFullError';
	constructor(
		readonly neededBytes: number,
		readonly availableBytes: number | null
	) {
		super(
			`Not enough storage for the derived model: it needs about ${mb(neededBytes)} and ` +
				(availableBytes === null ? 'the browser does not say how much is free' : `about ${mb(availableBytes)} is free`) +
				'. Delete downloaded models you no longer need (Downloaded models and storage), or allow persistent storage, and try again.'
		);
	}
}

function mb(bytes: number): string {
	return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Free bytes from a StorageManager estimate (quota − usage), or null when either is unknown. */
export function availableBytes(estimate: { usage?: number; quota?: number }): number | null {
	if (estimate.usage === undefined || estimate.quota === undefined) return null;
	return Math.max(0, estimate.quota - estimate.usage);
}

/** Bytes a derived model will occupy: the base's shard bytes plus its small files. */
export function neededBytes(fileSizes: Iterable<number>): number {
	let sum = 0;
	for (const s of fileSizes) sum += s;
	return sum;
}
