// Node file access for the derivation: a ByteSource over a file on disk (random access, never loaded
// whole unless asked) and a DeriveIo over folders. Every input must be a regular file of bounded size
// (checked with lstat/stat before opening, and fstat after): a FIFO would block forever and a symlink to
// /dev/zero would never end. Node-only: lives in src/cli, never in src/domain.

import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, lstatSync, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { copyFile, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ShardWriter, StreamingDeriveIo } from '../domain/merge/index.ts';
import { type ByteSource, openSafetensorsSet, readIntoBuffer, type TensorLocator } from '../domain/weights/index.ts';

/** A ByteSource with an explicit close (it keeps one file descriptor open). */
export interface FileByteSource extends Required<ByteSource> {
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

/** Bytes per read when a file is streamed (hashing, copying a prefix): big enough for few syscalls, small for memory. */
const CHUNK_BYTES = 4 * 2 ** 20;

/**
 * SHA-256 hex of `prefix`, one zero byte, then the whole of `src`, read in chunks: the same digest as
 * adapterSha256(prefix, bytes of src) without holding the file in memory.
 */
export async function sha256WithPrefix(prefix: Uint8Array, src: ByteSource): Promise<string> {
	const hash = createHash('sha256').update(prefix).update(new Uint8Array(1));
	// one chunk buffer for the whole file: a fresh one per read is garbage the size of the file
	const chunk = new Uint8Array(Math.min(CHUNK_BYTES, src.sizeBytes));
	for (let at = 0; at < src.sizeBytes; at += CHUNK_BYTES) {
		hash.update(await readIntoBuffer(src, at, chunk.subarray(0, Math.min(CHUNK_BYTES, src.sizeBytes - at))));
	}
	return hash.digest('hex');
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
	const readInto = async (offset: number, out: Uint8Array) => {
		const length = out.byteLength;
		if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > sizeBytes) {
			throw new RangeError(`Read of ${length} bytes at offset ${offset} is outside ${path} (${sizeBytes} bytes)`);
		}
		// a turn of the event loop per read, so Ctrl-C (SIGINT) is seen between tensors
		await new Promise((r) => setImmediate(r));
		let done = 0;
		while (done < length) {
			const n = readSync(fd, out, done, length - done, offset + done);
			if (n === 0) throw new RangeError(`${path} ended early`);
			done += n;
		}
		return out;
	};
	return {
		sizeBytes,
		async read(offset, length) {
			if (!Number.isSafeInteger(length) || length < 0) {
				throw new RangeError(`Read of ${length} bytes at offset ${offset} is outside ${path} (${sizeBytes} bytes)`);
			}
			return readInto(offset, new Uint8Array(length));
		},
		readInto,
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

/**
 * Writes a file from handed-over pieces: each write starts when the previous one is done and write() resolves
 * once the previous piece is on disk, so one piece is written while the caller prepares the next (at most two
 * pieces held). A failed write rejects the next write() or close().
 */
async function fileWriter(path: string): Promise<ShardWriter & { abandon(): Promise<void> }> {
	const opened = open(path, 'w');
	// handled here and seen again through tail: an abandoned writer must not crash the process
	opened.catch(() => {});
	let position = 0;
	let tail: Promise<unknown> = opened;
	let lastPiece: Promise<unknown> = Promise.resolve();
	const writeAll = async (bytes: Uint8Array, at: number) => {
		const fh = await opened;
		for (let done = 0; done < bytes.byteLength;) {
			const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done, at + done);
			done += bytesWritten;
		}
	};
	const release = async () => {
		const fh = await opened.catch(() => null);
		await fh?.close();
	};
	let closed = false;
	return {
		write(bytes) {
			const previous = lastPiece;
			const at = position;
			position += bytes.byteLength;
			tail = tail.then(() => writeAll(bytes, at));
			tail.catch(() => {});
			lastPiece = tail;
			return previous.then(() => {});
		},
		async close() {
			try {
				await tail;
			} finally {
				closed = true;
				await release();
			}
		},
		async abandon() {
			if (closed) return;
			closed = true;
			await tail.catch(() => {});
			await release();
		}
	};
}

/** A DeriveIo reading the base from `baseDir` and writing into `outDir`; call close() when done. */
export function folderDeriveIo(baseDir: string, outDir: string, original?: TensorLocator): StreamingDeriveIo & { close(): Promise<void> } {
	const opened: FileByteSource[] = [];
	const writers: { abandon(): Promise<void> }[] = [];
	// whole-file copies run in libuv's threads while the derivation goes on; every later file waits for them
	const copies = new Map<string, Promise<void>>();
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
			await Promise.all(copies.values());
			await writeFile(join(outDir, name), bytes);
		},
		async openWriter(name) {
			assertPlainName(name);
			const w = await fileWriter(join(outDir, name));
			writers.push(w);
			return w;
		},
		async copyBase(name, nbytes) {
			assertPlainName(name);
			const from = join(baseDir, name);
			// a whole file: the kernel copies it (copy_file_range), no bytes pass through this process
			if (assertRegularFile(from) === nbytes) {
				const done = copyFile(from, join(outDir, name));
				done.catch(() => {});
				copies.set(name, done);
				return;
			}
			const src = fileSource(from);
			const w = await fileWriter(join(outDir, name));
			writers.push(w);
			try {
				for (let at = 0; at < nbytes; at += CHUNK_BYTES) await w.write(await src.read(at, Math.min(CHUNK_BYTES, nbytes - at)));
				await w.close();
			} finally {
				src.close();
			}
		},
		async close() {
			await Promise.allSettled(copies.values());
			await Promise.all(writers.map((w) => w.abandon()));
			for (const s of opened) s.close();
		}
	};
}
