// Covers messagesProblem: a recipe whose user turn would be empty (no template, or only
// whitespace, with or without a system prompt and examples) cannot be sent; any text can.
import { describe, expect, test } from 'vitest';
import { EMPTY_USER_MESSAGE, buildMessages, messagesProblem, type RecipeContent } from '../../../src/domain/recipes/index.ts';

const blank: RecipeContent = { system: '', examples: [], template: '', sampling: {}, variableDefaults: {} };

describe('messagesProblem', () => {
	test('an empty template with no system prompt or examples gives an empty user message, which is refused', () => {
		const messages = buildMessages(blank);
		expect(messages).toEqual([{ role: 'user', content: '' }]);
		expect(messagesProblem(messages)).toBe(EMPTY_USER_MESSAGE);
		expect(EMPTY_USER_MESSAGE).toMatch(/user message is empty/);
	});

	test('whitespace only is empty too, even after a system prompt and an example', () => {
		const messages = buildMessages({ ...blank, system: 'Be brief.', examples: [{ user: 'Q', assistant: 'A' }], template: ' \n\t ' });
		expect(messages).toHaveLength(4);
		expect(messagesProblem(messages)).toBe(EMPTY_USER_MESSAGE);
	});

	test('a variable filled with blanks leaves the message empty', () => {
		expect(messagesProblem(buildMessages({ ...blank, template: '{{text}}' }, { text: '   ' }))).toBe(EMPTY_USER_MESSAGE);
	});

	test('any visible text can be sent', () => {
		expect(messagesProblem(buildMessages({ ...blank, template: '.' }))).toBeNull();
		expect(messagesProblem([{ role: 'user', content: ' hi ' }])).toBeNull();
	});

	test('no messages, or a last turn that is not the user\u2019s, is refused', () => {
		expect(messagesProblem([])).toBe(EMPTY_USER_MESSAGE);
		expect(messagesProblem([{ role: 'assistant', content: 'A' }])).toBe(EMPTY_USER_MESSAGE);
	});
});
