// One assertion on one output: every type passing and failing, not- negation, the expected output
// standing in for `{{expected}}` and absent values, and broken assertions as error results.
import { describe, expect, it } from 'vitest';
import { firstNumber, runAssertion } from '../../../src/domain/scoring/assertions.ts';
import type { Assertion } from '../../../src/domain/scoring/types.ts';

const run = (a: Assertion, output: string, expected?: string) => runAssertion(a, 0, output, expected);

describe('equals', () => {
	it('passes only on an exact match', () => {
		expect(run({ type: 'equals', value: 'Paris' }, 'Paris')).toMatchObject({ pass: true, score: 1, reason: 'output equals "Paris"' });
		expect(run({ type: 'equals', value: 'Paris' }, 'paris')).toMatchObject({
			pass: false,
			score: 0,
			reason: 'output does not equal "Paris" (first difference at character 1)'
		});
	});

	it('does not trim, and says when whitespace is the only difference', () => {
		expect(run({ type: 'equals', value: 'Paris' }, 'Paris\n')).toMatchObject({
			pass: false,
			reason: expect.stringMatching(/only in leading or trailing whitespace/)
		});
	});
});

describe('contains and icontains', () => {
	it('contains is case-sensitive', () => {
		expect(run({ type: 'contains', value: 'positive' }, 'It is positive.')).toMatchObject({
			pass: true,
			reason: 'output contains "positive"'
		});
		expect(run({ type: 'contains', value: 'positive' }, 'It is POSITIVE.')).toMatchObject({
			pass: false,
			reason: 'output does not contain "positive"'
		});
	});

	it('icontains ignores case', () => {
		expect(run({ type: 'icontains', value: 'positive' }, 'It is POSITIVE.')).toMatchObject({ pass: true });
		expect(run({ type: 'icontains', value: 'positive' }, 'It is negative.')).toMatchObject({ pass: false });
	});

	it('accepts a number as the text to look for', () => {
		expect(run({ type: 'contains', value: 42 }, 'answer: 42')).toMatchObject({ pass: true });
	});
});

describe('contains-any / contains-all and their case-insensitive forms', () => {
	it('contains-any passes when one of the texts is present', () => {
		expect(run({ type: 'contains-any', value: ['cat', 'dog'] }, 'a dog barks')).toMatchObject({
			pass: true,
			reason: 'output contains "dog"'
		});
		expect(run({ type: 'contains-any', value: ['cat', 'dog'] }, 'a bird sings')).toMatchObject({
			pass: false,
			reason: 'output contains none of "cat", "dog"'
		});
	});

	it('contains-all names the missing texts', () => {
		expect(run({ type: 'contains-all', value: ['cat', 'dog'] }, 'cat and dog')).toMatchObject({ pass: true });
		expect(run({ type: 'contains-all', value: ['cat', 'dog', 'cow'] }, 'cat only')).toMatchObject({
			pass: false,
			reason: 'output is missing "dog", "cow"'
		});
	});

	it('reads one comma-separated text as a list, trimming the parts', () => {
		expect(run({ type: 'contains-all', value: 'cat, dog' }, 'cat and dog')).toMatchObject({ pass: true });
		expect(run({ type: 'contains-all', value: 'cat, dog' }, 'cat and bird')).toMatchObject({ pass: false });
	});

	it('the i- forms ignore case', () => {
		expect(run({ type: 'icontains-any', value: ['CAT'] }, 'a cat')).toMatchObject({ pass: true });
		expect(run({ type: 'contains-any', value: ['CAT'] }, 'a cat')).toMatchObject({ pass: false });
		expect(run({ type: 'icontains-all', value: ['CAT', 'Dog'] }, 'cat dog')).toMatchObject({ pass: true });
		expect(run({ type: 'icontains-all', value: ['CAT', 'cow'] }, 'cat dog')).toMatchObject({ pass: false });
	});
});

describe('starts-with', () => {
	it('compares the beginning exactly', () => {
		expect(run({ type: 'starts-with', value: 'Yes' }, 'Yes, because…')).toMatchObject({ pass: true, reason: 'output starts with "Yes"' });
		expect(run({ type: 'starts-with', value: 'Yes' }, ' Yes')).toMatchObject({ pass: false, reason: 'output does not start with "Yes"' });
	});
});

