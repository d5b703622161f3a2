// Content hash of a test item: SHA-256 hex over the stable JSON of {vars, expected} (keys sorted,
// an absent expected left out), part of a result's reuse key.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { sha256Hex, stableStringify } from '../recipes/hash.ts';
import type { TestSetItem } from './types.ts';

/** SHA-256 (lower-case hex) of the item's stable JSON `{ expected?, vars }`. */
export function hashTestItem(item: TestSetItem): Promise<string> {
	return sha256Hex(stableStringify({ vars: item.vars, expected: item.expected }));
}
