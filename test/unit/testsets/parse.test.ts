// Reading test set files: CSV (quotes, newlines in values, BOM, blank lines), JSON Lines, JSON
// (array, object with assertions, promptfoo test cases), the expected-output column, and every kind of
// bad or hostile file refused whole with 1-based line numbers and reasons in words.
import { describe, expect, it } from 'vitest';
import {
	formatTestSetError,
	MAX_COLUMNS,
	MAX_FILE_BYTES,
	MAX_ITEMS,
	MAX_VALUE_CHARS,
	parseTestSetFile,
	scanJson,
	type ParsedTestSet,
	type TestSetError
} from '../../../src/domain/testsets/index.ts';

function ok(name: string, text: string): ParsedTestSet {
	const r = parseTestSetFile(name, text);
	if ('errors' in r) throw new Error(`expected a test set, got errors: ${r.errors.map(formatTestSetError).join('; ')}`);
	return r;
}

function bad(name: string, text: string): TestSetError[] {
	const r = parseTestSetFile(name, text);
	if (!('errors' in r)) throw new Error('expected errors, got a test set');
	return r.errors;
}

describe('CSV files', () => {
	it('reads a header row and data rows, with quoted commas, quoted newlines, doubled quotes and a BOM', () => {
		const text =
			'\uFEFFreview,product,expected\r\n"Great, really great",Mug,positive\r\n"Line one\r\nline two",Lamp,neutral\r\n"She said ""meh""",Desk,negative\r\n';
		const set = ok('reviews.csv', text);
		expect(set.columns).toEqual(['review', 'product']);
		expect(set.items).toEqual([
			{ vars: { review: 'Great, really great', product: 'Mug' }, expected: 'positive' },
			{ vars: { review: 'Line one\r\nline two', product: 'Lamp' }, expected: 'neutral' },
			{ vars: { review: 'She said "meh"', product: 'Desk' }, expected: 'negative' }
		]);
		expect(set.warnings).toEqual([]);
	});

	it("takes promptfoo's __expected column as the expected output and skips blank lines", () => {
		const set = ok('t.csv', 'question,__expected\n\nWhat is 2+2?,4\n\n\nCapital of France?,Paris\n');
		expect(set.columns).toEqual(['question']);
		expect(set.items).toEqual([
			{ vars: { question: 'What is 2+2?' }, expected: '4' },
			{ vars: { question: 'Capital of France?' }, expected: 'Paris' }
		]);
	});

	it('warns (without refusing) about an empty value, naming its line', () => {
		const set = ok('t.csv', 'review,expected\nfine,positive\n"",neutral\nawful,negative\n');
		expect(set.items).toHaveLength(3);
		expect(set.warnings).toEqual(['line 3: column "review" is empty']);
	});

	it('counts a quoted newline in the line numbers of later rows', () => {
		// row 1 spans lines 2-3, so the short row is on line 4
		const errors = bad('t.csv', 'a,b\n"x\ny",1\nonly-one\n');
		expect(errors).toEqual([{ line: 4, message: expect.stringContaining('has 1 value but the header (line 1) has 2 columns') }]);
	});

	it('refuses duplicate column names in the header', () => {
		const errors = bad('t.csv', 'review,review\nx,y\n');
		expect(errors).toEqual([{ line: 1, message: expect.stringContaining('"review" 2 times') }]);
	});

	it('refuses a header with no data rows, and a header cell with no name', () => {
		expect(bad('t.csv', 'review,expected\n')).toEqual([{ line: null, message: expect.stringContaining('no data rows') }]);
		expect(bad('t.csv', 'review,,expected\nx,y,z\n')[0]).toEqual({
			line: 1,
			message: expect.stringContaining('column 2 of the header has no name')
		});
	});

	it('refuses an unclosed quote', () => {
		const errors = bad('t.csv', 'a,b\n1,2\n"never closed,3\n');
		expect(errors.some((e) => e.line === 3 && e.message.includes('never closed'))).toBe(true);
	});

	it('reads tab-separated files by their .tsv extension', () => {
		expect(ok('t.tsv', 'a\tb\nx, y\tz\n').items).toEqual([{ vars: { a: 'x, y', b: 'z' } }]);
	});
});

