// Covers: adapters (metadata + blobs in one transaction, missing file error, shared files survive
// deleting one adapter), derived models (put/get/list newest first/by adapter/delete), settings
// (fallback, put, replace, delete).
import { describe, expect, test } from 'vitest';
import {
	AdapterFileMissingError,
	deleteAdapter,
	getAdapter,
	getAdapterFile,
	hasAdapterFiles,
	listAdapters,
	putAdapter
} from '../../src/storage/repos/adapters.ts';
import {
	deleteDerivedModel,
	getDerivedModel,
	listDerivedModels,
	listDerivedModelsByAdapter,
	putDerivedModel
} from '../../src/storage/repos/derived-models.ts';
import { deleteSetting, getSetting, setSetting } from '../../src/storage/repos/settings.ts';
import { makeAdapter, makeDerivedModel } from '../factories/rows.ts';
import { freshDb } from './fresh-db.ts';

const fileRef = (hash: string) => ({ name: 'adapter_model.safetensors', hash, sizeBytes: 3 });

describe('adapters', () => {
	test('stores metadata and blobs; a shared file outlives one of its adapters', async () => {
		const db = await freshDb('adapters');
		const a = makeAdapter({ id: 'a', files: [fileRef('h1'), fileRef('h2')], createdAt: 1 });
		const b = makeAdapter({ id: 'b', files: [fileRef('h2')], createdAt: 2 });
		await putAdapter(
			db,
			a,
			new Map([
				['h1', new Blob(['one'])],
				['h2', new Blob(['two'])]
			])
		);
		await putAdapter(db, b); // h2 already stored
		expect(await getAdapter(db, 'a')).toEqual(a);
		expect((await listAdapters(db)).map((x) => x.id)).toEqual(['b', 'a']);
		expect(await (await getAdapterFile(db, 'h1'))!.blob.text()).toBe('one');
		expect(await hasAdapterFiles(db, a)).toBe(true);
		await deleteAdapter(db, 'a');
		expect(await getAdapterFile(db, 'h1')).toBeUndefined();
		expect(await getAdapterFile(db, 'h2')).toBeDefined();
		db.close();
	});

	test('a listed file that is neither given nor stored is an error and nothing is written', async () => {
		const db = await freshDb('adapters');
		const a = makeAdapter({ id: 'a', files: [fileRef('h1'), fileRef('h-missing')] });
		await expect(putAdapter(db, a, new Map([['h1', new Blob(['x'])]]))).rejects.toBeInstanceOf(AdapterFileMissingError);
		expect(await db.adapters.count()).toBe(0);
		expect(await db.adapterFiles.count()).toBe(0);
		db.close();
	});
});

describe('derived models', () => {
	test('put, get, list newest first, list by adapter, delete', async () => {
		const db = await freshDb('derived');
		await putDerivedModel(db, makeDerivedModel({ id: 'd1', adapterId: 'x', createdAt: 1 }));
		await putDerivedModel(db, makeDerivedModel({ id: 'd2', adapterId: 'y', createdAt: 2 }));
		expect((await getDerivedModel(db, 'd1'))?.adapterId).toBe('x');
		expect((await listDerivedModels(db)).map((d) => d.id)).toEqual(['d2', 'd1']);
		expect((await listDerivedModelsByAdapter(db, 'y')).map((d) => d.id)).toEqual(['d2']);
		await deleteDerivedModel(db, 'd1');
		expect(await getDerivedModel(db, 'd1')).toBeUndefined();
		db.close();
	});
});

describe('settings', () => {
	test('fallback when absent, then stored values, replaced and deleted', async () => {
		const db = await freshDb('settings');
		expect(await getSetting(db, 'endpointBaseUrl', 'none')).toBe('none');
		await setSetting(db, 'endpointBaseUrl', 'http://a');
		await setSetting(db, 'endpointBaseUrl', 'http://b');
		expect(await getSetting(db, 'endpointBaseUrl', 'none')).toBe('http://b');
		await setSetting(db, 'layout', { cols: 2 });
		expect(await getSetting(db, 'layout', {})).toEqual({ cols: 2 });
		await deleteSetting(db, 'endpointBaseUrl');
		expect(await getSetting(db, 'endpointBaseUrl', null)).toBeNull();
		db.close();
	});
});
