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
		} else if (
			value > rule.max ||
			value < rule.min ||
			(!rule.minInclusive && value === rule.min)
		) {
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
