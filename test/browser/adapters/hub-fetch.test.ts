// Covers httpRangeSource and the Hub downloads against a REAL local HTTP server: the Vitest page's
// own origin (Vite's dev server) serves the committed fixtures under test/fixtures/hub/ with Range
// support (206). Hub URLs are mapped onto it by a fetch that only rewrites the host and records what
// was asked and received. Covered: the size probe and a safetensors header read fetch only the
// header bytes; a tensor read returns the factory's bytes; sharded originals via the index; the
// adapter files with progress; a server that ignores Range (200 with the whole body) is refused with
// a clear message (documented: no whole-file fallback for multi-GB weights); a page instead of a file
// is refused; 404/403 answers give clear errors (Vite never answers 404, so those two come from a
// fetch that answers like the Hub does).
import { describe, expect, test } from 'vitest';
import { parseHubRef } from '../../../src/domain/webllm-cache/index.ts';
import { readSafetensorsHeader } from '../../../src/domain/weights/index.ts';
import { RangeRequestError, httpRangeSource } from '../../../src/util/browser/http-range-source.ts';
import { HubFetchError, fetchHubAdapter, openHubOriginal } from '../../../src/util/browser/hub-fetch.ts';
import { fixturePath, fixtureRepos } from '../../fixtures/hub/spec.ts';

const repos = fixtureRepos();
const HUB = 'https://huggingface.co/';
const local = (repo: string, file: string) => `${location.origin}/${fixturePath(repo, file)}`;

interface Exchange {
	url: string;
	range: string | null;
	status: number;
	bytes: number;
}

/** Real fetch to the local server, Hub host rewritten to the fixtures folder; logs every exchange. */
function recordingFetch(): { fetch: typeof fetch; log: Exchange[] } {
	const log: Exchange[] = [];
	const f = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
		const url = String(input).replace(HUB, `${location.origin}/test/fixtures/hub/`);
		// no-store: the browser's HTTP cache must not stand between the code and the server here.
		const res = await fetch(url, { ...init, cache: 'no-store' });
		const body = await res.arrayBuffer();
		const range = new Headers(init?.headers).get('range');
		log.push({ url, range, status: res.status, bytes: body.byteLength });
		return new Response(body, { status: res.status, headers: res.headers });
	};
	return { fetch: f as typeof fetch, log };
}

/** Header length of a safetensors file, from its first 8 bytes (little-endian u64). */
function headerLength(bytes: Uint8Array): number {
	const v = new DataView(bytes.buffer, bytes.byteOffset, 8);
	return v.getUint32(0, true) + v.getUint32(4, true) * 2 ** 32;
}

describe('the local server', () => {
	test('answers a Range request with 206 and the asked bytes (the premise of these tests)', async () => {
		const res = await fetch(local('tiny/original', 'model.safetensors'), { headers: { Range: 'bytes=0-9' } });
		expect(res.status).toBe(206);
		expect(new Uint8Array(await res.arrayBuffer())).toEqual(repos.get('tiny/original')!.get('model.safetensors')!.slice(0, 10));
	});
});

describe('httpRangeSource', () => {
	const file = repos.get('tiny/original')!.get('model.safetensors')!;

	test('size from an 8-byte probe; a header read fetches only the header bytes', async () => {
		const rec = recordingFetch();
		const src = await httpRangeSource(local('tiny/original', 'model.safetensors'), { fetch: rec.fetch });
		expect(src.sizeBytes).toBe(file.length);
		const header = await readSafetensorsHeader(src);
		expect([...header.entries.keys()].sort()).toEqual(
			Object.keys(JSON.parse(new TextDecoder().decode(file.slice(8, 8 + headerLength(file)))))
				.filter((k) => k !== '__metadata__')
				.sort()
		);
		expect(rec.log.every((e) => e.status === 206 && e.range !== null)).toBe(true);
		const fetched = rec.log.reduce((n, e) => n + e.bytes, 0);
		// The 8-byte size probe doubles as the read of the header length; then the header itself.
		expect(rec.log.map((e) => e.range)).toEqual([`bytes=0-7`, `bytes=8-${8 + headerLength(file) - 1}`]);
		expect(fetched, JSON.stringify(rec.log)).toBe(8 + headerLength(file));
		expect(fetched).toBeLessThan(file.length / 5);
	});

	test('a read returns exactly the bytes of that range', async () => {
		const rec = recordingFetch();
		const src = await httpRangeSource(local('tiny/original', 'model.safetensors'), { fetch: rec.fetch });
		expect(await src.read(1000, 333)).toEqual(file.slice(1000, 1333));
		expect(rec.log.at(-1)).toMatchObject({ range: 'bytes=1000-1332', status: 206, bytes: 333 });
		await expect(src.read(file.length - 2, 5)).rejects.toThrow(); // past the end: refused before any request
		expect(rec.log).toHaveLength(2);
	});

	test('a server that ignores Range (200 with the whole body) is refused with a clear message', async () => {
		// Vite answers ?raw module requests with 200 and the whole text, whatever Range says
		const e = await httpRangeSource(`${location.origin}/test/fixtures/hub/spec.ts?raw`).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(RangeRequestError);
		expect((e as Error).message).toMatch(/HTTP 200 without a byte range; the server must support Range requests/);
	});

	test('a server that answers 206 with more than the asked bytes is refused before the body is read', async () => {
		let bodyRead = false;
		// highWaterMark 0: the stream pulls only when someone reads it.
		const body = new ReadableStream<Uint8Array>({ pull: (c) => ((bodyRead = true), c.enqueue(file), c.close()) }, { highWaterMark: 0 });
		const broken = (async () =>
			new Response(body, {
				status: 206,
				headers: { 'content-range': `bytes 0-7/${file.length}`, 'content-length': String(file.length) }
			})) as unknown as typeof fetch;
		const e = await httpRangeSource('https://example.test/model.safetensors', { fetch: broken }).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(RangeRequestError);
		expect((e as Error).message).toMatch(new RegExp(`8-byte Range request with ${file.length} bytes`));
		expect(bodyRead).toBe(false);
	});

	test('a missing file (HTTP 404) is named', async () => {
		const notFound = (async () => new Response('Entry not found', { status: 404 })) as unknown as typeof fetch;
		const e = await httpRangeSource(`${HUB}tiny/none/resolve/main/model.safetensors`, { fetch: notFound }).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(RangeRequestError);
		expect((e as Error).message).toMatch(/model\.safetensors was not found \(HTTP 404\)/);
	});
});

