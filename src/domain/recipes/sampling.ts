// Validation of sampling settings: types and ranges, with one readable message per problem.
// Ranges follow the OpenAI chat API (which web-llm mirrors); undefined means the model's default.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import type { SamplingSettings } from '../engine/types.ts';
import { InvalidSamplingError } from './errors.ts';

/** The most stop strings we accept; OpenAI-compatible servers reject more than 4. */
export const MAX_STOP_STRINGS = 4;

interface NumberRule {
	key: keyof SamplingSettings;
	min: number;
	max: number;
	/** Whether `min` itself is allowed. */
	minInclusive: boolean;
	integer: boolean;
}

const NUMBER_RULES: NumberRule[] = [
	{ key: 'temperature', min: 0, max: 2, minInclusive: true, integer: false },
	{ key: 'topP', min: 0, max: 1, minInclusive: false, integer: false },
	{ key: 'maxTokens', min: 1, max: 1_000_000, minInclusive: true, integer: true },
	{ key: 'seed', min: 0, max: Number.MAX_SAFE_INTEGER, minInclusive: true, integer: true },
	{ key: 'presencePenalty', min: -2, max: 2, minInclusive: true, integer: false },
	{ key: 'frequencyPenalty', min: -2, max: 2, minInclusive: true, integer: false },
	{ key: 'repetitionPenalty', min: 0, max: 2, minInclusive: false, integer: false }
];

const KNOWN_KEYS = new Set<string>([...NUMBER_RULES.map((r) => r.key), 'stop']);

/** Lists every problem with the given settings; empty when they are valid. */
export function samplingProblems(input: unknown): string[] {
	if (typeof input !== 'object' || input === null || Array.isArray(input)) {
		return ['sampling settings must be an object'];
	}
	const s = input as Record<string, unknown>;
	const problems: string[] = [];
	for (const key of Object.keys(s)) {
		if (!KNOWN_KEYS.has(key)) problems.push(`${key}: unknown setting`);
	}
	for (const rule of NUMBER_RULES) {
		const value = s[rule.key];
		if (value === undefined) continue;
		const range = `${rule.minInclusive ? '[' : '('}${rule.min}, ${rule.max}]`;
		if (typeof value !== 'number' || !Number.isFinite(value)) {
			problems.push(`${rule.key}: expected a number in ${range}`);
		} else if (rule.integer && !Number.isInteger(value)) {
			problems.push(`${rule.key}: expected a whole number in ${range}, got ${value}`);
		} else if (value > rule.max || value < rule.min || (!rule.minInclusive && value === rule.min)) {
			problems.push(`${rule.key}: ${value} is outside ${range}`);
		}
	}
	const stop = s.stop;
	if (stop !== undefined) {
		if (!Array.isArray(stop) || stop.some((x) => typeof x !== 'string')) {
			problems.push('stop: expected a list of strings');
		} else if (stop.length > MAX_STOP_STRINGS) {
			problems.push(`stop: at most ${MAX_STOP_STRINGS} stop strings, got ${stop.length}`);
		} else if (stop.some((x) => x === '')) {
			problems.push('stop: stop strings must not be empty');
		}
	}
	return problems;
}

/**
 * Checks sampling settings and returns them typed.
 * @throws InvalidSamplingError listing every problem.
 */
export function validateSampling(input: unknown): SamplingSettings {
	const problems = samplingProblems(input);
	if (problems.length > 0) throw new InvalidSamplingError(problems);
	return input as SamplingSettings;
}

/** The form's name of each setting, as the messages below use it. */
export const SAMPLING_LABELS: Record<keyof SamplingSettings, string> = {
	temperature: 'Temperature',
	topP: 'Top p',
	maxTokens: 'Max tokens',
	seed: 'Seed',
	presencePenalty: 'Presence penalty',
	frequencyPenalty: 'Frequency penalty',
	repetitionPenalty: 'Repetition penalty',
	stop: 'Stop strings'
};

/** 1000000 → "1,000,000" (plain digits grouped the same way on every machine). */
function grouped(n: number): string {
	return n.toLocaleString('en-US');
}

/** The allowed values of a rule in words, e.g. "a whole number between 1 and 1,000,000". */
function allowedWords(rule: NumberRule): string {
	const kind = rule.integer ? 'a whole number' : 'a number';
	return rule.minInclusive
		? `${kind} between ${grouped(rule.min)} and ${grouped(rule.max)}`
		: `${kind} above ${grouped(rule.min)} and at most ${grouped(rule.max)}`;
}

/**
 * One plain-words message per setting that is wrong, keyed by setting, for showing next to its field:
 * e.g. maxTokens 0 → "Max tokens must be a whole number between 1 and 1,000,000 (you gave 0)."
 * Unknown keys are ignored here (the form has no field for them; samplingProblems lists them).
 */
export function samplingFieldProblems(
	input: Readonly<SamplingSettings> | Readonly<Record<string, unknown>>
): Partial<Record<keyof SamplingSettings, string>> {
	const s = input as Readonly<Record<string, unknown>>;
	const out: Partial<Record<keyof SamplingSettings, string>> = {};
	for (const rule of NUMBER_RULES) {
		const value = s[rule.key];
		if (value === undefined) continue;
		const label = SAMPLING_LABELS[rule.key];
		const bad =
			typeof value !== 'number' ||
			!Number.isFinite(value) ||
			(rule.integer && !Number.isInteger(value)) ||
			value > rule.max ||
			value < rule.min ||
			(!rule.minInclusive && value === rule.min);
		if (bad) {
			const gave = typeof value === 'number' ? ` (you gave ${value})` : '';
			out[rule.key] = `${label} must be ${allowedWords(rule)}${gave}.`;
		}
	}
	const stop = s.stop;
	if (stop !== undefined) {
		if (!Array.isArray(stop) || stop.some((x) => typeof x !== 'string')) out.stop = 'Stop strings must be text, one per line.';
		else if (stop.length > MAX_STOP_STRINGS)
			out.stop = `Give at most ${MAX_STOP_STRINGS} stop strings, one per line (you gave ${stop.length}).`;
		else if (stop.some((x) => x === '')) out.stop = 'A stop string cannot be empty.';
	}
	return out;
}

/** The message for text typed into a numeric field that is not a number at all. */
export function notANumberProblem(key: keyof SamplingSettings, text: string): string {
	const rule = NUMBER_RULES.find((r) => r.key === key);
	const allowed = rule ? allowedWords(rule) : 'a number';
	return `${SAMPLING_LABELS[key]} must be ${allowed}; "${text}" is not a number.`;
}
