// Parsing result and vote lines: accepted shapes, blank lines, and each kind of bad line refused with
// its 1-based line number and a reason in words; the line-length and line-count bounds.
import { describe, expect, it } from 'vitest';
import { MAX_LINES, parseResultsJsonl, ResultsReader, StatsInputError } from '../../../src/domain/stats/parse-jsonl.ts';

function errorOf(text: string): StatsInputError {
	try {
		parseResultsJsonl(text);
	} catch (e) {
		if (e instanceof StatsInputError) return e;
		throw e;
	}
	throw new Error('expected a StatsInputError');
}

describe('parseResultsJsonl', () => {
	it('reads result and vote lines, skips blank lines and CRLF endings, and treats a missing pass or score as null', () => {
		const text = [
			'{"item": "q1", "variant": "base", "pass": true, "score": 0.5}',
			'',
			'   ',
			'{"item": "q1", "variant": "tuned", "score": 1}\r',
			'{"item": "q1", "a": "base", "b": "tuned", "winner": "both-bad"}',
			''
		].join('\n');
		expect(parseResultsJsonl(text)).toEqual({
			rows: [
				{ item: 'q1', variant: 'base', pass: true, score: 0.5 },
				{ item: 'q1', variant: 'tuned', pass: null, score: 1 }
			],
			votes: [{ item: 'q1', a: 'base', b: 'tuned', winner: 'both-bad' }]
		});
	});

	it('names the line of malformed JSON', () => {
		const e = errorOf('{"item": "q1", "variant": "a", "pass": true}\n\n{"item": "q2", "variant": ');
		expect(e.line).toBe(3);
		expect(e.message).toMatch(/^line 3: not valid JSON/);
	});

	it('refuses a line that is not an object, or neither a result nor a vote, or both', () => {
		expect(errorOf('[1, 2]').reason).toMatch(/expected a JSON object/);
		expect(errorOf('{"item": "q1"}').reason).toMatch(/needs "variant" \(a result\) or "a", "b" and "winner"/);
		expect(errorOf('{"item": "q1", "variant": "x", "winner": "a"}').reason).toMatch(/not both/);
	});

	it('refuses unknown fields and wrong types', () => {
		expect(errorOf('{"item": "q1", "variant": "x", "pas": true}').reason).toMatch(/unknown field "pas"/);
		expect(errorOf('{"item": 3, "variant": "x"}').reason).toMatch(/"item" must be a non-empty text, got number 3/);
		expect(errorOf('{"item": "q1", "variant": ""}').reason).toMatch(/"variant" must be a non-empty text/);
		expect(errorOf('{"item": "q1", "variant": "x", "pass": "yes"}').reason).toMatch(
			/"pass" must be true, false or null, got the text "yes"/
		);
	});

	it('refuses a non-numeric or out-of-range score', () => {
		expect(errorOf('{"item": "q1", "variant": "x", "score": "0.5"}').reason).toMatch(/"score" must be a number from 0 to 1 or null/);
		expect(errorOf('{"item": "q1", "variant": "x", "score": 1.5}').reason).toMatch(/"score" 1.5 is outside 0..1/);
		expect(errorOf('{"item": "q1", "variant": "x", "score": -0.1}').reason).toMatch(/outside 0..1/);
	});

	it('refuses bad votes: same variant twice, unknown winner, a repeated vote in either orientation', () => {
		expect(errorOf('{"item": "q1", "a": "x", "b": "x", "winner": "a"}').reason).toMatch(/two different variants/);
		expect(errorOf('{"item": "q1", "a": "x", "b": "y", "winner": "A"}').reason).toMatch(/"winner" must be "a", "b", "tie" or "both-bad"/);
		const e = errorOf('{"item": "q1", "a": "x", "b": "y", "winner": "a"}\n{"item": "q1", "a": "y", "b": "x", "winner": "tie"}');
		expect(e.line).toBe(2);
		expect(e.reason).toMatch(/duplicate vote for item "q1".*first on line 1/);
	});

	it('refuses a duplicate (item, variant) row, naming both lines', () => {
		const e = errorOf(
			'{"item": "q3", "variant": "base", "pass": true}\n{"item": "q3", "variant": "tuned", "pass": true}\n{"item": "q3", "variant": "base", "pass": false}'
		);
		expect(e.line).toBe(3);
		expect(e.reason).toMatch(/^duplicate row for item "q3", variant "base" \(first on line 1\)/);
	});

	it('refuses a line longer than 1 MB', () => {
		const long = `{"item": "${'x'.repeat(1_000_001)}", "variant": "a"}`;
		const e = errorOf(`{"item": "q1", "variant": "a"}\n${long}`);
		expect(e.line).toBe(2);
		expect(e.reason).toMatch(/longer than 1 MB/);
	});

	it('refuses more than 1,000,000 lines', () => {
		const reader = new ResultsReader();
		for (let i = 1; i <= MAX_LINES; i++) reader.addLine('', i);
		expect(() => reader.addLine('', MAX_LINES + 1)).toThrow(/line 1000001: more than 1,000,000 lines; split the results/);
	});
});