describe('regex', () => {
	it('passes when the pattern is found', () => {
		expect(run({ type: 'regex', value: '^\\d+$' }, '123')).toMatchObject({ pass: true, reason: 'output matches /^\\d+$/' });
		expect(run({ type: 'regex', value: '/^yes/i' }, 'YES sir')).toMatchObject({ pass: true, reason: 'output matches /^yes/i' });
		expect(run({ type: 'regex', value: '^\\d+$' }, '12a')).toMatchObject({ pass: false, reason: 'output does not match /^\\d+$/' });
	});

	it('turns a pattern RE2 rejects into an error result', () => {
		const r = run({ type: 'regex', value: '(a)\\1' }, 'aa');
		expect(r).toMatchObject({ pass: false, score: 0, error: expect.stringMatching(/backreference/) });
		expect(r.reason).toMatch(/^assertion error: /);
	});

	it('uses the expected output as the pattern when the value is absent', () => {
		expect(run({ type: 'regex' }, 'order 1234', '\\d{4}')).toMatchObject({ pass: true });
	});

	it('matches an expected output embedded in a larger pattern literally', () => {
		// "1.5" must not match "135" when spliced in: its dot is escaped.
		expect(run({ type: 'regex', value: '^total: {{expected}}$' }, 'total: 1.5', '1.5')).toMatchObject({ pass: true });
		expect(run({ type: 'regex', value: '^total: {{expected}}$' }, 'total: 135', '1.5')).toMatchObject({ pass: false });
	});

	it('finishes (a+)+$ on a 10,000-character output quickly', () => {
		const t0 = performance.now();
		const r = run({ type: 'regex', value: '(a+)+$' }, `${'a'.repeat(10_000)}b`);
		expect(r).toMatchObject({ pass: false, reason: 'output does not match /(a+)+$/' });
		expect(r.error).toBeUndefined();
		expect(performance.now() - t0).toBeLessThan(2000);
	});
});

describe('is-json', () => {
	it('checks the output is JSON, optionally against a schema', () => {
		expect(run({ type: 'is-json' }, '{"a":1}')).toMatchObject({ pass: true });
		expect(run({ type: 'is-json' }, 'not json')).toMatchObject({ pass: false });
		expect(run({ type: 'is-json', value: { type: 'object', required: ['a'] } }, '{"b":1}')).toMatchObject({ pass: false });
	});

	it('turns a broken schema into an error result', () => {
		expect(run({ type: 'is-json', value: { $ref: '#/nowhere' } }, '{}')).toMatchObject({
			pass: false,
			score: 0,
			error: expect.stringMatching(/\$ref/)
		});
	});
});

describe('number', () => {
	it('compares the first number in the output within the tolerance', () => {
		expect(run({ type: 'number', value: 42 }, 'The answer is 42.')).toMatchObject({
			pass: true,
			reason: 'first number in output is 42, equal to 42'
		});
		expect(run({ type: 'number', value: 42, tolerance: 0.5 }, 'about 42.4')).toMatchObject({ pass: true });
		expect(run({ type: 'number', value: 42, tolerance: 0.5 }, 'about 42.6')).toMatchObject({
			pass: false,
			reason: 'first number in output is 42.6, off by 0.6 from 42 (tolerance 0.5)'
		});
		expect(run({ type: 'number', value: 42 }, 'no idea')).toMatchObject({ pass: false, reason: 'output contains no number' });
	});

	it('keeps decimal round-off inside the tolerance (|1.1 − 1| is 0.10000000000000009 in doubles)', () => {
		expect(run({ type: 'number', value: 1, tolerance: 0.1 }, '1.1')).toMatchObject({ pass: true });
		expect(run({ type: 'number', value: 1, tolerance: 0.1 }, '1.2')).toMatchObject({ pass: false });
	});

	it('takes the target from the expected output when the value is absent', () => {
		expect(run({ type: 'number' }, 'It costs $1,250.', '1250')).toMatchObject({ pass: true });
		expect(run({ type: 'number' }, 'It costs 12', 'Answer: 13')).toMatchObject({ pass: false });
	});
});

describe('firstNumber', () => {
	it('reads signs, decimals, thousands commas and exponents', () => {
		expect(firstNumber('The answer is 42.')).toBe(42);
		expect(firstNumber('-7 degrees')).toBe(-7);
		expect(firstNumber('\u22127 degrees')).toBe(-7);
		expect(firstNumber('1,234.5 units')).toBe(1234.5);
		expect(firstNumber('about .5')).toBe(0.5);
		expect(firstNumber('3e2 m')).toBe(300);
	});

	it('does not read a hyphen glued to a word as a minus sign', () => {
		expect(firstNumber('item-3')).toBe(3);
	});

	it('is null without digits', () => {
		expect(firstNumber('none here. - e')).toBeNull();
	});
});

describe('length', () => {
	it('checks the length in characters against min and max, inclusive', () => {
		expect(run({ type: 'length', min: 3, max: 5 }, 'abc')).toMatchObject({
			pass: true,
			reason: 'output is 3 characters long, within [3, 5]'
		});
		expect(run({ type: 'length', min: 3, max: 5 }, 'abcdef')).toMatchObject({
			pass: false,
			reason: 'output is 6 characters long, longer than the maximum 5'
		});
		expect(run({ type: 'length', min: 3 }, 'ab')).toMatchObject({
			pass: false,
			reason: 'output is 2 characters long, shorter than the minimum 3'
		});
	});

	it('counts an emoji as one character', () => {
		expect(run({ type: 'length', max: 1 }, '😀')).toMatchObject({ pass: true });
	});
});

