// Checks the shape of a scoring spec read from a file (or built by hand) before anything is scored:
// known assertion types, value types per type, weights, thresholds, regexes RE2 can compile and usable
// JSON Schemas, with a message in plain words and a path for each problem.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { schemaValidator } from './json.ts';
import { compileRegex } from './regex.ts';
import { normalizedLevenshtein } from './text.ts';
import {
	BASE_ASSERTION_TYPES,
	type Assertion,
	type AssertionType,
	type BaseAssertionType,
	type ScoringSpec,
	type ScoringSpecError
} from './types.ts';

/** The placeholder that stands for the item's expected output. */
export const EXPECTED_PLACEHOLDER = '{{expected}}';

const ASSERTION_FIELDS = ['type', 'value', 'threshold', 'tolerance', 'min', 'max', 'weight', 'label'];
const SPEC_FIELDS = ['assertions', 'passThreshold'];
const TEXT_TYPES = new Set<BaseAssertionType>(['equals', 'contains', 'icontains', 'starts-with', 'regex', 'rouge-l', 'levenshtein']);
const LIST_TYPES = new Set<BaseAssertionType>(['contains-any', 'icontains-any', 'contains-all', 'icontains-all']);
const THRESHOLD_TYPES = new Set<BaseAssertionType>(['rouge-l', 'levenshtein']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
	if (v === null) return 'null';
	if (Array.isArray(v)) return 'a list';
	if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}…` : v)}`;
	if (typeof v === 'number') return String(v);
	return `a${typeof v === 'object' ? 'n' : ''} ${typeof v}`;
}

/** Splits `not-contains` into its base type and negation; base is null for an unknown type. */
export function splitAssertionType(type: string): { base: BaseAssertionType | null; negated: boolean } {
	const negated = type.startsWith('not-');
	const name = negated ? type.slice(4) : type;
	return { base: (BASE_ASSERTION_TYPES as readonly string[]).includes(name) ? (name as BaseAssertionType) : null, negated };
}

function closestType(name: string): string | null {
	let best: string | null = null;
	let bestD = 0.34;
	const all = BASE_ASSERTION_TYPES.flatMap((t) => [t, `not-${t}`]);
	for (const t of all) {
		const d = normalizedLevenshtein(name.toLowerCase(), t);
		if (d < bestD) [best, bestD] = [t, d];
	}
	return best;
}

/** Whether a text value is a number written out, like "42" or "-1.5e3". */
export function isNumericText(v: string): boolean {
	return v.trim() !== '' && Number.isFinite(Number(v));
}

/**
 * Every problem with one assertion, as `{ path, message }` with paths under `path` (e.g.
 * `assertions[0]`). An empty list means scoreOutput can run it (it may still fail for want of an
 * expected output on an item).
 */
