// Which derived overlay models read their untouched weights from a base's cached shards, and what the cache
// manager says about it: deleting such a base asks first (and deletes them too), and a derived model whose base
// shards are gone is refused before loading. Pure TS: no svelte/dexie/DOM/worker/web-llm imports.

/** A stored derived model as the dependency check needs it. */
export interface DerivedDependency {
	id: string;
	label: string;
	baseModelId: string;
	/** The base folder URL an overlay reads its untouched shards from; absent on self-contained models. */
	overlayOf?: string;
}

/** The overlays that read shards from `baseFolderUrl` (a model record's folder, see modelFolderUrl). */
export function dependentsOf<T extends DerivedDependency>(baseFolderUrl: string, derived: readonly T[]): T[] {
	return derived.filter((d) => d.overlayOf === baseFolderUrl);
}

/** e.g. "2 derived models use this base's files (A, B): delete them too?" */
export function deleteBaseQuestion(dependents: readonly Pick<DerivedDependency, 'label'>[]): string {
	const n = dependents.length;
	const who = n === 1 ? '1 derived model uses' : `${n} derived models use`;
	return `${who} this base's files (${dependents.map((d) => d.label).join(', ')}): delete ${n === 1 ? 'it' : 'them'} too?`;
}

/** Said after deleting a base together with the overlays that used it. */
export function deletedWithBaseNotice(baseId: string, dependents: readonly Pick<DerivedDependency, 'label'>[]): string {
	const n = dependents.length;
	return `Also deleted ${dependents.map((d) => d.label).join(', ')}: ${n === 1 ? 'it read its' : 'they read their'} weights from ${baseId}.`;
}

/** Why an overlay cannot load: its base's shards are no longer cached. */
export function missingBaseMessage(baseId: string): string {
	return `This derived model reads its untouched weights from ${baseId}, which is no longer downloaded: download the base again or delete this derived model.`;
}

/** The URLs of `required` that `present` lacks, in order. */
export function missingUrls(required: readonly string[], present: ReadonlySet<string>): string[] {
	return required.filter((u) => !present.has(u));
}