describe('rouge-l', () => {
	it('scores with the F1 and passes at or above the threshold (default 0.75)', () => {
		// Lin (2004): F1 of "police kill the gunman" against "police killed the gunman" is 3/4.
		expect(run({ type: 'rouge-l' }, 'police kill the gunman', 'police killed the gunman')).toMatchObject({
			pass: true,
			score: 0.75,
			reason: 'ROUGE-L F1 0.75 ≥ threshold 0.75'
		});
		expect(run({ type: 'rouge-l' }, 'the gunman kill police', 'police killed the gunman')).toMatchObject({ pass: false, score: 0.5 });
		expect(run({ type: 'rouge-l', value: 'the cat sat on the mat', threshold: 0.6 }, 'the cat sat')).toMatchObject({
			pass: true,
			score: expect.closeTo(2 / 3, 12)
		});
	});
});

describe('levenshtein', () => {
	it('scores 1 − normalised distance and passes at or below the threshold (default 0.2)', () => {
		// kitten → sitting: 3 edits over 7 characters = 0.4286 > 0.2
		expect(run({ type: 'levenshtein', value: 'sitting' }, 'kitten')).toMatchObject({
			pass: false,
			score: expect.closeTo(4 / 7, 12),
			reason: 'normalised edit distance 0.43 (3 edits over 7 characters) > threshold 0.2'
		});
		expect(run({ type: 'levenshtein', value: 'sitting', threshold: 0.5 }, 'kitten')).toMatchObject({ pass: true });
		// "colour" → "color": 1 edit over 6 characters = 0.1667 ≤ 0.2
		expect(run({ type: 'levenshtein' }, 'color', 'colour')).toMatchObject({ pass: true, score: expect.closeTo(5 / 6, 12) });
	});
});

describe('not- negation', () => {
	it('flips pass and gives 1 − score', () => {
		expect(run({ type: 'not-contains', value: 'sorry' }, 'Here you go.')).toMatchObject({
			pass: true,
			score: 1,
			reason: 'output does not contain "sorry"'
		});
		expect(run({ type: 'not-contains', value: 'sorry' }, 'I am sorry.')).toMatchObject({
			pass: false,
			score: 0,
			reason: 'output contains "sorry"'
		});
		expect(run({ type: 'not-rouge-l' }, 'the gunman kill police', 'police killed the gunman')).toMatchObject({ pass: true, score: 0.5 });
		expect(run({ type: 'not-levenshtein', value: 'sitting' }, 'kitten')).toMatchObject({ pass: true, score: expect.closeTo(3 / 7, 12) });
		expect(run({ type: 'not-is-json' }, 'plain text')).toMatchObject({ pass: true });
		expect(run({ type: 'not-regex', value: '\\d' }, 'abc')).toMatchObject({ pass: true });
	});

	it('does not flip an error', () => {
		expect(run({ type: 'not-regex', value: '(?=x)' }, 'abc')).toMatchObject({
			pass: false,
			score: 0,
			error: expect.stringMatching(/lookahead/)
		});
	});
});

describe('the expected output', () => {
	it('stands in for an absent value and for {{expected}}', () => {
		expect(run({ type: 'equals' }, 'Paris', 'Paris')).toMatchObject({ pass: true });
		expect(run({ type: 'contains', value: 'capital: {{expected}}' }, 'The capital: Paris.', 'Paris')).toMatchObject({ pass: true });
		expect(run({ type: 'icontains-any', value: ['{{expected}}', 'unknown'] }, 'PARIS', 'paris')).toMatchObject({ pass: true });
	});

	it('missing when needed gives an error result that says what to do', () => {
		const r = run({ type: 'contains' }, 'anything');
		expect(r).toMatchObject({ pass: false, score: 0 });
		expect(r.error).toMatch(/this item has none: give the assertion a value or add an expected output/);
		expect(run({ type: 'rouge-l', value: '{{expected}}' }, 'x').error).toMatch(/has none/);
	});
});

describe('broken assertions', () => {
	it('give error results carrying the index, type and label', () => {
		const r = runAssertion({ type: 'containz' as never, label: 'typo' }, 3, 'x', undefined);
		expect(r).toMatchObject({
			index: 3,
			type: 'containz',
			label: 'typo',
			pass: false,
			score: 0,
			error: expect.stringMatching(/did you mean "contains"/)
		});
		expect(run({ type: 'length' }, 'x').error).toMatch(/needs "min", "max" or both/);
		expect(run({ type: 'rouge-l', threshold: 2 }, 'x', 'x').error).toMatch(/"threshold" must be a number from 0 to 1/);
	});
});
