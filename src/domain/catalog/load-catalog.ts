// Loads web-llm's prebuilt model list without importing web-llm: the records were turned into a
// virtual module at build time by scripts/vite-plugin-webllm-catalog.ts.
// Must not import web-llm, Svelte or the DOM.

import { buildCatalog } from './parse-record.ts';
import type { CatalogEntry } from './types.ts';

/**
 * The chat models web-llm ships (embedding models excluded), parsed into entries.
 * @throws CatalogRecordError if the build-time list is malformed
 */
export async function loadCatalog(): Promise<CatalogEntry[]> {
	const { records } = await import('virtual:webllm-catalog');
	return buildCatalog(records);
}

/** The web-llm version the catalog came from, e.g. "0.2.86". */
export async function loadCatalogVersion(): Promise<string> {
	return (await import('virtual:webllm-catalog')).webllmVersion;
}
