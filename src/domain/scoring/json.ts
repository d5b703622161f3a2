// The is-json assertion's checks: the output parses as JSON and, optionally, satisfies a JSON Schema.
// Schemas are interpreted by @cfworker/json-schema (no code generation, no eval), and each schema
// object's validator is built once.
// Pure TypeScript plus @cfworker/json-schema: no svelte, dexie, DOM, web-llm or node: imports.
import { Validator, type Schema } from '@cfworker/json-schema';

export type SchemaValidator = { ok: true; validator: Validator } | { ok: false; error: string };

const validators = new WeakMap<object, SchemaValidator>();

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A validator for a JSON Schema object (draft 2020-12 unless the schema's `$schema` says 4, 7 or
 * 2019-09), built once per schema object. Never throws: a schema that is not an object, or whose
 * `$ref`s cannot be resolved, gives `{ ok: false, error }`.
 */
export function schemaValidator(schema: unknown): SchemaValidator {
	if (!isPlainObject(schema))
		return {
			ok: false,
			error: `the JSON Schema must be an object (like {"type": "object"}), got ${Array.isArray(schema) ? 'a list' : typeof schema}`
		};
	const known = validators.get(schema);
	if (known) return known;
	let made: SchemaValidator;
	try {
		const id = typeof schema.$schema === 'string' ? schema.$schema : '';
		const draft = /draft-04/.test(id) ? '4' : /draft-07/.test(id) ? '7' : /2019-09/.test(id) ? '2019-09' : '2020-12';
		const validator = new Validator(schema as Schema, draft, false);
		// A first run resolves the root's references, so a dangling $ref is reported here.
		validator.validate(null);
		made = { ok: true, validator };
	} catch (e) {
		made = { ok: false, error: `the JSON Schema cannot be used: ${firstLine(e)}` };
	}
	validators.set(schema, made);
	return made;
}

function firstLine(e: unknown): string {
	return (e instanceof Error ? e.message : String(e)).split('\n')[0].trim();
}

export type JsonCheck = { pass: boolean; reason: string } | { error: string };

/**
 * Whether the whole output (surrounding whitespace ignored) is JSON and, when a schema is given,
 * valid against it. The reason names the first problem (parse error, or the schema rule and the
 * place in the document that broke it). A broken schema gives `{ error }`.
 */
export function checkJson(output: string, schema?: unknown): JsonCheck {
	let validator: Validator | undefined;
	if (schema !== undefined) {
		const sv = schemaValidator(schema);
		if (!sv.ok) return { error: sv.error };
		validator = sv.validator;
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(output);
	} catch (e) {
		return { pass: false, reason: `output is not valid JSON (${firstLine(e)})` };
	}
	if (!validator) return { pass: true, reason: 'output is valid JSON' };
	let result;
	try {
		result = validator.validate(parsed);
	} catch (e) {
		return { error: `the JSON Schema cannot be used: ${firstLine(e)}` };
	}
	if (result.valid) return { pass: true, reason: 'output is valid JSON and matches the schema' };
	// cfworker lists an enclosing keyword ("properties") before the failures inside it: report the
	// first failure that has nothing deeper under it.
	const errors = result.errors;
	const leaf = errors.find((e) => !errors.some((o) => o.keywordLocation.startsWith(`${e.keywordLocation}/`))) ?? errors[0];
	const where = leaf.instanceLocation === '#' ? 'the top level' : leaf.instanceLocation.slice(1);
	return { pass: false, reason: `output is valid JSON but does not match the schema: at ${where}: ${leaf.error}` };
}
