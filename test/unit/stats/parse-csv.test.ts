// Parsing results and votes CSV: both headers (any column order, pass/score optional), quoted values
// spanning lines, blank lines, CRLF and a BOM, the formula-guard apostrophe stripped; every bad row
// refused with its 1-based starting line and a reason in words; the line-count and row-length bounds.
import { describe, expect, it } from 'vitest';
import { guardFormula, MAX_LINES, parseResultsCsv, StatsInputError, unguardFormula } from '../../../src/domain/stats/index.ts';

function errorOf(text: string): StatsInputError {
	try {
		parseResultsCsv(text);
	} catch (e) {
		if (e instanceof StatsInputError) return e;
		throw e;
	}
	throw new Error('expected a StatsInputError');
}

describe('parseResultsCsv', () => {
	it('reads a results file with empty pass and score as null, TRUE/FALSE in any case, CRLF and a BOM', () => {
		const text = '\uFEFFitem,variant,pass,score\r\nq1,base,true,0.5\r\n\r\nq1,tuned,,1\r\nq2,base,FALSE,\r\nq2,tuned,False,0\r\n';
		expect(parseResultsCsv(text)).toEqual({
			rows: [
				{ item: 'q1', variant: 'base', pass: true, score: 0.5 },
				{ item: 'q1', variant: 'tuned', pass: null, score: 1 },
				{ item: 'q2', variant: 'base', pass: false, score: null },
				{ item: 'q2', variant: 'tuned', pass: false, score: 0 }
			],
			votes: []
		});
	});

	it('reads columns in any order, and a header without pass or score', () => {
		expect(parseResultsCsv('score,variant,item\n0.25,b,q1\n').rows).toEqual([{ item: 'q1', variant: 'b', pass: null, score: 0.25 }]);
	});

	it('reads a votes file', () => {
		expect(parseResultsCsv('item,a,b,winner\nq1,base,tuned,a\nq2,tuned,base,both-bad\nq3,base,tuned,tie\n')).toEqual({
			rows: [],
			votes: [
				{ item: 'q1', a: 'base', b: 'tuned', winner: 'a' },
				{ item: 'q2', a: 'tuned', b: 'base', winner: 'both-bad' },
				{ item: 'q3', a: 'base', b: 'tuned', winner: 'tie' }
			]
		});
	});

	it('keeps quoted commas, quotes and line breaks, and strips the formula guard', () => {
		const text = 'item,variant,pass,score\n"a, ""b""\nc","\'=SUM(A1)",true,\n"\'\'quoted",\'-x,false,\n';
		expect(parseResultsCsv(text).rows).toEqual([
			{ item: 'a, "b"\nc', variant: '=SUM(A1)', pass: true, score: null },
			{ item: "'quoted", variant: '-x', pass: false, score: null }
		]);
	});

	it('names the line a row starts on, counting line breaks inside quoted values and blank lines', () => {
		const e = errorOf('item,variant,pass\n"q\n1",a,true\n\nq2,a,maybe\n');
		expect(e.line).toBe(5);
		expect(e.message).toBe('line 5: "pass" must be true, false or empty, got the text "maybe"');
	});

	it('refuses a non-numeric or out-of-range score', () => {
		expect(errorOf('item,variant,score\nq1,a,abc\n').reason).toBe('"score" must be a number from 0 to 1 or empty, got the text "abc"');
		expect(errorOf('item,variant,score\nq1,a,1.5\n').reason).toBe('"score" 1.5 is outside 0..1');
		expect(errorOf('item,variant,score\nq1,a,-0.5\n').reason).toBe('"score" -0.5 is outside 0..1');
		expect(errorOf('item,variant,score\nq1,a,0x1\n').reason).toMatch(/must be a number/);
		expect(errorOf('item,variant,score\nq1,a,Infinity\n').reason).toMatch(/must be a number/);
	});

	it('refuses duplicate rows and votes, naming the first line', () => {
		const e = errorOf('item,variant,pass\nq1,a,true\nq2,a,true\nq1,a,false\n');
		expect(e.line).toBe(4);
		expect(e.reason).toBe('duplicate row for item "q1", variant "a" (first on line 2); keep one row per item and variant');
		// (a, b) and (b, a) on one item are the same pair
		expect(errorOf('item,a,b,winner\nq1,x,y,a\nq1,y,x,b\n').reason).toMatch(
			/^duplicate vote for item "q1" between "y" and "x" \(first on line 2\)/
		);
	});

	it('refuses bad headers, short rows, empty names, a bad winner and a vote of a variant against itself', () => {
		expect(errorOf('item,variant,pas\nq1,a,true\n')).toMatchObject({
			line: 1,
			reason: expect.stringMatching(/^unknown column "pas" in the header/)
		});
		expect(errorOf('item,variant,item\n').reason).toMatch(/names column "item" twice/);
		expect(errorOf('variant,pass\na,true\n').reason).toMatch(/no "item" column/);
		expect(errorOf('item,a,b\n').reason).toMatch(/no "winner" column/);
		expect(errorOf('item,variant,pass,score\nq1,a,true\n')).toMatchObject({
			line: 2,
			reason: expect.stringMatching(/has 3 values but the header has 4/)
		});
		expect(errorOf('item,variant\n,a\n').reason).toBe('"item" must be a non-empty text, got an empty cell');
		expect(errorOf('item,a,b,winner\nq1,x,y,draw\n').reason).toBe('"winner" must be a, b, tie or both-bad, got the text "draw"');
		expect(errorOf('item,a,b,winner\nq1,x,x,a\n').reason).toMatch(/two different variants, got "x" twice/);
	});

	it('refuses an unclosed or stray quote on the line the row starts', () => {
		expect(errorOf('item,variant\nq1,a\nq2,"open\n')).toMatchObject({ line: 3, reason: expect.stringMatching(/never closed|stray quote/) });
		expect(errorOf('item,variant\nq1,"a"b\n')).toMatchObject({ line: 2, reason: expect.stringMatching(/stray quote/) });
	});

	it('reads a header-only file as no rows, and refuses rows over 1 MB and too many lines', () => {
		expect(parseResultsCsv('item,variant,pass,score\n')).toEqual({ rows: [], votes: [] });
		expect(errorOf(`item,variant\nq1,${'x'.repeat(1_000_001)}\n`)).toMatchObject({
			line: 2,
			reason: expect.stringMatching(/longer than 1 MB/)
		});
		const many = 'item,variant\n' + '\n'.repeat(MAX_LINES) + 'q1,a\n';
		expect(errorOf(many)).toMatchObject({ line: MAX_LINES + 1, reason: expect.stringMatching(/more than 1,000,000 lines/) });
	});
});

describe('formula guard', () => {
	it('adds an apostrophe before = + - @ tab CR and apostrophe, and unguard gives the text back', () => {
		for (const text of ['=1+1', '+1', '-x', '@SUM', '\tx', '\rx', "'", "'=x", "''", 'plain', '', 'a=b']) {
			const guarded = guardFormula(text);
			expect(unguardFormula(guarded)).toBe(text);
			expect(/^[=+\-@\t\r]/.test(guarded)).toBe(false);
		}
		expect(guardFormula('=1')).toBe("'=1");
		expect(guardFormula('a=b')).toBe('a=b');
		// text not written by the app keeps a lone leading apostrophe
		expect(unguardFormula("'abc")).toBe("'abc");
	});
});
