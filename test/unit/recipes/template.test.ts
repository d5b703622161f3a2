// Covers: extractVariables (order of first appearance, spacing, duplicates, escape), renderTemplate
// (values, missing names listed, escape, lone braces), malformed templates give TemplateSyntaxError.
import { describe, expect, test } from 'vitest';
import { MissingVariablesError, TemplateSyntaxError, extractVariables, renderTemplate } from '../../../src/domain/recipes/index.ts';

describe('extractVariables', () => {
	test.each([
		['no placeholders', 'Hello world', []],
		['one', 'Hi {{name}}', ['name']],
		['order of first appearance, once each', '{{b}} {{a}} {{b}} {{c}}', ['b', 'a', 'c']],
		['spaces inside braces', '{{ name }} and {{\tother\t}}', ['name', 'other']],
		['dots, dashes, digits, underscore', '{{user.first-name_2}} {{_x}}', ['user.first-name_2', '_x']],
		['escaped {{{{ is not a variable', 'literal {{{{name}} here', []],
		['lone closing braces are text', 'a }} b', []]
	])('%s', (_label, template, expected) => {
		expect(extractVariables(template)).toEqual(expected);
	});

	test.each([
		['unclosed', 'Hi {{name', 0 + 3],
		['empty name', 'Hi {{ }}', 3],
		['starts with a digit', '{{1abc}}', 0],
		['space inside the name', '{{first name}}', 0],
		['stray braces in the name', 'x {{a{b}}', 2]
	])('malformed: %s → TemplateSyntaxError at its offset', (_label, template, offset) => {
		let caught: unknown;
		try {
			extractVariables(template);
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(TemplateSyntaxError);
		expect((caught as TemplateSyntaxError).offset).toBe(offset);
		expect((caught as Error).message).toContain(`character ${offset}`);
	});
});

describe('renderTemplate', () => {
	test.each([
		['fills values', 'Hi {{name}}!', { name: 'Ada' }, 'Hi Ada!'],
		['spaced placeholder', 'Hi {{ name }}!', { name: 'Ada' }, 'Hi Ada!'],
		['repeated variable', '{{x}}+{{x}}', { x: '1' }, '1+1'],
		['escape gives a literal {{', '{{{{x}} is {{x}}', { x: 'v' }, '{{x}} is v'],
		['value containing braces is not re-parsed', '{{a}}', { a: '{{b}}' }, '{{b}}'],
		['empty string is a value', '[{{a}}]', { a: '' }, '[]'],
		['extra values are ignored', 'plain', { a: '1' }, 'plain']
	])('%s', (_label, template, values, expected) => {
		expect(renderTemplate(template, values)).toBe(expected);
	});

	test('a missing value lists every missing name in order of appearance', () => {
		const run = () => renderTemplate('{{b}} {{a}} {{given}} {{b}}', { given: 'x' });
		expect(run).toThrow(MissingVariablesError);
		try {
			run();
		} catch (e) {
			expect((e as MissingVariablesError).missing).toEqual(['b', 'a']);
			expect((e as Error).message).toContain('{{b}}, {{a}}');
		}
	});
});
