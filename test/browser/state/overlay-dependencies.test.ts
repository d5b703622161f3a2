// Covers EngineState with derived overlays (a port standing in for the adapters state): deleting a base that
// derived models use asks first and deletes nothing; cancel keeps all; confirm deletes the derived models and
// then the base, with a notice; a derived model whose base shards are missing is refused before any load.
import { afterEach, beforeEach, expect, test } from 'vitest';
import { openDb, type TuneDb } from '../../../src/storage/db.ts';
import { EngineState, type DerivedModelsPort } from '../../../src/state/engine.svelte.ts';
import { SWIFTSHADER_PROBE, TestLocalEngine, TestRemoteEngine } from './test-engines.ts';

let db: TuneDb;
let name: string;
const states: EngineState[] = [];

beforeEach(async () => {
	name = `overlay-deps-${crypto.randomUUID()}`;
	db = await openDb(name);
});
afterEach(async () => {
	while (states.length) states.pop()!.destroy();
	db.close();
	await indexedDB.deleteDatabase(name);
});

function build(missingBase = new Set<string>()) {
	const local = new TestLocalEngine();
	const removed: string[] = [];
	const derived = new Map([
		['d1', 'Base + LoRA aaaaaaaa'],
		['d2', 'Base + LoRA bbbbbbbb']
	]);
	const port: DerivedModelsPort = {
		labelOf: (id) => derived.get(id) ?? null,
		remove: async (id) => {
			removed.push(id);
			derived.delete(id);
			local.cache.delete(id);
		},
		dependentsOf: (id) => (id === 'Base' ? [...derived].map(([d, label]) => ({ id: d, label })) : []),
		loadBlocker: async (id) =>
			missingBase.has(id) ? `This derived model reads its untouched weights from Base, which is no longer downloaded.` : null
	};
	const state = new EngineState({
		db,
		createLocal: async () => local,
		createRemote: async (s) => new TestRemoteEngine(s, []),
		probeGpu: async () => SWIFTSHADER_PROBE,
		storageEstimate: async () => ({ usageBytes: 1, quotaBytes: 2, persisted: false }),
		requestPersistence: async () => true
	});
	state.useDerivedModels(port);
	states.push(state);
	local.cache.set('Base', 100).set('d1', 5).set('d2', 5).set('Other', 7);
	return { state, local, removed };
}

test('deleting a base that derived models use asks first; cancel keeps everything', async () => {
	const { state, local, removed } = build();
	await state.start();
	await state.deleteCached('Base');
	expect(state.pendingDelete?.question).toBe(
		"2 derived models use this base's files (Base + LoRA aaaaaaaa, Base + LoRA bbbbbbbb): delete them too?"
	);
	expect(state.deleteNotice).toBe(state.pendingDelete?.question);
	expect(local.deleted).toEqual([]);
	expect(removed).toEqual([]);
	state.cancelDelete();
	expect(state.pendingDelete).toBeNull();
	expect(state.cached.map((c) => c.id)).toEqual(['Base', 'd1', 'd2', 'Other']);
});

test('confirm deletes the derived models, then the base, and says so', async () => {
	const { state, local, removed } = build();
	await state.start();
	await state.deleteCached('Base');
	await state.confirmDelete();
	expect(removed).toEqual(['d1', 'd2']);
	expect(local.deleted).toEqual(['Base']);
	expect(state.pendingDelete).toBeNull();
	expect(state.deleteNotice).toBe('Also deleted Base + LoRA aaaaaaaa, Base + LoRA bbbbbbbb: they read their weights from Base.');
	expect(state.cached.map((c) => c.id)).toEqual(['Other']);
	// a model nobody depends on goes at once
	await state.deleteCached('Other');
	expect(local.deleted).toEqual(['Base', 'Other']);
	expect(state.pendingDelete).toBeNull();
});

test('a derived model whose base shards are missing is refused before loading', async () => {
	const { state, local } = build(new Set(['d1']));
	await state.start();
	await state.load('d1');
	expect(state.loadError?.message).toMatch(/reads its untouched weights from Base, which is no longer downloaded/);
	expect(local.pending).toEqual([]);
	expect(state.loadedModelId).toBeNull();
	expect(state.loadingModelId).toBeNull();
});
