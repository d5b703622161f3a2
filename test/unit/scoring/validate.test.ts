// Validation of scoring specs read from files: every problem with a path and a message in plain
// words, and a spec back that holds only the assertions that can run.
import { describe, expect, it } from 'vitest';
import { validateScoringSpec } from '../../../src/domain/scoring/validate.ts';

const messages = (spec: unknown) => validateScoringSpec(spec).errors;

describe('validateScoringSpec', () => {
	it('accepts a well-formed spec and returns it unchanged', () => {
		const spec = {
			assertions: [
				{ type: 'contains', value: 'positive', weight: 2, label: 'says positive' },
				{ type: 'not-icontains-any', value: ['sorry', 'cannot'] },
				{ type: 'regex', value: '/^yes/i' },
				{ type: 'is-json', value: { type: 'object' } },
				{ type: 'number', value: 42, tolerance: 0.5 },
				{ type: 'length', min: 1, max: 100 },
				{ type: 'rouge-l', threshold: 0.5 },
				{ type: 'levenshtein', value: '{{expected}}', threshold: 0.1, weight: 0 },
				{ type: 'equals' }
			],
			passThreshold: 0.8
		};
		expect(validateScoringSpec(spec)).toEqual({ spec, errors: [] });
	});

	it('rejects what is not an object with an assertions list', () => {
		expect(messages(null)).toEqual([{ path: '', message: 'a scoring spec must be an object with an "assertions" list, got null' }]);
		expect(messages({})).toEqual([{ path: 'assertions', message: 'the spec has no "assertions": give a list (it may be empty)' }]);
		expect(messages({ assertions: 'contains' })[0].message).toMatch(/"assertions" must be a list, got the text "contains"/);
	});

	it('names unknown assertion types and suggests the closest one', () => {
		const [e] = messages({ assertions: [{ type: 'contain', value: 'x' }] });
		expect(e.path).toBe('assertions[0].type');
		expect(e.message).toMatch(/"contain" is not an assertion type: did you mean "contains"\?/);
		expect(messages({ assertions: [{ type: 'not-regx', value: 'x' }] })[0].message).toMatch(/did you mean "not-regex"/);
		expect(messages({ assertions: [{ value: 'x' }] })[0].message).toMatch(/has no "type"/);
	});

	it('reports values of the wrong kind for the type', () => {
		expect(messages({ assertions: [{ type: 'contains', value: ['a'] }] })[0]).toEqual({
			path: 'assertions[0].value',
			message: 'the value of "contains" must be text (or left out to use the expected output), got a list'
		});
		expect(messages({ assertions: [{ type: 'contains-any', value: [] }] })[0].message).toMatch(/at least one text/);
		expect(messages({ assertions: [{ type: 'contains-all', value: ['a', { b: 1 }] }] })[0].path).toBe('assertions[0].value[1]');
		expect(messages({ assertions: [{ type: 'number', value: 'forty' }] })[0].message).toMatch(/must be a number/);
		expect(messages({ assertions: [{ type: 'length', value: 5 }] })[0].message).toMatch(/takes no value/);
	});

	it('reports negative weights, thresholds outside [0, 1] and bad tolerances', () => {
		expect(messages({ assertions: [{ type: 'contains', value: 'x', weight: -1 }] })[0]).toEqual({
			path: 'assertions[0].weight',
			message: '"weight" must be a number ≥ 0 (0 = shown but not counted), got -1'
		});
		expect(messages({ assertions: [{ type: 'rouge-l', threshold: 1.2 }] })[0].path).toBe('assertions[0].threshold');
		expect(messages({ assertions: [{ type: 'number', value: 1, tolerance: -0.1 }] })[0].message).toMatch(
			/"tolerance" must be a number ≥ 0/
		);
		expect(messages({ assertions: [], passThreshold: 2 })).toEqual([
			{ path: 'passThreshold', message: '"passThreshold" must be a number from 0 to 1 (the weighted score needed to pass), got 2' }
		]);
		expect(messages({ assertions: [], passThreshold: '0.5' })[0].message).toMatch(/got the text "0.5"/);
	});

	it('reports fields that do nothing for the type, and unknown fields', () => {
		expect(messages({ assertions: [{ type: 'contains', value: 'x', threshold: 0.5 }] })[0].message).toMatch(
			/"threshold" has no effect on "contains"/
		);
		expect(messages({ assertions: [{ type: 'contains', value: 'x', transform: 'output.trim()' }] })[0]).toMatchObject({
			path: 'assertions[0].transform'
		});
		expect(messages({ assertions: [], metric: 'x' })[0]).toMatchObject({ path: 'metric' });
	});

	it('reports length bounds that are missing, not whole numbers or reversed', () => {
		expect(messages({ assertions: [{ type: 'length' }] })[0].message).toMatch(/needs "min", "max" or both/);
		expect(messages({ assertions: [{ type: 'length', min: 2.5 }] })[0].message).toMatch(/whole number/);
		expect(messages({ assertions: [{ type: 'length', min: 10, max: 5 }] })[0].message).toBe('"min" (10) is larger than "max" (5)');
	});

	it('reports regexes RE2 cannot compile, naming the feature', () => {
		expect(messages({ assertions: [{ type: 'regex', value: '(\\w)\\1' }] })[0]).toMatchObject({
			path: 'assertions[0].value',
			message: expect.stringMatching(/backreference/)
		});
		expect(messages({ assertions: [{ type: 'not-regex', value: 'a(?=b)' }] })[0].message).toMatch(/lookahead/);
		expect(messages({ assertions: [{ type: 'regex', value: '(' }] })[0].message).toMatch(/missing closing \)/);
		// {{expected}} inside a pattern is checked with a stand-in text.
		expect(messages({ assertions: [{ type: 'regex', value: '^{{expected}}$' }] })).toEqual([]);
	});

	it('reports JSON Schemas that are not objects or cannot be used', () => {
		expect(messages({ assertions: [{ type: 'is-json', value: 'object' }] })[0].message).toMatch(/must be an object/);
		expect(messages({ assertions: [{ type: 'is-json', value: { $ref: '#/nope' } }] })[0].message).toMatch(/Unresolved \$ref/);
	});

	it('returns a spec with only the valid assertions, and every problem', () => {
		const r = validateScoringSpec({
			assertions: [{ type: 'contains', value: 'ok' }, { type: 'bogus' }, { type: 'length', min: -1 }],
			passThreshold: 7
		});
		expect(r.spec).toEqual({ assertions: [{ type: 'contains', value: 'ok' }] });
		expect(r.errors.map((e) => e.path)).toEqual(['assertions[1].type', 'assertions[2].min', 'passThreshold']);
	});
});
