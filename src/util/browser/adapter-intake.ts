// Adapter intake in the browser: picks adapter_config.json + adapter_model.safetensors out of what
// the user gave (file picker, folder picker, drag-and-drop of files or folders), refuses pickle files
// with an explanation, hashes the files and inspects the adapter without reading tensor data.
// Browser-only (File, DataTransfer, crypto.subtle); no svelte/dexie/worker/web-llm imports.

import { inspectAdapter, parseAdapterConfig, type AdapterReport } from '../../domain/lora/index.ts';
import { adapterSha256 } from '../../domain/merge/index.ts';
import { blobSource, readSafetensorsHeader } from '../../domain/weights/index.ts';

/** What the user gave is not a usable PEFT adapter; the message says what to give instead. */
export class AdapterIntakeError extends Error {
	override name = 'AdapterIntakeError';
}

const PICKLE = /\.(bin|pt|pth|pkl|ckpt)$/i;

function baseName(f: File): string {
	return (f.webkitRelativePath || f.name).split('/').pop() ?? f.name;
}

/**
 * Finds the two PEFT files among `files`.
 * @throws AdapterIntakeError for pickle-only adapters or missing files
 */
export function pickAdapterFiles(files: readonly File[]): { config: File; tensors: File } {
	const config = files.find((f) => baseName(f) === 'adapter_config.json');
	const tensors = files.find((f) => baseName(f) === 'adapter_model.safetensors');
	if (!tensors) {
		const pickle = files.find((f) => PICKLE.test(baseName(f)));
		if (pickle) {
			throw new AdapterIntakeError(
				`${baseName(pickle)} is a pickle file, which can run arbitrary code when loaded, so it is refused. ` +
					'Save the adapter as adapter_model.safetensors (PEFT save_pretrained with safe_serialization=True) and add that instead.'
			);
		}
		throw new AdapterIntakeError(
			'No adapter_model.safetensors found: add the folder PEFT saved (adapter_config.json + adapter_model.safetensors).'
		);
	}
	if (!config) throw new AdapterIntakeError('No adapter_config.json found next to adapter_model.safetensors: add both files.');
	return { config, tensors };
}

/** Original weights for a 4-bit base: .safetensors files and model.safetensors.index.json; pickles refused. */
export function pickOriginalFiles(files: readonly File[]): File[] {
	const keep = files.filter((f) => baseName(f).endsWith('.safetensors') || baseName(f) === 'model.safetensors.index.json');
	if (keep.some((f) => baseName(f).endsWith('.safetensors'))) return keep;
	if (files.some((f) => PICKLE.test(baseName(f)))) {
		throw new AdapterIntakeError(
			'The original weights are pickle files (.bin/.pt), which can run code; use the model repo’s .safetensors files.'
		);
	}
	throw new AdapterIntakeError(
		'No .safetensors files among the original weights: add model.safetensors (or its shards and model.safetensors.index.json).'
	);
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
	return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: File[]): Promise<void> {
	if (entry.isFile) {
		out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
	} else if (entry.isDirectory) {
		const reader = (entry as FileSystemDirectoryEntry).createReader();
		for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
			for (const e of batch) await walk(e, out);
		}
	}
}

/**
 * Every file dropped, folders walked recursively. Take the entries synchronously inside the drop
 * handler (DataTransferItem.webkitGetAsEntry), as the DataTransfer empties once it returns.
 * @param entries the items' entries (null for items that are not files)
 * @param fallback dataTransfer.files, used when the browser gives no entries
 */
export async function filesFromEntries(entries: readonly (FileSystemEntry | null)[], fallback: readonly File[]): Promise<File[]> {
	if (entries.every((e) => e === null)) return [...fallback];
	const out: File[] = [];
	for (const e of entries) if (e) await walk(e, out);
	return out;
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
	const d = await crypto.subtle.digest('SHA-256', bytes);
	return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface AdapterIntake {
	/** adapterSha256 of config + tensors: the adapter library id. */
	id: string;
	config: Record<string, unknown>;
	configFile: File;
	tensorsFile: File;
	/** Per-file SHA-256, keys of the adapterFiles table. */
	fileHashes: { config: string; tensors: string };
	report: AdapterReport;
	sizeBytes: number;
}

/**
 * Reads and inspects an adapter from the user's files.
 * @throws AdapterIntakeError, PeftConfigError, SafetensorsError
 */
export async function readAdapterFiles(files: readonly File[]): Promise<AdapterIntake> {
	const { config: configFile, tensors: tensorsFile } = pickAdapterFiles(files);
	const configBytes = new Uint8Array(await configFile.arrayBuffer());
	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder().decode(configBytes));
	} catch {
		throw new AdapterIntakeError('adapter_config.json is not valid JSON; add the file exactly as PEFT saved it.');
	}
	const config = parseAdapterConfig(json);
	const report = inspectAdapter(config, await readSafetensorsHeader(blobSource(tensorsFile)));
	const tensorBytes = new Uint8Array(await tensorsFile.arrayBuffer());
	return {
		id: await adapterSha256(configBytes, tensorBytes),
		config: json as Record<string, unknown>,
		configFile,
		tensorsFile,
		fileHashes: { config: await sha256Hex(configBytes), tensors: await sha256Hex(tensorBytes) },
		report,
		sizeBytes: configFile.size + tensorsFile.size
	};
}
