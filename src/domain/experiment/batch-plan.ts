// What a batch still has to do, in which order, and how long it will take: pure planning over
// variant and item ids. 'together' goes item by item (every variant answers the same item at once);
// 'sequential' goes variant by variant, so each model is loaded once. No svelte, dexie or DOM.
import type { RunMode } from './types.ts';

export interface WorkUnit {
	variantId: string;
	itemId: string;
}

/** The key of a (variant, item) slot, as doneKeys() returns them. */
export const slotKey = (variantId: string, itemId: string): string => `${variantId}|${itemId}`;

/**
 * The slots not yet done, grouped into steps: each step's units run at the same time.
 * together: one step per item holding every pending variant; sequential: one unit per step,
 * variant-major.
 */
export function pendingSteps(
	variantIds: readonly string[],
	itemIds: readonly string[],
	done: ReadonlySet<string>,
	mode: RunMode
): WorkUnit[][] {
	const steps: WorkUnit[][] = [];
	if (mode === 'together') {
		for (const itemId of itemIds) {
			const step = variantIds.filter((v) => !done.has(slotKey(v, itemId))).map((variantId) => ({ variantId, itemId }));
			if (step.length) steps.push(step);
		}
	} else {
		for (const variantId of variantIds)
			for (const itemId of itemIds) if (!done.has(slotKey(variantId, itemId))) steps.push([{ variantId, itemId }]);
	}
	return steps;
}

/** Seconds left from the pace of this session's finished slots; null until one has finished. */
export function etaSeconds(remaining: number, finishedThisSession: number, elapsedMs: number): number | null {
	if (finishedThisSession <= 0 || elapsedMs <= 0) return null;
	return Math.round(((elapsedMs / finishedThisSession) * remaining) / 1000);
}
