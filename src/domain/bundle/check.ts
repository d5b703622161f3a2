// Tiny structural checkers for untrusted JSON: each takes (value, path) and throws a BundleError
// naming the path of the first problem. Pure: no svelte, dexie, DOM, worker or web-llm imports.
import { BundleError } from './errors.ts';

export type Check = (value: unknown, path: string) => void;

/** A short description of a value's type for error messages. */
export function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
	if (typeof value === 'object') return 'an object';
	return `${typeof value === 'string' ? 'a string' : typeof value} ${JSON.stringify(value)}`.trim();
}

function expect(ok: boolean, path: string, what: string, value: unknown): void {
	if (!ok) throw new BundleError(path, `expected ${what}, got ${describe(value)}`);
}

export const isString: Check = (v, p) => expect(typeof v === 'string', p, 'a string', v);
export const isBoolean: Check = (v, p) => expect(typeof v === 'boolean', p, 'true or false', v);
export const isNumber: Check = (v, p) => expect(typeof v === 'number' && Number.isFinite(v), p, 'a finite number', v);
export const isNonNegativeInteger: Check = (v, p) => expect(Number.isSafeInteger(v) && (v as number) >= 0, p, 'a whole number ≥ 0', v);

export function isPlainObject(v: unknown): v is Record<string, unknown> {
	return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Any JSON object (contents not checked). */
export const isJsonObject: Check = (v, p) => expect(isPlainObject(v), p, 'an object', v);

export function oneOf(values: readonly string[]): Check {
	return (v, p) => expect(typeof v === 'string' && values.includes(v), p, `one of ${values.map((x) => `"${x}"`).join(' | ')}`, v);
}

export function arrayOf(item: Check): Check {
	return (v, p) => {
		expect(Array.isArray(v), p, 'an array', v);
		(v as unknown[]).forEach((x, i) => item(x, `${p}[${i}]`));
	};
}

/** An object whose every value passes `item` (e.g. Record<string, string>). */
export function recordOf(item: Check): Check {
	return (v, p) => {
		expect(isPlainObject(v), p, 'an object', v);
		for (const [k, x] of Object.entries(v as Record<string, unknown>)) item(x, `${p}.${k}`);
	};
}

const OPTIONAL = Symbol('optional');
type OptionalCheck = Check & { [OPTIONAL]: true };

/** Marks a field that may be absent (undefined); when present it must pass `check`. */
export function optional(check: Check): OptionalCheck {
	const wrapped = ((v: unknown, p: string) => {
		if (v !== undefined) check(v, p);
	}) as OptionalCheck;
	wrapped[OPTIONAL] = true;
	return wrapped;
}

/** An object with exactly these fields: required ones present, no unknown ones. */
export function shape(fields: Record<string, Check>): Check {
	return (v, p) => {
		expect(isPlainObject(v), p, 'an object', v);
		const o = v as Record<string, unknown>;
		for (const [key, check] of Object.entries(fields)) {
			const at = p ? `${p}.${key}` : key;
			if (!(key in o) && !(OPTIONAL in check)) throw new BundleError(at, 'missing required field');
			check(o[key], at);
		}
		for (const key of Object.keys(o)) {
			if (!(key in fields)) throw new BundleError(p ? `${p}.${key}` : key, 'unexpected field');
		}
	};
}

/** null, or a value that passes `check`. */
export function nullable(check: Check): Check {
	return (v, p) => {
		if (v !== null) check(v, p);
	};
}

/** A value that passes at least one of the checks; `what` names the alternatives for the message. */
export function anyOf(what: string, checks: readonly Check[]): Check {
	return (v, p) => {
		for (const check of checks) {
			try {
				check(v, p);
				return;
			} catch (e) {
				if (!(e instanceof BundleError)) throw e;
			}
		}
		expect(false, p, what, v);
	};
}

/** An array of exactly `items.length` values, each passing its check (e.g. a pair of ids). */
export function tupleOf(items: readonly Check[]): Check {
	return (v, p) => {
		expect(Array.isArray(v) && v.length === items.length, p, `an array of ${items.length} values`, v);
		items.forEach((check, i) => check((v as unknown[])[i], `${p}[${i}]`));
	};
}

/**
 * A tagged union: the object's `field` picks which shape checks it, e.g.
 * `tagged('source', { prebuilt: shape({...}), derived: shape({...}) })`.
 */
export function tagged(field: string, cases: Record<string, Check>): Check {
	const tags = Object.keys(cases);
	return (v, p) => {
		expect(isPlainObject(v), p, 'an object', v);
		const tag = (v as Record<string, unknown>)[field];
		const at = p ? `${p}.${field}` : field;
		if (tag === undefined) throw new BundleError(at, 'missing required field');
		oneOf(tags)(tag, at);
		cases[tag as string](v, p);
	};
}
