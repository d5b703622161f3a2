// Covers EngineState on a REAL IndexedDB test database with in-test engines (test-engines.ts):
// endpoint settings saved in the settings table (API key under its own key) and restored by a new
// state, the engine choice saved and not overwritten by a late start(), what blocks a run, loading
// with progress, finish, cancel (no error) and failure (EngineError advice, or generic advice),
// the cache list, delete of the loaded model, storage estimate and persistence; without WebGPU the
// local engine is never built.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EngineError } from '../../../src/domain/engine/errors.ts';
import type { GpuProbe } from '../../../src/domain/gpu/types.ts';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { EngineState } from '../../../src/state/engine.svelte.ts';
import { NO_WEBGPU_PROBE, SWIFTSHADER_PROBE, TestLocalEngine, TestRemoteEngine } from './test-engines.ts';

let db: TuneDb;
let name: string;
const states: EngineState[] = [];

beforeEach(async () => {
	name = `engine-test-${crypto.randomUUID()}`;
	db = await openDb(name);
});
afterEach(async () => {
	while (states.length) states.pop()!.destroy();
	db.close();
	await indexedDB.deleteDatabase(name);
});

/** An EngineState on the test db; records the engines it builds. */
function build(probe: GpuProbe = SWIFTSHADER_PROBE, opts: { persistGranted?: boolean } = {}) {
	const local = new TestLocalEngine();
	const remotes: TestRemoteEngine[] = [];
	let localBuilt = 0;
	const state = new EngineState({
		db,
		createLocal: async () => {
			localBuilt += 1;
			return local;
		},
		createRemote: async (s) => {
			const r = new TestRemoteEngine(s, ['remote-a', 'remote-b']);
			remotes.push(r);
			return r;
		},
		probeGpu: async () => probe,
		storageEstimate: async () => ({ usageBytes: 5_000, quotaBytes: 1_000_000, persisted: false }),
		requestPersistence: async () => opts.persistGranted ?? true
	});
	states.push(state);
	return { state, local, remotes, localBuilt: () => localBuilt };
}

