// Random access to big files without holding them whole: weights are read tensor by tensor.
// Pure TS (Blob is a web standard also present in Node 20); must not import node:, DOM-only or web-llm code.

/** Random-access reader over a file-like object. */
export interface ByteSource {
	readonly sizeBytes: number;
	/** Reads exactly `length` bytes at `offset`; rejects when the range is outside the source. */
	read(offset: number, length: number): Promise<Uint8Array>;
	/** Optional: reads into.byteLength bytes at `offset` into the caller's buffer (no allocation); resolves to `into`. */
	readInto?(offset: number, into: Uint8Array): Promise<Uint8Array>;
}

/** Reads into a caller's buffer: readInto when the source has it, else read and copy. */
export async function readIntoBuffer(src: ByteSource, offset: number, into: Uint8Array): Promise<Uint8Array> {
	if (src.readInto) return src.readInto(offset, into);
	into.set(await src.read(offset, into.byteLength));
	return into;
}

/** Checks a read range against a source size and throws a RangeError when it falls outside. */
export function assertReadRange(sizeBytes: number, offset: number, length: number): void {
	const ok = Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= sizeBytes;
	if (!ok) {
		throw new RangeError(`Read of ${length} bytes at offset ${offset} is outside a source of ${sizeBytes} bytes`);
	}
}

/** A ByteSource over bytes already in memory; reads return views, not copies. */
export function bytesSource(bytes: Uint8Array): ByteSource {
	return {
		sizeBytes: bytes.byteLength,
		async read(offset, length) {
			assertReadRange(bytes.byteLength, offset, length);
			return bytes.subarray(offset, offset + length);
		}
	};
}

/** A ByteSource over a Blob or File: each read slices the blob, so the file is never loaded whole. */
export function blobSource(blob: Blob): ByteSource {
	return {
		sizeBytes: blob.size,
		async read(offset, length) {
			assertReadRange(blob.size, offset, length);
			return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
		}
	};
}