describe('JSON Lines files', () => {
	it('reads one object per line, stringifying numbers and booleans and skipping blank lines', () => {
		const set = ok('t.jsonl', '{"q": "a", "n": 3, "flag": true, "expected": "x"}\n\n{"q": "b", "n": 1.5, "flag": false}\n');
		expect(set.columns).toEqual(['q', 'n', 'flag']);
		expect(set.items).toEqual([{ vars: { q: 'a', n: '3', flag: 'true' }, expected: 'x' }, { vars: { q: 'b', n: '1.5', flag: 'false' } }]);
	});

	it("refuses a bad line 3 with its line number and the parser's reason", () => {
		const errors = bad('t.jsonl', '{"q": "a"}\n{"q": "b"}\n{"q": oops}\n{"q": "d"}\n');
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBe(3);
		expect(formatTestSetError(errors[0])).toMatch(/^line 3: not valid JSON \(.+\)$/);
	});

	it('refuses a nested object or list as a value, naming the line and the column', () => {
		const errors = bad('t.jsonl', '{"q": "a"}\n{"q": {"deep": 1}}\n{"q": [1, 2]}\n');
		expect(errors).toEqual([
			{ line: 2, message: expect.stringContaining('column "q" holds an object') },
			{ line: 3, message: expect.stringContaining('column "q" holds a list') }
		]);
	});

	it('refuses a line that is not an object', () => {
		expect(bad('t.jsonl', '{"q": "a"}\n"just text"\n')).toEqual([{ line: 2, message: expect.stringContaining('must be an object') }]);
	});

	it('is recognised from content when the name has no known extension', () => {
		expect(ok('upload', '{"q": "a"}\n{"q": "b"}\n').items).toHaveLength(2);
	});

	it('warns about a column missing from some lines and treats it as empty', () => {
		const set = ok('t.jsonl', '{"a": "1", "b": "2"}\n{"a": "3"}\n');
		expect(set.items[1]).toEqual({ vars: { a: '3', b: '' } });
		expect(set.warnings).toEqual(['line 2: column "b" is missing (treated as empty)']);
	});
});

