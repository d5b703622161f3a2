// The is-json checks: the whole output parses as JSON, and optionally satisfies a JSON Schema that
// @cfworker/json-schema interprets; broken schemas are reported, not thrown.
import { describe, expect, it } from 'vitest';
import { checkJson, schemaValidator } from '../../../src/domain/scoring/json.ts';

const SENTIMENT = {
	type: 'object',
	properties: { sentiment: { enum: ['positive', 'negative'] }, score: { type: 'number' } },
	required: ['sentiment']
};

describe('checkJson without a schema', () => {
	it('passes JSON documents, surrounding whitespace allowed', () => {
		expect(checkJson('{"a": 1}')).toEqual({ pass: true, reason: 'output is valid JSON' });
		expect(checkJson('\n  [1, 2]\n')).toMatchObject({ pass: true });
		expect(checkJson('"text"')).toMatchObject({ pass: true });
	});

	it('fails text that is not JSON, saying so', () => {
		const r = checkJson('{"a": 1,}');
		expect(r).toMatchObject({ pass: false });
		expect('reason' in r && r.reason).toMatch(/^output is not valid JSON \(/);
	});

	it('is exact: a Markdown code fence around the JSON is not JSON', () => {
		expect(checkJson('```json\n{"a": 1}\n```')).toMatchObject({ pass: false });
	});
});

describe('checkJson with a schema', () => {
	it('passes a document the schema accepts', () => {
		expect(checkJson('{"sentiment": "positive", "score": 0.9}', SENTIMENT)).toEqual({
			pass: true,
			reason: 'output is valid JSON and matches the schema'
		});
	});

	it('names the place and the rule a rejected document breaks', () => {
		const r = checkJson('{"sentiment": "meh"}', SENTIMENT);
		expect(r).toMatchObject({ pass: false });
		expect('reason' in r && r.reason).toMatch(/does not match the schema: at \/sentiment: .*positive/);
	});

	it('reports a missing required property at the top level', () => {
		const r = checkJson('{"score": 1}', SENTIMENT);
		expect('reason' in r && r.reason).toMatch(/at the top level: .*required property "sentiment"/);
	});

	it('gives an error, not a throw, for a schema that is not an object', () => {
		expect(checkJson('{}', ['type', 'object'])).toEqual({ error: expect.stringMatching(/must be an object.*got a list/) });
		expect(checkJson('{}', 'object')).toEqual({ error: expect.stringMatching(/must be an object.*got string/) });
	});

	it('gives an error for a schema whose $ref cannot be resolved', () => {
		expect(checkJson('{}', { $ref: '#/$defs/missing' })).toEqual({ error: expect.stringMatching(/cannot be used: Unresolved \$ref/) });
	});
});

describe('schemaValidator', () => {
	it('builds one validator per schema object', () => {
		const schema = { type: 'string' };
		expect(schemaValidator(schema)).toBe(schemaValidator(schema));
	});

	it('follows the draft named in $schema', () => {
		// Draft 4's boolean exclusiveMaximum: 10 is not < 10.
		const v = schemaValidator({ $schema: 'http://json-schema.org/draft-04/schema#', maximum: 10, exclusiveMaximum: true });
		expect(v.ok && v.validator.validate(10).valid).toBe(false);
		expect(v.ok && v.validator.validate(9).valid).toBe(true);
	});
});
