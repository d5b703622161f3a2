// Reading test set files whose column names collide with JavaScript object internals, files in formats
// the app does not read (YAML, spreadsheets), and files that would produce a flood of warnings.
import { describe, expect, it } from 'vitest';
import { MAX_LISTED, parseTestSetFile, type ParsedTestSet, type TestSetError } from '../../../src/domain/testsets/index.ts';

function ok(name: string, text: string): ParsedTestSet {
	const r = parseTestSetFile(name, text);
	if ('errors' in r) throw new Error(`expected a test set, got errors: ${JSON.stringify(r.errors)}`);
	return r;
}

function bad(name: string, text: string): TestSetError[] {
	const r = parseTestSetFile(name, text);
	if (!('errors' in r)) throw new Error('expected errors, got a test set');
	return r.errors;
}

describe('column names that are also names of object internals', () => {
	it('reads columns called "constructor" and "toString" like any other, missing ones included', () => {
		const set = ok('t.jsonl', '{"constructor": "x", "toString": "y", "q": "a"}\n{"q": "b"}\n');
		expect(set.columns).toEqual(['constructor', 'toString', 'q']);
		expect(set.items[1]).toEqual({ vars: { constructor: '', toString: '', q: 'b' } });
		expect(set.warnings).toEqual([
			'line 2: column "constructor" is missing (treated as empty)',
			'line 2: column "toString" is missing (treated as empty)'
		]);
	});

	it('does not take an inherited "expected" for the expected output', () => {
		expect(ok('t.json', '[{"q": "a"}]').items).toEqual([{ vars: { q: 'a' } }]);
	});

	it('refuses a column named "__proto__" in CSV and in JSON instead of dropping it silently', () => {
		expect(bad('t.csv', '__proto__,q\nx,a\n')).toEqual([{ line: 1, message: expect.stringContaining('"__proto__"') }]);
		expect(bad('t.jsonl', '{"__proto__": "x", "q": "a"}\n')).toEqual([{ line: null, message: expect.stringContaining('"__proto__"') }]);
	});
});

describe('files in formats that are not read', () => {
	it("refuses YAML (promptfoo's usual format) with a way out instead of reading it as CSV", () => {
		const errors = bad('promptfooconfig.yaml', 'tests:\n  - vars:\n      q: a\n');
		expect(errors).toEqual([{ line: null, message: expect.stringMatching(/^YAML files are not read: save .* as JSON/) }]);
		expect(bad('t.yml', 'a: 1\n')[0].message).toMatch(/^YAML/);
	});

	it('refuses spreadsheets, asking for CSV', () => {
		expect(bad('sheet.xlsx', 'PK\u0003\u0004')[0].message).toContain('save the sheet as CSV');
	});
});

describe('a flood of warnings', () => {
	it('lists the first 50 and counts the rest: 10,000 rows × 99 empty cells give 50 + "…and 989,950 more"', () => {
		const header = Array.from({ length: 100 }, (_, i) => `c${i}`).join(',');
		const text = header + '\n' + ('a' + ','.repeat(99) + '\n').repeat(10_000);
		const set = ok('t.csv', text);
		expect(set.items).toHaveLength(10_000);
		expect(set.warnings).toHaveLength(MAX_LISTED + 1);
		expect(set.warnings[0]).toBe('line 2: column "c1" is empty');
		// 10,000 × 99 = 990,000 empty cells, 50 listed
		expect(set.warnings[MAX_LISTED]).toBe('…and 989950 more');
	});

	it('names a missing promptfoo vars object in words', () => {
		expect(bad('t.json', '[{"vars": {"q": "a"}}, {"q": "b"}]')[0].message).toContain('(got nothing)');
	});
});
