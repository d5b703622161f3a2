// The key under which a computed result may be reused instead of generating again: the same
// engine version, exact model record, variant, item and a fixed seed give the same output.
// Pure: no svelte, dexie, DOM or web-llm imports.
import { sha256Hex, stableStringify } from '../recipes/hash.ts';

export interface ReuseKeyInput {
	/** e.g. "@mlc-ai/web-llm 0.2.86" or the endpoint's base URL. */
	engineVersion: string;
	/** The exact model record (web-llm record, derived record with adapter hash, or endpoint model + adapter). */
	modelRecord: unknown;
	variantId: string;
	itemHash: string;
	seed: number | undefined;
}

/** SHA-256 hex over the inputs; null when the seed is not fixed (then nothing is reusable). */
export async function reuseKey(input: ReuseKeyInput): Promise<string | null> {
	if (input.seed === undefined || !Number.isFinite(input.seed)) return null;
	return sha256Hex(stableStringify({ ...input, v: 1 }));
}
