// Assertions a test set scores outputs with, in promptfoo's vocabulary where it has one, and what
// scoring an output yields. Pure types: no svelte, dexie, DOM, worker or web-llm imports.

/** Base assertion types; each may be negated with a `not-` prefix (e.g. `not-contains`). */
export const BASE_ASSERTION_TYPES = [
	'equals',
	'contains',
	'icontains',
	'contains-any',
	'icontains-any',
	'contains-all',
	'icontains-all',
	'regex',
	'starts-with',
	'is-json',
	'number',
	'length',
	'rouge-l',
	'levenshtein'
] as const;
export type BaseAssertionType = (typeof BASE_ASSERTION_TYPES)[number];
export type AssertionType = BaseAssertionType | `not-${BaseAssertionType}`;

/**
 * One check on an output.
 * - equals / contains / icontains / starts-with / regex: `value` is a string; `{{expected}}` or an
 *   absent value means the item's expected output.
 * - *-any / *-all: `value` is a list of strings (or one comma-separated string).
 * - is-json: optional `value` is a JSON Schema object the parsed output must satisfy.
 * - number: the first number in the output equals `value` (number, or absent = expected) within
 *   `tolerance` (absolute, default 0).
 * - length: output length in characters within [`min`, `max`].
 * - rouge-l: ROUGE-L F1 against `value` or the expected output ≥ `threshold` (default 0.75).
 * - levenshtein: edit distance to `value` or expected, normalised by the longer length, ≤ `threshold`
 *   (default 0.2); its score is 1 − normalised distance.
 */
export interface Assertion {
	type: AssertionType;
	value?: string | string[] | number | Record<string, unknown>;
	threshold?: number;
	tolerance?: number;
	min?: number;
	max?: number;
	/** Weight in the item's score (default 1; 0 = informational only). */
	weight?: number;
	/** Shown instead of the type in the results. */
	label?: string;
}

/** The assertions of a test set and how they combine into a pass. */
export interface ScoringSpec {
	assertions: Assertion[];
	/** Pass when the weighted score ≥ threshold; absent = every weighted assertion must pass. */
	passThreshold?: number;
}

export interface AssertionResult {
	/** Index in ScoringSpec.assertions. */
	index: number;
	type: AssertionType;
	pass: boolean;
	/** 0..1 */
	score: number;
	/** Why it passed or failed, in words. */
	reason: string;
	/** Set when the assertion itself is broken (bad regex, bad schema): then pass is false, score 0. */
	error?: string;
	/** The weight it counted with (0 = informational); set by scoreOutput. */
	weight?: number;
	/** The assertion's label, when it has one. */
	label?: string;
}

/** One problem found in a scoring spec read from a file; path is like `assertions[2].value`. */
export interface ScoringSpecError {
	path: string;
	message: string;
}

/** An output's automatic score. pass/score are null when the spec has no weighted assertion. */
export interface OutputScore {
	pass: boolean | null;
	score: number | null;
	results: AssertionResult[];
}