export function assertionProblems(a: unknown, path: string): ScoringSpecError[] {
	const errors: ScoringSpecError[] = [];
	const add = (field: string, message: string) => errors.push({ path: field ? `${path}.${field}` : path, message });
	if (!isPlainObject(a)) {
		add('', `an assertion must be an object like {"type": "contains", "value": "…"}, got ${describe(a)}`);
		return errors;
	}
	for (const key of Object.keys(a))
		if (!ASSERTION_FIELDS.includes(key)) add(key, `"${key}" is not an assertion field; the fields are ${ASSERTION_FIELDS.join(', ')}`);
	if (typeof a.type !== 'string') {
		add(
			'type',
			a.type === undefined
				? 'the assertion has no "type": give one such as "contains" or "regex"'
				: `"type" must be text such as "contains", got ${describe(a.type)}`
		);
		return errors;
	}
	const { base } = splitAssertionType(a.type);
	if (!base) {
		const near = closestType(a.type);
		add(
			'type',
			`"${a.type}" is not an assertion type${near ? `: did you mean "${near}"?` : ''} The types are ${BASE_ASSERTION_TYPES.join(', ')}, each also with a not- prefix`
		);
		return errors;
	}
	const v = a.value;
	if (TEXT_TYPES.has(base)) {
		if (v !== undefined && typeof v !== 'string' && typeof v !== 'number')
			add('value', `the value of "${a.type}" must be text (or left out to use the expected output), got ${describe(v)}`);
		if (base === 'regex' && typeof v === 'string' && v !== EXPECTED_PLACEHOLDER) {
			const compiled = compileRegex(v.split(EXPECTED_PLACEHOLDER).join('x'));
			if (!compiled.ok) add('value', compiled.error);
		}
	} else if (LIST_TYPES.has(base)) {
		if (Array.isArray(v)) {
			if (v.length === 0) add('value', `"${a.type}" needs at least one text in its list`);
			v.forEach((x, i) => {
				if (typeof x !== 'string' && typeof x !== 'number')
					add(`value[${i}]`, `each entry of "${a.type}" must be text, got ${describe(x)}`);
			});
		} else if (typeof v === 'string') {
			if (v.split(',').every((x) => x.trim() === ''))
				add('value', `"${a.type}" needs at least one text: give a list or comma-separated texts`);
		} else if (v !== undefined) {
			add('value', `the value of "${a.type}" must be a list of texts or one comma-separated text, got ${describe(v)}`);
		}
	} else if (base === 'is-json') {
		if (v !== undefined) {
			const sv = schemaValidator(v);
			if (!sv.ok) add('value', sv.error);
		}
	} else if (base === 'number') {
		if (
			v !== undefined &&
			!(typeof v === 'number' && Number.isFinite(v)) &&
			!(typeof v === 'string' && (v === EXPECTED_PLACEHOLDER || isNumericText(v)))
		)
			add('value', `the value of "number" must be a number (or left out to use the expected output), got ${describe(v)}`);
	} else if (base === 'length') {
		if (v !== undefined) add('value', '"length" takes no value: give "min" and/or "max" (in characters)');
		if (a.min === undefined && a.max === undefined) add('', '"length" needs "min", "max" or both (in characters)');
		for (const k of ['min', 'max'] as const) {
			const n = a[k];
			if (n !== undefined && !(typeof n === 'number' && Number.isInteger(n) && n >= 0))
				add(k, `"${k}" must be a whole number of characters ≥ 0, got ${describe(n)}`);
		}
		if (typeof a.min === 'number' && typeof a.max === 'number' && a.min > a.max)
			add('', `"min" (${a.min}) is larger than "max" (${a.max})`);
	}
	if (a.threshold !== undefined) {
		if (!THRESHOLD_TYPES.has(base)) add('threshold', `"threshold" has no effect on "${a.type}"; only rouge-l and levenshtein use it`);
		else if (!(typeof a.threshold === 'number' && a.threshold >= 0 && a.threshold <= 1))
			add('threshold', `"threshold" must be a number from 0 to 1, got ${describe(a.threshold)}`);
	}
	if (a.tolerance !== undefined) {
		if (base !== 'number') add('tolerance', `"tolerance" has no effect on "${a.type}"; only number uses it`);
		else if (!(typeof a.tolerance === 'number' && Number.isFinite(a.tolerance) && a.tolerance >= 0))
			add('tolerance', `"tolerance" must be a number ≥ 0, got ${describe(a.tolerance)}`);
	}
	if (base !== 'length')
		for (const k of ['min', 'max'] as const) if (a[k] !== undefined) add(k, `"${k}" has no effect on "${a.type}"; only length uses it`);
	if (a.weight !== undefined && !(typeof a.weight === 'number' && Number.isFinite(a.weight) && a.weight >= 0))
		add('weight', `"weight" must be a number ≥ 0 (0 = shown but not counted), got ${describe(a.weight)}`);
	if (a.label !== undefined && typeof a.label !== 'string') add('label', `"label" must be text, got ${describe(a.label)}`);
	return errors;
}

/**
 * Validates a scoring spec of unknown origin. Returns every problem (path + message in plain words)
 * and a spec holding only the assertions without problems (and passThreshold when it is valid), so
 * what it returns can always be scored. Never throws.
 */
export function validateScoringSpec(spec: unknown): { spec: ScoringSpec; errors: ScoringSpecError[] } {
	const errors: ScoringSpecError[] = [];
	const clean: ScoringSpec = { assertions: [] };
	if (!isPlainObject(spec)) {
		errors.push({ path: '', message: `a scoring spec must be an object with an "assertions" list, got ${describe(spec)}` });
		return { spec: clean, errors };
	}
	for (const key of Object.keys(spec))
		if (!SPEC_FIELDS.includes(key))
			errors.push({ path: key, message: `"${key}" is not a scoring spec field; the fields are assertions, passThreshold` });
	if (!Array.isArray(spec.assertions)) {
		errors.push({
			path: 'assertions',
			message:
				spec.assertions === undefined
					? 'the spec has no "assertions": give a list (it may be empty)'
					: `"assertions" must be a list, got ${describe(spec.assertions)}`
		});
	} else {
		spec.assertions.forEach((a, i) => {
			const problems = assertionProblems(a, `assertions[${i}]`);
			if (problems.length) errors.push(...problems);
			else clean.assertions.push({ ...(a as Assertion), type: (a as Assertion).type as AssertionType });
		});
	}
	const t = spec.passThreshold;
	if (t !== undefined) {
		if (typeof t === 'number' && t >= 0 && t <= 1) clean.passThreshold = t;
		else
			errors.push({
				path: 'passThreshold',
				message: `"passThreshold" must be a number from 0 to 1 (the weighted score needed to pass), got ${describe(t)}`
			});
	}
	return { spec: clean, errors };
}
