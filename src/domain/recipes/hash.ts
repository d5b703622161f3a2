// Content hash of a recipe version: SHA-256 over a stable JSON form (keys sorted, undefined
// dropped), so equal content always gives the same hex digest. Uses globalThis.crypto.subtle.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import type { RecipeContent } from './types.ts';

/** JSON with object keys sorted at every level and undefined properties left out. */
export function stableStringify(value: unknown): string {
	return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
	if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : sortKeys(v)));
	if (typeof value !== 'object' || value === null) return value;
	const out: Record<string, unknown> = {};
	for (const key of Object.keys(value).sort()) {
		const v = (value as Record<string, unknown>)[key];
		if (v !== undefined) out[key] = sortKeys(v);
	}
	return out;
}

/** Lower-case hex SHA-256 of a UTF-8 string. */
export async function sha256Hex(text: string): Promise<string> {
	const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
	return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 (hex) of the recipe content's stable JSON. */
export function hashRecipeContent(content: RecipeContent): Promise<string> {
	return sha256Hex(stableStringify(content));
}
