// A ByteSource over an HTTP(S) file read with Range requests, so multi-GB original weights on the
// Hugging Face Hub are read tensor by tensor and never held whole. Browser/worker only (fetch).

import { assertReadRange, type ByteSource } from '../../domain/weights/index.ts';

/** The server did not answer a Range request as RFC 9110 §14 says (206 with the asked bytes). */
export class RangeRequestError extends Error {
	override name = 'RangeRequestError';
}

function totalFromContentRange(header: string | null): number | null {
	const m = header ? /\/(\d+)\s*$/.exec(header) : null;
	return m ? Number(m[1]) : null;
}

/**
 * First bytes asked for by the size probe. Eight, not one: a safetensors reader needs them first, and
 * some servers answer `bytes=0-0` with the whole file (sirv, behind Vite's dev server, reads the
 * end 0 as "no end").
 */
const PROBE_BYTES = 8;

/**
 * Opens `url` for random access. Learns the size with a small Range request whose bytes it keeps.
 * @throws RangeRequestError when the server ignores Range or the file is missing
 */
export async function httpRangeSource(url: string, opts: { fetch?: typeof fetch; signal?: AbortSignal } = {}): Promise<ByteSource> {
	const f = opts.fetch ?? fetch;
	const probe = await f(url, { headers: { Range: `bytes=0-${PROBE_BYTES - 1}` }, signal: opts.signal });
	if (probe.status === 404) throw new RangeRequestError(`${url} was not found (HTTP 404).`);
	const size = probe.status === 206 ? totalFromContentRange(probe.headers.get('content-range')) : null;
	if (size === null) {
		await probe.body?.cancel();
		throw new RangeRequestError(`${url} answered HTTP ${probe.status} without a byte range; the server must support Range requests.`);
	}
	const expected = Math.min(PROBE_BYTES, size);
	const announced = Number(probe.headers.get('content-length') ?? expected);
	if (announced !== expected) {
		await probe.body?.cancel();
		throw new RangeRequestError(
			`${url} answered a ${expected}-byte Range request with ${announced} bytes; the server's Range support is broken.`
		);
	}
	const head = new Uint8Array(await probe.arrayBuffer());
	return {
		sizeBytes: size,
		async read(offset, length) {
			assertReadRange(size, offset, length);
			if (length === 0) return new Uint8Array(0);
			if (offset + length <= head.byteLength) return head.slice(offset, offset + length);
			const res = await f(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` }, signal: opts.signal });
			if (res.status !== 206) {
				await res.body?.cancel();
				throw new RangeRequestError(`${url} answered HTTP ${res.status} to a Range request; expected 206.`);
			}
			const bytes = new Uint8Array(await res.arrayBuffer());
			if (bytes.byteLength !== length) {
				throw new RangeRequestError(`${url} returned ${bytes.byteLength} bytes for a range of ${length}; the file may have changed.`);
			}
			return bytes;
		}
	};
}
