// Locates tensors across a Hugging Face checkpoint: one model.safetensors, or shards listed by
// model.safetensors.index.json ({weight_map: {tensor: file}}), as mlc-llm's HuggingFaceLoader reads them.
// Pure TS; must not import svelte, dexie, DOM, worker, node: or web-llm code.

import type { ByteSource } from './byte-source.ts';
import { SafetensorsError } from './errors.ts';
import { readSafetensorsHeader, type SafetensorsEntry } from './safetensors.ts';

export interface TensorLocator {
	find(name: string): { src: ByteSource; entry: SafetensorsEntry } | undefined;
	names(): string[];
}

export const SAFETENSORS_INDEX_FILE = 'model.safetensors.index.json';

async function readIndex(src: ByteSource): Promise<Record<string, string>> {
	const text = new TextDecoder().decode(await src.read(0, src.sizeBytes));
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new SafetensorsError(`${SAFETENSORS_INDEX_FILE} is not valid JSON`);
	}
	const map = (json as { weight_map?: unknown } | null)?.weight_map;
	if (typeof map !== 'object' || map === null || Array.isArray(map)) {
		throw new SafetensorsError(`${SAFETENSORS_INDEX_FILE} has no weight_map object`);
	}
	for (const [k, v] of Object.entries(map)) {
		if (typeof v !== 'string') throw new SafetensorsError(`weight_map entry "${k}" is not a file name`);
	}
	return map as Record<string, string>;
}

/**
 * Opens a checkpoint given its files by base name. With an index, every file it names must be present
 * and hold the tensors it is said to hold; without one, every *.safetensors file is read.
 * @throws SafetensorsError on a missing file, a missing tensor, a duplicate tensor or a bad header
 */
export async function openSafetensorsSet(files: Map<string, ByteSource>): Promise<TensorLocator> {
	const found = new Map<string, { src: ByteSource; entry: SafetensorsEntry }>();
	const indexSrc = files.get(SAFETENSORS_INDEX_FILE);
	const weightMap = indexSrc ? await readIndex(indexSrc) : undefined;
	const fileNames = weightMap ? [...new Set(Object.values(weightMap))] : [...files.keys()].filter((n) => n.endsWith('.safetensors')).sort();
	if (fileNames.length === 0) throw new SafetensorsError('No .safetensors file was given');
	for (const fileName of fileNames) {
		const src = files.get(fileName);
		if (!src) throw new SafetensorsError(`Shard "${fileName}" named by the index is missing`);
		const header = await readSafetensorsHeader(src);
		for (const entry of header.entries.values()) {
			if (found.has(entry.name)) {
				throw new SafetensorsError(`Tensor "${entry.name}" appears in more than one shard`);
			}
			found.set(entry.name, { src, entry });
		}
	}
	if (weightMap) {
		for (const [name, file] of Object.entries(weightMap)) {
			if (!found.has(name)) {
				throw new SafetensorsError(`Tensor "${name}" is not in "${file}" as the index says`);
			}
		}
	}
	return {
		find: (name) => found.get(name),
		names: () => [...found.keys()]
	};
}
