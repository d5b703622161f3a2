// Node file access for the derivation: a ByteSource over a file on disk (random access, never loaded
// whole unless asked) and a DeriveIo over folders. Every input must be a regular file of bounded size
// (checked with lstat/stat before opening, and fstat after): a FIFO would block forever and a symlink to
// /dev/zero would never end. Node-only: lives in src/cli, never in src/domain.

import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeriveIo } from '../domain/merge/index.ts';
import { type ByteSource, openSafetensorsSet, type TensorLocator } from '../domain/weights/index.ts';

/** A ByteSource with an explicit close (it keeps one file descriptor open). */
export interface FileByteSource extends ByteSource {
	close(): void;
}

/** Largest input file accepted (a shard or an original safetensors file). */
export const MAX_INPUT_FILE_BYTES = 64 * 2 ** 30;

/** An input that is not a regular file of bounded size. */
export class InputFileError extends Error {
	override name = 'InputFileError';
}

function describe(path: string): string {
	try {
		const l = lstatSync(path);
		if (l.isSymbolicLink()) return 'a symbolic link to something that is not a regular file';
		if (l.isFIFO()) return 'a named pipe (FIFO)';
		if (l.isCharacterDevice() || l.isBlockDevice()) return 'a device';
		if (l.isDirectory()) return 'a folder';
		if (l.isSocket()) return 'a socket';
	} catch {
		/* fall through */
	}
	return 'not a regular file';
}

/**
 * Checks that `path` is a regular file (symlinks to regular files are fine) of at most maxBytes.
 * @returns its size
 * @throws InputFileError saying what it is instead
 */
export function assertRegularFile(path: string, maxBytes = MAX_INPUT_FILE_BYTES): number {
	let st;
	try {
		st = statSync(path);
	} catch (e) {
		throw new InputFileError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
	}
	if (!st.isFile()) throw new InputFileError(`${path} is ${describe(path)}; model and adapter files must be regular files`);
	if (st.size > maxBytes) {
		throw new InputFileError(`${path} has ${st.size} bytes, more than the ${maxBytes} allowed for this file; is it the right file?`);
	}
	return st.size;
}

/** Reads a whole regular file of at most maxBytes. @throws InputFileError */
export async function readRegularFile(path: string, maxBytes: number): Promise<Uint8Array> {
	const src = fileSource(path, maxBytes);
	try {
		return await src.read(0, src.sizeBytes);
	} finally {
		src.close();
	}
}

/** Opens `path` for random-access reads. @throws InputFileError when it is not a regular file of bounded size */
export function fileSource(path: string, maxBytes = MAX_INPUT_FILE_BYTES): FileByteSource {
	assertRegularFile(path, maxBytes);
	// O_NONBLOCK: should the path have been swapped for a FIFO since the check, open must not block
	const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
	const st = fstatSync(fd);
	if (!st.isFile() || st.size > maxBytes) {
		closeSync(fd);
		throw new InputFileError(`${path} changed while being opened; it must be a regular file`);
	}
	const sizeBytes = st.size;
	let closed = false;
	return {
		sizeBytes,
		async read(offset, length) {
			if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > sizeBytes) {
				throw new RangeError(`Read of ${length} bytes at offset ${offset} is outside ${path} (${sizeBytes} bytes)`);
			}
			// a turn of the event loop per read, so Ctrl-C (SIGINT) is seen between tensors
			await new Promise((r) => setImmediate(r));
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
			await writeFile(join(outDir, name), bytes);
		},
		close() {
			for (const s of opened) s.close();
		}
	};
}
