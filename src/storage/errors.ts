// Storage failures turned into errors that say what to do. Maps IndexedDB / Dexie quota errors
// (also when wrapped as an AbortError's `inner`, or inside a BulkError) to StorageFullError.
// Must not import svelte, DOM components, workers or web-llm.

/** The browser refused to store more: the origin's quota or the disk is full. */
export class StorageFullError extends Error {
	override name = 'StorageFullError';
	constructor(readonly cause?: unknown) {
		super(
			'Browser storage is full. Export your history (Settings → Export), delete old runs or ' +
				'unused adapters and models, or free disk space, then try again.'
		);
	}
}

/** Another tab opened a newer version of the database; this tab must reload. */
export const RELOAD_MESSAGE = 'The app was updated in another tab. Reload this page to keep working (your data is safe).';

function isQuota(e: unknown, depth = 0): boolean {
	if (depth > 4 || typeof e !== 'object' || e === null) return false;
	const err = e as { name?: unknown; code?: unknown; inner?: unknown; failures?: unknown };
	if (err.name === 'QuotaExceededError') return true;
	// Legacy DOMException code for QUOTA_EXCEEDED_ERR.
	if (err.name !== undefined && err.code === 22 && typeof DOMException !== 'undefined' && e instanceof DOMException) {
		return true;
	}
	if (isQuota(err.inner, depth + 1)) return true;
	if (Array.isArray(err.failures)) return err.failures.some((f) => isQuota(f, depth + 1));
	return false;
}

/** Returns a StorageFullError for quota failures, the error itself otherwise. */
export function mapStorageError(e: unknown): unknown {
	return e instanceof StorageFullError || !isQuota(e) ? e : new StorageFullError(e);
}

/**
 * Runs a write and rethrows quota failures as StorageFullError.
 * @throws StorageFullError when the browser's storage is full.
 */
export async function guardWrite<T>(write: () => Promise<T>): Promise<T> {
	try {
		return await write();
	} catch (e) {
		throw mapStorageError(e);
	}
}
