// Covers: test set repository — create with items (index = position, hash = SHA-256 of the stable
// JSON {vars, expected} computed independently here), list newest-updated first, update with a
// blank name refused, replaceTestItems in one transaction keeping the ids of unchanged items, the
// unique [testSetId+index] index, delete refused while an experiment uses the set (with its name),
// delete removing the items otherwise.
import { describe, expect, test } from 'vitest';
import { createExperiment } from '../../src/storage/repos/experiments.ts';
import {
	TestSetInUseError,
	TestSetNameError,
	TestSetNotFoundError,
	createTestSet,
	deleteTestSet,
	getTestItems,
	getTestSet,
	listTestSets,
	replaceTestItems,
	updateTestSet,
	type NewTestSet
} from '../../src/storage/repos/testsets.ts';
import { freshDb } from './fresh-db.ts';

async function sha256(text: string): Promise<string> {
	const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
	return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const input: NewTestSet = {
	name: '  Capitals ',
	columns: ['country'],
	scoring: { assertions: [{ type: 'icontains', value: '{{expected}}' }] },
	source: 'capitals.csv'
};

describe('test sets', () => {
	test('creating a set stores its items in order with content hashes', async () => {
		const db = await freshDb('testsets');
		const set = await createTestSet(db, input, [{ vars: { country: 'France' }, expected: 'Paris' }, { vars: { country: 'Peru' } }], 10);
		expect(set).toMatchObject({ name: 'Capitals', columns: ['country'], source: 'capitals.csv', createdAt: 10, updatedAt: 10 });
		expect(set).not.toHaveProperty('description');
		expect(await getTestSet(db, set.id)).toEqual(set);
		const items = await getTestItems(db, set.id);
		expect(items.map((i) => [i.index, i.vars.country, i.expected])).toEqual([
			[0, 'France', 'Paris'],
			[1, 'Peru', undefined]
		]);
		expect(items[0].hash).toBe(await sha256('{"expected":"Paris","vars":{"country":"France"}}'));
		expect(items[1].hash).toBe(await sha256('{"vars":{"country":"Peru"}}'));
		expect(items[1]).not.toHaveProperty('expected');
		db.close();
	});

	test('a blank name is refused with a message that says what to type', async () => {
		const db = await freshDb('testsets');
		await expect(createTestSet(db, { ...input, name: '  ' }, [])).rejects.toThrow(TestSetNameError);
		await expect(createTestSet(db, { ...input, name: '' }, [])).rejects.toThrow(/needs a name/);
		expect(await db.testSets.count()).toBe(0);
		db.close();
	});

	test('the list is most recently updated first and updates change fields and updatedAt', async () => {
		const db = await freshDb('testsets');
		const a = await createTestSet(db, { ...input, name: 'A' }, [], 1);
		const b = await createTestSet(db, { ...input, name: 'B' }, [], 2);
		expect((await listTestSets(db)).map((s) => s.name)).toEqual(['B', 'A']);
		await updateTestSet(db, a.id, { name: 'A2', description: 'renamed' }, 3);
		expect((await listTestSets(db)).map((s) => s.name)).toEqual(['A2', 'B']);
		expect(await getTestSet(db, a.id)).toMatchObject({ name: 'A2', description: 'renamed', updatedAt: 3 });
		await expect(updateTestSet(db, b.id, { name: ' ' })).rejects.toThrow(TestSetNameError);
		await expect(updateTestSet(db, 'nope', { name: 'x' })).rejects.toThrow(TestSetNotFoundError);
		db.close();
	});

	test('replacing items swaps them all at once; unchanged items keep their ids', async () => {
		const db = await freshDb('testsets');
		const set = await createTestSet(
			db,
			input,
			[
				{ vars: { country: 'France' }, expected: 'Paris' },
				{ vars: { country: 'Peru' }, expected: 'Lima' }
			],
			1
		);
		const [france, peru] = await getTestItems(db, set.id);
		const rows = await replaceTestItems(
			db,
			set.id,
			[
				{ vars: { country: 'Peru' }, expected: 'Lima' },
				{ vars: { country: 'Chad' }, expected: 'N’Djamena' },
				{ vars: { country: 'France' }, expected: 'Paris' }
			],
			7
		);
		const stored = await getTestItems(db, set.id);
		expect(stored).toEqual(rows);
		expect(stored.map((i) => i.vars.country)).toEqual(['Peru', 'Chad', 'France']);
		expect(stored[0].id).toBe(peru.id);
		expect(stored[2].id).toBe(france.id);
		expect([france.id, peru.id]).not.toContain(stored[1].id);
		expect(await db.testItems.count()).toBe(3);
		expect((await getTestSet(db, set.id))?.updatedAt).toBe(7);
		await expect(replaceTestItems(db, 'nope', [])).rejects.toThrow(TestSetNotFoundError);
		db.close();
	});

	test('two items of one set cannot share an index', async () => {
		const db = await freshDb('testsets');
		const set = await createTestSet(db, input, [{ vars: { country: 'France' } }]);
		const [item] = await getTestItems(db, set.id);
		await expect(db.testItems.add({ ...item, id: 'other' })).rejects.toThrow(/ConstraintError|constraint/i);
		db.close();
	});

	test('deleting a set an experiment uses is refused and names the experiment', async () => {
		const db = await freshDb('testsets');
		const set = await createTestSet(db, input, [{ vars: { country: 'France' } }]);
		await createExperiment(db, { name: 'Prompt vs LoRA', testSetId: set.id, variants: [] });
		await expect(deleteTestSet(db, set.id)).rejects.toThrow(TestSetInUseError);
		await expect(deleteTestSet(db, set.id)).rejects.toThrow(/"Prompt vs LoRA".*first/);
		expect(await getTestSet(db, set.id)).toBeDefined();
		expect(await db.testItems.count()).toBe(1);
		db.close();
	});

	test('deleting an unused set removes it and its items only', async () => {
		const db = await freshDb('testsets');
		const keep = await createTestSet(db, input, [{ vars: { country: 'Peru' } }]);
		const gone = await createTestSet(db, input, [{ vars: { country: 'France' } }, { vars: { country: 'Chad' } }]);
		await deleteTestSet(db, gone.id);
		expect(await getTestSet(db, gone.id)).toBeUndefined();
		expect(await getTestItems(db, gone.id)).toEqual([]);
		expect(await getTestItems(db, keep.id)).toHaveLength(1);
		db.close();
	});
});
