// Row ids for new records: random UUIDs (crypto.randomUUID exists in browsers and Node 20).
// Must not import svelte, components, workers or web-llm.

/** A fresh random id. */
export function newId(): string {
	return globalThis.crypto.randomUUID();
}
