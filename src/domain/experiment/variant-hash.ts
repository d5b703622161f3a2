// Content hashes of the comparison's immutable inputs: a variant's id is the SHA-256 of its spec's
// stable JSON, a test item's hash the SHA-256 of {vars, expected}. Equal content always gives the
// same lower-case hex digest (keys sorted, undefined dropped). Uses globalThis.crypto.subtle.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import { sha256Hex, stableStringify } from '../recipes/hash.ts';
import type { VariantSpec } from './types.ts';

/** SHA-256 (hex) of the variant spec's stable JSON: the variant's id. */
export function hashVariantSpec(spec: VariantSpec): Promise<string> {
	return sha256Hex(stableStringify(spec));
}

/** SHA-256 (hex) of a test item's stable JSON {vars, expected} (expected left out when absent). */
export function hashTestItem(item: { vars: Record<string, string>; expected?: string }): Promise<string> {
	return sha256Hex(stableStringify({ vars: item.vars, expected: item.expected }));
}
