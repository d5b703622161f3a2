// Writing a set back out (JSON Lines, CSV) and reading it again, the item hash, and the preview check
// of a test set's columns against a template's variables.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../src/domain/recipes/hash.ts';
import {
	checkAgainstTemplate,
	hashTestItem,
	parseTestSetFile,
	testSetToCsv,
	testSetToJsonl,
	type TestSetItem
} from '../../../src/domain/testsets/index.ts';

const items: TestSetItem[] = [
	{ vars: { review: 'Great, "really" great', product: 'Mug' }, expected: 'positive' },
	{ vars: { review: 'Line one\nline two', product: 'Lamp' } },
	{ vars: { review: 'Ünïcödé ✓', product: '=1+1' }, expected: 'neutral' }
];

describe('testSetToJsonl', () => {
	it('writes one flat object per line with expected last, and reads back to the same items', () => {
		const text = testSetToJsonl(items);
		expect(text.split('\n')[0]).toBe('{"review":"Great, \\"really\\" great","product":"Mug","expected":"positive"}');
		expect(text.endsWith('\n')).toBe(true);
		const back = parseTestSetFile('x.jsonl', text);
		expect(back).toEqual({ columns: ['review', 'product'], items, warnings: [] });
	});
});

describe('testSetToCsv', () => {
	it('quotes values with commas, quotes and newlines (RFC 4180), uses CRLF, and reads back to the same items', () => {
		const text = testSetToCsv(['review', 'product'], items);
		expect(text.split('\r\n')[0]).toBe('review,product,expected');
		expect(text.split('\r\n')[1]).toBe('"Great, ""really"" great",Mug,positive');
		const back = parseTestSetFile('x.csv', text);
		expect(back).toEqual({ columns: ['review', 'product'], items, warnings: [] });
	});

	it('leaves out the expected column when no item has one', () => {
		expect(testSetToCsv(['q'], [{ vars: { q: 'a' } }])).toBe('q\r\na\r\n');
	});
});

describe('hashTestItem', () => {
	it('is the SHA-256 of the stable JSON {expected, vars} with keys sorted', async () => {
		const h = await hashTestItem({ vars: { b: '2', a: '1' }, expected: 'x' });
		expect(h).toBe(await sha256Hex('{"expected":"x","vars":{"a":"1","b":"2"}}'));
		expect(h).toMatch(/^[0-9a-f]{64}$/);
	});

	it('does not depend on key order and leaves out an absent expected', async () => {
		expect(await hashTestItem({ vars: { a: '1', b: '2' }, expected: 'x' })).toBe(
			await hashTestItem({ vars: { b: '2', a: '1' }, expected: 'x' })
		);
		expect(await hashTestItem({ vars: { a: '1' } })).toBe(await sha256Hex('{"vars":{"a":"1"}}'));
	});

	it('differs when the expected output differs', async () => {
		expect(await hashTestItem({ vars: { a: '1' }, expected: 'x' })).not.toBe(await hashTestItem({ vars: { a: '1' }, expected: 'y' }));
	});

	it('matches the published SHA-256 of a known input', async () => {
		// SHA-256("abc") from FIPS 180-2, appendix B.1 — checks the helper the hash is built on
		expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
	});
});

describe('checkAgainstTemplate', () => {
	it('reports template variables without a column as errors and unused columns as a note', () => {
		const r = checkAgainstTemplate(['review', 'product', 'id'], 'Review of {{ product }}: {{review}} ({{lang}})');
		expect(r.missing).toEqual(['lang']);
		expect(r.unused).toEqual(['id']);
		expect(r.problems).toEqual([
			{ level: 'error', message: expect.stringContaining('uses {{lang}} but the test set has no column "lang"') },
			{ level: 'note', message: 'column "id" is not used by the template' }
		]);
	});

	it('has no problems when every variable has a column and every column is used', () => {
		expect(checkAgainstTemplate(['a', 'b'], '{{a}} and {{b}} and {{a}}')).toEqual({ missing: [], unused: [], problems: [] });
	});

	it('does not count a literal {{{{ as a variable', () => {
		expect(checkAgainstTemplate([], 'write {{{{x}} literally').missing).toEqual([]);
	});

	it('treats a variable with a recipe default as present', () => {
		expect(checkAgainstTemplate(['a'], '{{a}} {{tone}}', { tone: 'formal' }).missing).toEqual([]);
	});

	it('reports a malformed template as one error', () => {
		const r = checkAgainstTemplate(['a'], 'broken {{a');
		expect(r.problems).toEqual([{ level: 'error', message: expect.stringContaining('the template cannot be read') }]);
	});
});
