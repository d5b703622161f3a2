// Covers: buildMessages order (system, examples as user/assistant, rendered user message), defaults vs
// values, empty system omitted, row-or-content input; estimateTokens against a naive reference;
// hashRecipeContent stability (key order, undefined) and sensitivity, checked against node:crypto.
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { ChatMessage } from '../../../src/domain/engine/types.ts';
import {
	MissingVariablesError,
	buildMessages,
	estimateTokens,
	hashRecipeContent,
	stableStringify,
	type RecipeContent
} from '../../../src/domain/recipes/index.ts';

const content: RecipeContent = {
	system: 'You are terse.',
	examples: [
		{ user: 'Q1', assistant: 'A1' },
		{ user: 'Q2', assistant: 'A2' }
	],
	template: 'Translate {{text}} into {{lang}}.',
	sampling: { temperature: 0.2 },
	variableDefaults: { lang: 'French' }
};

describe('buildMessages', () => {
	test('system, then examples as turns, then the rendered message; values beat defaults', () => {
		expect(buildMessages(content, { text: 'cat', lang: 'German' })).toEqual([
			{ role: 'system', content: 'You are terse.' },
			{ role: 'user', content: 'Q1' },
			{ role: 'assistant', content: 'A1' },
			{ role: 'user', content: 'Q2' },
			{ role: 'assistant', content: 'A2' },
			{ role: 'user', content: 'Translate cat into German.' }
		]);
	});

	test('defaults fill values not given; a version row is accepted', () => {
		const messages = buildMessages({ content }, { text: 'dog' });
		expect(messages.at(-1)).toEqual({ role: 'user', content: 'Translate dog into French.' });
	});

	test('a blank system prompt sends no system message', () => {
		const messages = buildMessages({ ...content, system: '  ', examples: [] }, { text: 'x' });
		expect(messages).toEqual([{ role: 'user', content: 'Translate x into French.' }]);
	});

	test('a missing value without default throws MissingVariablesError', () => {
		expect(() => buildMessages(content, {})).toThrow(MissingVariablesError);
	});
});

describe('estimateTokens', () => {
	// Reference written independently from the documented heuristic.
	function reference(messages: ChatMessage[]): number {
		let sum = 3;
		for (const m of messages) sum += Math.floor((Array.from(m.content).length + 3) / 4) + 4;
		return sum;
	}
	test.each([
		[[{ role: 'user', content: '' }]],
		[[{ role: 'user', content: 'abcd' }]],
		[
			[
				{ role: 'system', content: 'abcde' },
				{ role: 'user', content: 'x'.repeat(401) }
			]
		],
		[[{ role: 'user', content: 'héllo wörld 🙂' }]]
	] as ChatMessage[][][])('messages %#', (messages) => {
		expect(estimateTokens(messages)).toBe(reference(messages));
	});
	test('a string counts as one user message', () => {
		expect(estimateTokens('abcdefgh')).toBe(reference([{ role: 'user', content: 'abcdefgh' }]));
	});
});

describe('hashRecipeContent', () => {
	test('equals SHA-256 of the sorted-key JSON (checked with node:crypto)', async () => {
		const expected = createHash('sha256').update(stableStringify(content), 'utf8').digest('hex');
		expect(await hashRecipeContent(content)).toBe(expected);
		expect(expected).toMatch(/^[0-9a-f]{64}$/);
	});
	test('key order and undefined fields do not change the hash', async () => {
		const reordered = {
			variableDefaults: { lang: 'French' },
			template: content.template,
			sampling: { temperature: 0.2, seed: undefined },
			examples: content.examples,
			system: content.system
		} as RecipeContent;
		expect(await hashRecipeContent(reordered)).toBe(await hashRecipeContent(content));
	});
	test('any content change changes the hash', async () => {
		const changed = { ...content, sampling: { temperature: 0.3 } };
		expect(await hashRecipeContent(changed)).not.toBe(await hashRecipeContent(content));
	});
	test('stableStringify sorts nested keys', () => {
		expect(stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
	});
});
