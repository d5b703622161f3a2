// Node file access for the derivation: a ByteSource over a file on disk (random access, never loaded
// whole unless asked) and a DeriveIo over folders. Node-only: lives in src/cli, never in src/domain.

import { existsSync, mkdirSync, openSync, readdirSync, readSync, closeSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeriveIo } from '../domain/merge/index.ts';
import { type ByteSource, openSafetensorsSet, type TensorLocator } from '../domain/weights/index.ts';

/** A ByteSource with an explicit close (it keeps one file descriptor open). */
export interface FileByteSource extends ByteSource {
	close(): void;
}

/** Opens `path` for random-access reads. @throws when the file cannot be opened */
export function fileSource(path: string): FileByteSource {
	const fd = openSync(path, 'r');
	const sizeBytes = statSync(path).size;
	let closed = false;
	return {
		sizeBytes,
		async read(offset, length) {
			if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > sizeBytes) {
				throw new RangeError(`Read of ${length} bytes at offset ${offset} is outside ${path} (${sizeBytes} bytes)`);
			}
			const out = new Uint8Array(length);
			let done = 0;
			while (done < length) {
				const n = readSync(fd, out, done, length - done, offset + done);
				if (n === 0) throw new RangeError(`${path} ended early`);
				done += n;
			}
			return out;
		},
		close() {
			if (!closed) closeSync(fd);
			closed = true;
		}
	};
}

/** File names inside a model folder are plain base names; anything else could escape the folder. */
export function assertPlainName(name: string): void {
	if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name) || name.includes('\0')) {
		throw new Error(`Refusing file name ${JSON.stringify(name)}: model files must be plain names inside the folder`);
	}
}

/** Opens every *.safetensors (and the index) of an original Hugging Face folder. */
export async function openOriginalFolder(dir: string, opened: FileByteSource[]): Promise<TensorLocator> {
	const files = new Map<string, ByteSource>();
	for (const name of readdirSync(dir)) {
		if (name.endsWith('.safetensors') || name === 'model.safetensors.index.json') {
			const src = fileSource(join(dir, name));
			opened.push(src);
			files.set(name, src);
		}
	}
	if (files.size === 0) throw new Error(`${dir} holds no .safetensors files; give the original Hugging Face model folder`);
	return openSafetensorsSet(files);
}

/** A DeriveIo reading the base from `baseDir` and writing into `outDir`; call close() when done. */
export function folderDeriveIo(baseDir: string, outDir: string, original?: TensorLocator): DeriveIo & { close(): void } {
	const opened: FileByteSource[] = [];
	mkdirSync(outDir, { recursive: true });
	return {
		original,
		async openBase(name) {
			assertPlainName(name);
			const path = join(baseDir, name);
			if (!existsSync(path)) return undefined;
			const src = fileSource(path);
			opened.push(src);
			return src;
		},
		async write(name, bytes) {
			assertPlainName(name);
			writeFileSync(join(outDir, name), bytes);
		},
		close() {
			for (const s of opened) s.close();
		}
	};
}