describe('EngineState: endpoint settings', () => {
	test('saved in the settings table (key apart) and restored by a new state', async () => {
		const first = build();
		await first.state.start();
		expect(first.state.kind).toBe('webllm');
		await first.state.setKind('endpoint');
		const settings = { baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-secret', model: 'qwen-test' };
		await first.state.saveEndpoint(settings);

		expect((await db.settings.get('engineKind'))?.value).toBe('endpoint');
		expect((await db.settings.get('endpoint'))?.value).toEqual({ baseUrl: settings.baseUrl, model: settings.model });
		expect((await db.settings.get('endpointApiKey'))?.value).toBe('sk-secret');
		await expect.poll(() => first.state.endpointModels).toEqual(['remote-a', 'remote-b']);
		expect(first.remotes.map((r) => r.settings)).toEqual([{ baseUrl: settings.baseUrl, apiKey: 'sk-secret' }]);

		const second = build();
		await second.state.start();
		expect(second.state.kind).toBe('endpoint');
		expect(second.state.endpoint).toEqual(settings);
		expect(second.state.runModelId).toBe('qwen-test');
		expect(second.state.blockedReason).toBeNull();
		await expect.poll(() => second.state.endpointModels).toEqual(['remote-a', 'remote-b']);
		expect((await second.state.current()).info).toEqual({ kind: 'endpoint', version: settings.baseUrl });
	});

	test('saving new settings replaces the remote engine (the old one is disposed)', async () => {
		const { state, remotes } = build();
		await state.start();
		await state.saveEndpoint({ baseUrl: 'http://a.test/v1', apiKey: '', model: 'm' });
		await expect.poll(() => remotes.length).toBe(1);
		await state.saveEndpoint({ baseUrl: 'http://b.test/v1', apiKey: '', model: 'm' });
		await expect.poll(() => remotes.length).toBe(2);
		expect(remotes[0].disposed).toBe(true);
		expect(remotes[1].settings).toEqual({ baseUrl: 'http://b.test/v1', apiKey: undefined });
	});

	test('a choice made before start() has read the saved one is kept', async () => {
		await db.settings.put({ key: 'engineKind', value: 'endpoint' });
		const { state } = build();
		const started = state.start();
		await state.setKind('webllm');
		await started;
		expect(state.kind).toBe('webllm');
	});
});

describe('EngineState: what blocks a run', () => {
	test.each([
		['endpoint, nothing saved', 'endpoint', { baseUrl: '', apiKey: '', model: '' }, 'Save the endpoint settings first.'],
		['endpoint, no model name', 'endpoint', { baseUrl: 'http://x.test/v1', apiKey: '', model: '  ' }, 'Enter the endpoint model name.'],
		['endpoint, complete', 'endpoint', { baseUrl: 'http://x.test/v1', apiKey: '', model: 'm' }, null],
		['webllm, nothing loaded', 'webllm', { baseUrl: '', apiKey: '', model: '' }, 'Load a model first.']
	] as const)('%s', async (_, kind, endpoint, reason) => {
		const { state } = build();
		await state.start();
		await state.setKind(kind);
		if (endpoint.baseUrl) await state.saveEndpoint(endpoint);
		expect(state.blockedReason).toBe(reason);
	});

	test('without WebGPU: blocked with a pointer to the endpoint, and web-llm is never built', async () => {
		const { state, localBuilt } = build(NO_WEBGPU_PROBE);
		await state.start();
		expect(state.webgpu).toBe(false);
		expect(state.blockedReason).toMatch(/WebGPU is not available.*endpoint/);
		expect(state.cached).toEqual([]);
		expect(localBuilt()).toBe(0);
	});
});

describe('EngineState: loading a model', () => {
	test('progress while loading, then loaded and listed as cached', async () => {
		const { state, local } = build();
		await state.start();
		const done = state.load('Smol-q4f32');
		await expect.poll(() => local.pending.length).toBe(1);
		expect(state.loadingModelId).toBe('Smol-q4f32');
		const p = { fraction: 0.4, loadedBytes: 400, totalBytes: 1000, etaSeconds: 12, text: 'Fetching param cache[2/5]' };
		local.pending[0].onProgress!(p);
		expect(state.progress).toEqual(p);
		local.pending[0].finish();
		await done;
		expect(state.loadedModelId).toBe('Smol-q4f32');
		expect(state.loadingModelId).toBeNull();
		expect(state.progress).toBeNull();
		expect(state.loadError).toBeNull();
		expect(state.runModelId).toBe('Smol-q4f32');
		expect(state.blockedReason).toBeNull();
		expect(state.cached).toEqual([{ id: 'Smol-q4f32', label: 'Smol-q4f32', sizeBytes: 1000 }]);
		expect(state.cachedIds.has('Smol-q4f32')).toBe(true);
	});

	test('Cancel aborts the engine load, clears progress and shows no error', async () => {
		const { state, local } = build();
		await state.start();
		const done = state.load('Big-q4f32');
		await expect.poll(() => local.pending.length).toBe(1);
		state.cancelLoad();
		expect(local.pending[0].signal?.aborted).toBe(true);
		expect(state.loadingModelId).toBeNull();
		expect(state.progress).toBeNull();
		await done;
		expect(state.loadedModelId).toBeNull();
		expect(state.loadError).toBeNull();
	});

	test('a second load cancels the first', async () => {
		const { state, local } = build();
		await state.start();
		const first = state.load('A');
		await expect.poll(() => local.pending.length).toBe(1);
		const second = state.load('B');
		await expect.poll(() => local.pending.length).toBe(2);
		expect(local.pending[0].signal?.aborted).toBe(true);
		expect(state.loadingModelId).toBe('B');
		local.pending[1].finish();
		await Promise.all([first, second]);
		expect(state.loadedModelId).toBe('B');
		expect(state.loadError).toBeNull();
	});

	test.each([
		[
			'an EngineError: its own message and advice',
			new EngineError('network', 'Could not download the model files.', 'Check your connection, then press Load again.'),
			{ code: 'network', message: 'Could not download the model files.', advice: 'Check your connection, then press Load again.' }
		],
		[
			'any other error: its message and generic advice',
			new TypeError('boom'),
			{ code: 'TypeError', message: 'boom', advice: expect.stringMatching(/try again/i) }
		]
	])('a failed load surfaces %s', async (_, error, expected) => {
		const { state, local } = build();
		await state.start();
		const done = state.load('Smol-q4f32');
		await expect.poll(() => local.pending.length).toBe(1);
		local.pending[0].fail(error);
		await done;
		expect(state.loadError).toEqual(expected);
		expect(state.loadedModelId).toBeNull();
		expect(state.loadingModelId).toBeNull();
		expect(state.progress).toBeNull();
	});
});

describe('EngineState: cache and storage', () => {
	test('lists cached models, deletes the loaded one (unloading it first), estimate and persist', async () => {
		const { state, local } = build(SWIFTSHADER_PROBE, { persistGranted: true });
		local.cache.set('Keep', 10).set('Gone', 20);
		await state.start();
		expect(state.cached.map((c) => [c.id, c.sizeBytes])).toEqual([
			['Keep', 10],
			['Gone', 20]
		]);
		expect(state.estimate).toEqual({ usageBytes: 5_000, quotaBytes: 1_000_000 });
		expect(state.persisted).toBe(false);

		const loading = state.load('Gone');
		await expect.poll(() => local.pending.length).toBe(1);
		local.pending[0].finish();
		await loading;
		await state.deleteCached('Gone');
		expect(local.unloaded).toEqual(['Gone']);
		expect(local.deleted).toEqual(['Gone']);
		expect(state.loadedModelId).toBeNull();
		expect(state.cached.map((c) => c.id)).toEqual(['Keep']);

		await state.persist();
		expect(state.persisted).toBe(true);
		expect(state.deleteNotice).toBeNull();
	});

	test('a deletion that also removed a model sharing the weights says which one', async () => {
		const { state, local } = build();
		local.cache.set('M-1k', 10).set('M', 10).set('Other', 5);
		local.sharedWeights.set('M-1k', ['M']);
		await state.start();
		await state.deleteCached('M-1k');
		expect(state.deleteNotice).toBe('Also removed M: it uses the same downloaded weights as M-1k.');
		expect(state.cached.map((c) => c.id)).toEqual(['Other']);
		await state.deleteCached('Other');
		expect(state.deleteNotice).toBeNull();
	});

	test('destroy disposes the engines it built', async () => {
		const { state, local } = build();
		await state.start();
		await state.current();
		state.destroy();
		expect(local.disposed).toBe(true);
	});
});
