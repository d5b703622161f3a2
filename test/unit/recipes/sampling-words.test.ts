// Covers the plain-words sampling messages shown next to each field: the allowed range in words
// (inclusive or "above"), whole numbers, grouped digits, what the user gave, stop-string limits,
// and text that is not a number. Expected strings are written out by hand from the ranges of the
// OpenAI chat API (temperature [0, 2], top_p (0, 1], max tokens [1, 1e6], penalties [-2, 2]).
import { describe, expect, test } from 'vitest';
import { notANumberProblem, samplingFieldProblems } from '../../../src/domain/recipes/index.ts';

describe('samplingFieldProblems', () => {
	test('valid settings have no messages', () => {
		expect(
			samplingFieldProblems({
				temperature: 0,
				topP: 1,
				maxTokens: 1,
				seed: 0,
				presencePenalty: -2,
				frequencyPenalty: 2,
				repetitionPenalty: 2,
				stop: ['END']
			})
		).toEqual({});
	});

	test('each out-of-range value gets a sentence naming its field and the allowed values', () => {
		expect(
			samplingFieldProblems({ maxTokens: 0, temperature: 2.5, topP: 0, repetitionPenalty: 0, presencePenalty: -3, seed: 1.5 })
		).toEqual({
			maxTokens: 'Max tokens must be a whole number between 1 and 1,000,000 (you gave 0).',
			temperature: 'Temperature must be a number between 0 and 2 (you gave 2.5).',
			topP: 'Top p must be a number above 0 and at most 1 (you gave 0).',
			repetitionPenalty: 'Repetition penalty must be a number above 0 and at most 2 (you gave 0).',
			presencePenalty: 'Presence penalty must be a number between -2 and 2 (you gave -3).',
			seed: 'Seed must be a whole number between 0 and 9,007,199,254,740,991 (you gave 1.5).'
		});
	});

	test('stop strings: at most 4, none empty', () => {
		expect(samplingFieldProblems({ stop: ['a', 'b', 'c', 'd', 'e'] })).toEqual({
			stop: 'Give at most 4 stop strings, one per line (you gave 5).'
		});
		expect(samplingFieldProblems({ stop: ['a', ''] })).toEqual({ stop: 'A stop string cannot be empty.' });
	});

	test('text that is not a number says so, with the allowed values', () => {
		expect(notANumberProblem('temperature', 'hot')).toBe('Temperature must be a number between 0 and 2; "hot" is not a number.');
	});
});
