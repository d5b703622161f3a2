// Groups catalog entries by family for the model picker, smallest models first.
// Pure: no web-llm or DOM imports.

import type { CatalogEntry, CatalogFamily } from './types.ts';

function byParamsThenId(a: CatalogEntry, b: CatalogEntry): number {
	const pa = a.paramCount ?? Number.POSITIVE_INFINITY;
	const pb = b.paramCount ?? Number.POSITIVE_INFINITY;
	return pa - pb || a.id.localeCompare(b.id);
}

/**
 * Families in first-seen order; entries inside each sorted by parameter count, then id.
 * @param entries catalog entries (any order)
 */
export function groupByFamily(entries: readonly CatalogEntry[]): CatalogFamily[] {
	const groups = new Map<string, CatalogEntry[]>();
	for (const e of entries) {
		const list = groups.get(e.family) ?? [];
		list.push(e);
		groups.set(e.family, list);
	}
	return [...groups].map(([family, list]) => ({ family, entries: list.sort(byParamsThenId) }));
}
