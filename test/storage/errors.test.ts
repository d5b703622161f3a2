// Covers: mapStorageError / guardWrite — QuotaExceededError in its shapes (DOMException by name,
// Dexie's QuotaExceededError, wrapped as an AbortError's inner, inside a BulkError's failures)
// becomes StorageFullError with advice; other errors pass through unchanged.
import { Dexie } from 'dexie';
import { describe, expect, test } from 'vitest';
import { StorageFullError, guardWrite, mapStorageError } from '../../src/storage/errors.ts';

const domQuota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('mapStorageError', () => {
	test.each<[string, unknown]>([
		['DOMException QuotaExceededError', domQuota],
		['Dexie.QuotaExceededError', new Dexie.QuotaExceededError('full')],
		['AbortError with quota inner', new Dexie.AbortError('aborted', domQuota)],
		['BulkError with a quota failure', new Dexie.BulkError('bulk', [new Error('x'), domQuota])]
	])('%s → StorageFullError', (_label, error) => {
		const mapped = mapStorageError(error);
		expect(mapped).toBeInstanceOf(StorageFullError);
		expect((mapped as StorageFullError).cause).toBe(error);
		expect((mapped as Error).message).toMatch(/Export your history.*delete old runs.*free disk/);
	});

	test.each<[string, unknown]>([
		['ConstraintError', new DOMException('dup', 'ConstraintError')],
		['plain Error', new Error('boom')],
		['a string', 'nope'],
		['AbortError without inner', new Dexie.AbortError('aborted')]
	])('%s passes through unchanged', (_label, error) => {
		expect(mapStorageError(error)).toBe(error);
	});

	test('guardWrite rethrows quota failures as StorageFullError and returns values', async () => {
		await expect(guardWrite(() => Promise.reject(domQuota))).rejects.toBeInstanceOf(StorageFullError);
		await expect(guardWrite(() => Promise.resolve(42))).resolves.toBe(42);
	});
});
