// Covers openAiSamplingFields: each setting lands on its snake_case OpenAI field, unset settings
// stay undefined (and vanish from the JSON body), and an empty stop list is left out.
import { describe, expect, test } from 'vitest';
import { openAiSamplingFields } from '../../../src/domain/engine/index.ts';

describe('openAiSamplingFields', () => {
	test('maps every setting to its OpenAI field', () => {
		expect(
			openAiSamplingFields({
				temperature: 0.7,
				topP: 0.9,
				maxTokens: 64,
				seed: 3,
				presencePenalty: 0.1,
				frequencyPenalty: 0.2,
				repetitionPenalty: 1.1,
				stop: ['\n\n']
			})
		).toEqual({
			temperature: 0.7,
			top_p: 0.9,
			max_tokens: 64,
			seed: 3,
			presence_penalty: 0.1,
			frequency_penalty: 0.2,
			repetition_penalty: 1.1,
			stop: ['\n\n']
		});
	});

	test.each([
		['no settings', {}, '{}'],
		['an empty stop list', { stop: [] }, '{}'],
		['only a temperature', { temperature: 0 }, '{"temperature":0}']
	])('%s → JSON body %s', (_label, settings, json) => {
		expect(JSON.stringify(openAiSamplingFields(settings))).toBe(json);
	});
});
