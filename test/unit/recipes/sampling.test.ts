// Covers: validateSampling / samplingProblems — accepted settings, each range edge, wrong types,
// unknown keys, stop-string rules, and that every problem is listed.
import { describe, expect, test } from 'vitest';
import { InvalidSamplingError, MAX_STOP_STRINGS, samplingProblems, validateSampling } from '../../../src/domain/recipes/index.ts';

describe('validateSampling', () => {
	test.each([
		[{}],
		[{ temperature: 0, topP: 1, maxTokens: 1, seed: 0 }],
		[{ temperature: 2, presencePenalty: -2, frequencyPenalty: 2, repetitionPenalty: 2 }],
		[{ stop: ['\n\n', '###'] }]
	])('accepts %j unchanged', (s) => {
		expect(validateSampling(s)).toBe(s);
	});

	test.each([
		[{ temperature: -0.1 }, 'temperature'],
		[{ temperature: 2.01 }, 'temperature'],
		[{ topP: 0 }, 'topP'],
		[{ topP: 1.5 }, 'topP'],
		[{ maxTokens: 0 }, 'maxTokens'],
		[{ maxTokens: 10.5 }, 'maxTokens'],
		[{ seed: -1 }, 'seed'],
		[{ seed: 1.5 }, 'seed'],
		[{ presencePenalty: 3 }, 'presencePenalty'],
		[{ frequencyPenalty: -2.5 }, 'frequencyPenalty'],
		[{ repetitionPenalty: 0 }, 'repetitionPenalty'],
		[{ temperature: '0.7' }, 'temperature'],
		[{ temperature: Number.NaN }, 'temperature'],
		[{ stop: 'END' }, 'stop'],
		[{ stop: [''] }, 'stop'],
		[{ stop: Array.from({ length: MAX_STOP_STRINGS + 1 }, (_, i) => `s${i}`) }, 'stop'],
		[{ topK: 40 }, 'topK']
	])('rejects %j naming %s', (s, key) => {
		expect(() => validateSampling(s)).toThrow(InvalidSamplingError);
		const problems = samplingProblems(s);
		expect(problems).toHaveLength(1);
		expect(problems[0].startsWith(`${key}:`)).toBe(true);
	});

	test('lists every problem, not just the first', () => {
		const problems = samplingProblems({ temperature: 9, topP: 0, stop: [1] });
		expect(problems.map((p) => p.split(':')[0])).toEqual(['temperature', 'topP', 'stop']);
	});

	test.each([[null], [[]], ['x'], [3]])('rejects a non-object %j', (s) => {
		expect(samplingProblems(s)).toEqual(['sampling settings must be an object']);
	});
});