describe('Hub downloads', () => {
	test('adapter files arrive whole, with progress', async () => {
		const rec = recordingFetch();
		const progress: [number, number | null, string][] = [];
		const files = await fetchHubAdapter(parseHubRef('tiny/adapter'), {
			fetch: rec.fetch,
			onProgress: (d, t, f) => progress.push([d, t, f])
		});
		const want = repos.get('tiny/adapter')!;
		expect(files.map((f) => f.name)).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
		for (const f of files) expect(new Uint8Array(await f.arrayBuffer())).toEqual(want.get(f.name));
		const last = progress.filter((p) => p[2] === 'adapter_model.safetensors').at(-1)!;
		expect(last[0]).toBe(want.get('adapter_model.safetensors')!.length);
	});

	test('original weights: single file and sharded (via the index) read tensors by Range', async () => {
		for (const repo of ['tiny/original', 'tiny/sharded']) {
			const rec = recordingFetch();
			const locator = await openHubOriginal(parseHubRef(repo), { fetch: rec.fetch });
			const name = 'model.layers.0.self_attn.k_proj.weight';
			const hit = locator.find(name)!;
			expect(hit.entry.shape).toEqual([16, 32]);
			const got = await hit.src.read(hit.entry.begin, hit.entry.end - hit.entry.begin);
			// the same bytes as in the file the factory wrote, found through the file's own header
			const files = repos.get(repo)!;
			const index = files.get('model.safetensors.index.json');
			const fileName = index
				? (JSON.parse(new TextDecoder().decode(index)) as { weight_map: Record<string, string> }).weight_map[name]
				: 'model.safetensors';
			const bytes = files.get(fileName)!;
			const h = headerLength(bytes);
			const meta = (JSON.parse(new TextDecoder().decode(bytes.slice(8, 8 + h))) as Record<string, { data_offsets: [number, number] }>)[
				name
			];
			expect(got).toEqual(bytes.slice(8 + h + meta.data_offsets[0], 8 + h + meta.data_offsets[1]));
			// nothing was downloaded whole except the small index
			const whole = rec.log.filter((e) => e.range === null);
			expect(whole.map((e) => e.url.split('/').pop())).toEqual(['model.safetensors.index.json']);
			if (repo === 'tiny/original') expect(whole[0].status).toBe(200); // Vite's page, not an index: ignored
		}
	});

	test('a page instead of the file, and 404/403 answers, give clear errors', async () => {
		// Vite answers unknown paths with its HTML page (200): not an adapter file
		const rec = recordingFetch();
		const page = await fetchHubAdapter(parseHubRef('tiny/no-such-adapter'), { fetch: rec.fetch }).catch((x: unknown) => x);
		expect(page).toBeInstanceOf(HubFetchError);
		expect((page as Error).message).toMatch(/adapter_config\.json.*web page instead of the file/);

		for (const [status, pattern] of [
			[404, /HTTP 404\. Check the repo id/],
			[403, /HTTP 403 \(private or gated repos are not supported\)/]
		] as const) {
			const answer = (async () => new Response('no', { status })) as unknown as typeof fetch;
			const e = await fetchHubAdapter(parseHubRef('tiny/adapter'), { fetch: answer }).catch((x: unknown) => x);
			expect(e).toBeInstanceOf(HubFetchError);
			expect((e as Error).message).toMatch(pattern);
		}
	});
});