describe('JSON files', () => {
	it('reads an array of flat objects', () => {
		const set = ok('t.json', '[{"review": "ok", "expected": "neutral"}, {"review": "bad"}]');
		expect(set.items).toEqual([{ vars: { review: 'ok' }, expected: 'neutral' }, { vars: { review: 'bad' } }]);
		expect(set.scoring).toBeUndefined();
	});

	it('reads the object form with a name, assertions and a pass threshold', () => {
		const text = JSON.stringify({
			name: 'Reviews',
			items: [{ review: 'ok', __expected: 'neutral' }],
			assert: [{ type: 'icontains' }, { type: 'not-contains', value: 'As an AI', weight: 0.5 }],
			passThreshold: 0.8
		});
		const set = ok('t.json', text);
		expect(set.name).toBe('Reviews');
		expect(set.items).toEqual([{ vars: { review: 'ok' }, expected: 'neutral' }]);
		expect(set.scoring).toEqual({
			assertions: [{ type: 'icontains' }, { type: 'not-contains', value: 'As an AI', weight: 0.5 }],
			passThreshold: 0.8
		});
	});

	it('refuses the object form when an assertion is invalid, naming it as assert[i]', () => {
		const errors = bad('t.json', JSON.stringify({ items: [{ q: 'a' }], assert: [{ type: 'equals' }, { type: 'containz' }] }));
		expect(errors).toHaveLength(1);
		expect(errors[0].message).toMatch(/^assert\[1\]/);
	});

	it('reads promptfoo test cases: vars are the columns, __expected is the expected output, per-item assert lists are ignored with a warning', () => {
		const text =
			'[\n  {"vars": {"topic": "cats", "__expected": "meow"}},\n  {"vars": {"topic": "dogs"}, "assert": [{"type": "contains", "value": "woof"}]}\n]';
		const set = ok('tests.json', text);
		expect(set.columns).toEqual(['topic']);
		expect(set.items).toEqual([{ vars: { topic: 'cats' }, expected: 'meow' }, { vars: { topic: 'dogs' } }]);
		expect(set.warnings).toEqual([expect.stringMatching(/^line 3: per-item "assert" lists are not supported/)]);
	});

	it('names the line of each item in an array when it has a problem', () => {
		const text = '[\n{"q": "a"},\n{"q": "b"},\n{"q": {"x": 1}}\n]';
		expect(bad('t.json', text)).toEqual([{ line: 4, message: expect.stringContaining('column "q" holds an object') }]);
	});

	it('names the line of the first item that is not valid JSON', () => {
		const errors = bad('t.json', '[\n{"q": "a"},\n{"q": oops},\n{"q": "c"}\n]');
		expect(errors).toHaveLength(1);
		expect(errors[0].line).toBe(3);
		expect(errors[0].message).toMatch(/^not valid JSON \(/);
	});

	it('refuses a value given as both expected and __expected', () => {
		expect(bad('t.json', '[{"q": "a", "expected": "x", "__expected": "y"}]')[0].message).toContain('both "expected" and "__expected"');
	});

	it('refuses invalid JSON, an empty list, and a document that is neither a list nor an object with items', () => {
		expect(bad('t.json', '[{"q": "a"},]')[0].message).toMatch(/^not valid JSON \(/);
		expect(bad('t.json', '[]')[0].message).toContain('no items');
		expect(bad('t.json', '"text"')[0].message).toContain('list of items');
		expect(bad('t.json', '{"rows": []}')[0].message).toContain('"items" is missing');
	});

	it('refuses items that only hold an expected output', () => {
		expect(bad('t.json', '[{"expected": "x"}]')[0].message).toContain('no columns besides the expected output');
	});
});

describe('hostile and empty files', () => {
	it('refuses an empty or blank file', () => {
		expect(bad('t.csv', '')[0].message).toContain('empty');
		expect(bad('t.jsonl', ' \n\n\t')[0].message).toContain('empty');
		expect(bad('t.csv', '\uFEFF')[0].message).toContain('empty');
	});

	it(`refuses a file over ${MAX_FILE_BYTES} bytes of UTF-8 without parsing it`, () => {
		// 7 M characters (under the limit as UTF-16 length) of the 3-byte "€": 21,000,002 bytes > 20 MiB = 20,971,520
		const text = 'a\n' + '€'.repeat(7_000_000);
		expect(bad('t.csv', text)).toEqual([{ line: null, message: expect.stringContaining('over 20 MB') }]);
	});

	it(`refuses more than ${MAX_ITEMS} items in each format`, () => {
		const n = MAX_ITEMS + 1;
		expect(bad('t.csv', 'q\n' + 'x\n'.repeat(n))[0].message).toContain(`more than ${MAX_ITEMS}`);
		expect(bad('t.jsonl', '{"q":"x"}\n'.repeat(n))[0].message).toContain(`more than the ${MAX_ITEMS}`);
		expect(bad('t.json', '[' + Array(n).fill('{"q":"x"}').join(',') + ']')[0].message).toContain(`more than the ${MAX_ITEMS}`);
	});

	it('accepts exactly the item limit', () => {
		expect(ok('t.csv', 'q\n' + 'x\n'.repeat(MAX_ITEMS)).items).toHaveLength(MAX_ITEMS);
	});

	it(`refuses more than ${MAX_COLUMNS} columns`, () => {
		const names = Array.from({ length: MAX_COLUMNS + 1 }, (_, i) => `c${i}`);
		expect(bad('t.csv', names.join(',') + '\n' + names.map(() => 'v').join(',') + '\n')[0].message).toContain(
			`more than the ${MAX_COLUMNS}`
		);
		const obj = Object.fromEntries(names.map((c) => [c, 'v']));
		expect(bad('t.json', JSON.stringify([obj]))[0].message).toContain(`more than ${MAX_COLUMNS} columns`);
	});

	it(`refuses a value over ${MAX_VALUE_CHARS} characters, naming line and column`, () => {
		const long = 'x'.repeat(MAX_VALUE_CHARS + 1);
		expect(bad('t.csv', `q,r\nshort,ok\nfine,${long}\n`)).toEqual([
			{ line: 3, message: expect.stringContaining(`column "r" holds ${MAX_VALUE_CHARS + 1} characters`) }
		]);
		expect(ok('t.csv', `q\n${'x'.repeat(MAX_VALUE_CHARS)}\n`).items).toHaveLength(1);
	});

	it('refuses JSON nested deeper than 20 levels, before parsing it', () => {
		const deep = '['.repeat(21) + ']'.repeat(21);
		expect(bad('t.json', deep)[0].message).toContain('nested deeper than 20');
		expect(bad('t.jsonl', '{"q": "a"}\n{"q": ' + '['.repeat(25) + ']'.repeat(25) + '}\n')).toEqual([
			{ line: 2, message: expect.stringContaining('nested deeper than 20') }
		]);
	});

	it('scans a 5 MB string of "[" quickly, stopping at the limit', () => {
		const text = '['.repeat(5 * 1024 * 1024);
		const t0 = performance.now();
		const errors = bad('t.json', text);
		const ms = performance.now() - t0;
		expect(errors[0].message).toContain('nested deeper than 20');
		expect(ms).toBeLessThan(200);
	});

	it('lists at most 50 errors and counts the rest', () => {
		const lines = Array.from({ length: 60 }, () => 'not json').join('\n');
		const errors = bad('t.jsonl', lines);
		expect(errors).toHaveLength(51);
		expect(errors[0].line).toBe(1);
		expect(errors[49].line).toBe(50);
		expect(errors[50]).toEqual({ line: null, message: '…and 10 more' });
	});
});

describe('scanJson', () => {
	it('ignores brackets inside strings, including escaped quotes', () => {
		const text = '[{"a": "[[[[\\"[[["}]';
		expect(scanJson(text, 20)).toMatchObject({ depth: 2, tooDeepAt: null, itemLines: [1], itemStarts: [1], itemsEnd: text.length - 1 });
	});

	it('records the start line of each item of the root array or of the root object\'s "items"', () => {
		expect(scanJson('[\n1,\n\n{"x": [2, 3]},\n"s"\n]', 20).itemLines).toEqual([2, 4, 5]);
		expect(scanJson('{"name": "items", "other": [9],\n"items": [\n{"q": 1},\n{"q": 2}]}', 20).itemLines).toEqual([3, 4]);
	});

	it('reports the line of the first bracket past the limit', () => {
		expect(scanJson('[\n[\n[\n[]]]]', 3)).toMatchObject({ depth: 4, tooDeepAt: 4, itemLines: [2] });
	});
});
