// Page-side helpers for the origin's storage: how much is used / available, and a request to make
// it persistent so the browser does not evict downloaded models. Browser-only.

export interface StorageEstimate {
	usageBytes: number | null;
	quotaBytes: number | null;
	persisted: boolean | null;
}

/** navigator.storage.estimate() and persisted(); nulls where the browser does not say. */
export async function storageEstimate(): Promise<StorageEstimate> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.estimate) return { usageBytes: null, quotaBytes: null, persisted: null };
	const est = await storage.estimate();
	const persisted = storage.persisted ? await storage.persisted() : null;
	return { usageBytes: est.usage ?? null, quotaBytes: est.quota ?? null, persisted };
}

/** Asks for persistent storage; resolves false when refused or unsupported. */
export async function requestPersistentStorage(): Promise<boolean> {
	const storage = globalThis.navigator?.storage;
	if (!storage?.persist) return false;
	try {
		return await storage.persist();
	} catch {
		return false;
	}
}
