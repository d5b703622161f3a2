// The web-llm model record of a derived model: the base record's wasm, overrides and resource
// figures, with the derived folder URL and id (brief E §4). Pure TS: no svelte/dexie/DOM/web-llm.

import type { ModelRecordLike } from '../catalog/types.ts';

/**
 * Builds the record web-llm loads a derived model from.
 * @param base the base model's record (its model_lib is shared, never copied)
 * @param derivedId content-addressed id (see derivedModelId)
 * @param folderUrl absolute URL ending in /resolve/main/ (see derivedFolderUrl)
 */
export function derivedRecord(base: ModelRecordLike, derivedId: string, folderUrl: string): ModelRecordLike {
	const out: ModelRecordLike = { model: folderUrl, model_id: derivedId, model_lib: base.model_lib };
	if (base.overrides !== undefined) out.overrides = structuredClone(base.overrides);
	if (base.vram_required_MB !== undefined) out.vram_required_MB = base.vram_required_MB;
	if (base.low_resource_required !== undefined) out.low_resource_required = base.low_resource_required;
	if (base.buffer_size_required_bytes !== undefined) out.buffer_size_required_bytes = base.buffer_size_required_bytes;
	if (base.required_features !== undefined) out.required_features = [...base.required_features];
	if (base.model_type !== undefined) out.model_type = base.model_type;
	return out;
}

/**
 * Orders output files so tensor-cache.json comes last: web-llm's hasModelInCache turns true only
 * once it and every shard it lists exist, so a model interrupted before the end is never "cached".
 */
export function commitOrder(fileNames: readonly string[]): string[] {
	const rest = fileNames.filter((n) => n !== 'tensor-cache.json');
	return fileNames.includes('tensor-cache.json') ? [...rest, 'tensor-cache.json'] : rest;
}
