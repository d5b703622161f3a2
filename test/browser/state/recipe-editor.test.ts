// Covers RecipeEditor state: a {{variable}} in the template yields a value field, the preview
// holds exactly the messages sent (system, example pairs, rendered user turn), missing values and
// malformed templates give messages instead of a preview, sampling text is parsed and validated,
// the token count is an estimate until an exact count for the same messages arrives, and dirty
// tracking after load/markSaved (a blank new recipe is clean until edited).
import { describe, expect, test } from 'vitest';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';

/** Reference estimate written independently: ceil(chars/4) + 4 per message, + 3. */
function naiveEstimate(messages: { content: string }[]): number {
	return messages.reduce((t, m) => t + Math.ceil(m.content.length / 4) + 4, 3);
}

describe('RecipeEditor', () => {
	test('variables in the template appear, in order, once each', () => {
		const e = new RecipeEditor();
		e.template = 'Translate {{text}} into {{ lang }}; again: {{text}}';
		expect(e.variables.names).toEqual(['text', 'lang']);
		expect(e.variables.error).toBeNull();
	});

	test('a malformed template reports the problem and no variables', () => {
		const e = new RecipeEditor();
		e.template = 'Hello {{name';
		expect(e.variables.names).toEqual([]);
		expect(e.variables.error).toMatch(/Unclosed/);
	});

	test('preview holds system, example pairs and the rendered user message', () => {
		const e = new RecipeEditor();
		e.system = 'Be brief.';
		e.addExample();
		e.examples[0].user = 'Q1';
		e.examples[0].assistant = 'A1';
		e.template = 'Say hi to {{who}}';
		e.values.who = 'Ada';
		expect(e.preview.error).toBeNull();
		expect(e.preview.messages).toEqual([
			{ role: 'system', content: 'Be brief.' },
			{ role: 'user', content: 'Q1' },
			{ role: 'assistant', content: 'A1' },
			{ role: 'user', content: 'Say hi to Ada' }
		]);
		expect(e.canRun).toBe(true);
	});

	test('a missing value blocks the run and names the variable; a default fills it', () => {
		const e = new RecipeEditor();
		e.template = 'Hi {{who}}';
		expect(e.preview.error).toMatch(/\{\{who\}\}/);
		expect(e.canRun).toBe(false);
		e.variableDefaults = { who: 'you' };
		expect(e.preview.messages.at(-1)?.content).toBe('Hi you');
		e.values.who = 'Bo';
		expect(e.preview.messages.at(-1)?.content).toBe('Hi Bo');
	});

	test('removing an example removes its pair from the preview', () => {
		const e = new RecipeEditor();
		e.template = 'x';
		e.addExample();
		e.addExample();
		e.examples[0].user = 'first';
		e.examples[1].user = 'second';
		e.removeExample(e.examples[0].key);
		expect(e.preview.messages.map((m) => m.content)).toEqual(['second', '', 'x']);
	});

	test.each([
		[{ temperature: '0.7', maxTokens: '64', stop: 'END\n###' }, { temperature: 0.7, maxTokens: 64, stop: ['END', '###'] }, 0],
		[{ temperature: 'hot' }, {}, 1],
		[{ temperature: '3' }, { temperature: 3 }, 1],
		[{ maxTokens: '1.5' }, { maxTokens: 1.5 }, 1],
		[{ topP: '0' }, { topP: 0 }, 1]
	])('sampling %o → %o with %i problem(s)', (input, settings, problemCount) => {
		const e = new RecipeEditor();
		e.template = 'x';
		Object.assign(e.sampling, input);
		expect(e.parsedSampling.settings).toEqual(settings);
		expect(e.parsedSampling.problems).toHaveLength(problemCount);
		expect(e.canRun).toBe(problemCount === 0);
	});

	test('token count is an estimate until an exact count for the same messages is set', () => {
		const e = new RecipeEditor();
		e.system = 'abcdefgh';
		e.template = 'hello world';
		expect(e.tokenCount).toEqual({ count: naiveEstimate(e.preview.messages), exact: false });
		e.exactTokens = { forKey: e.previewKey, count: 11 };
		expect(e.tokenCount).toEqual({ count: 11, exact: true });
		e.template = 'changed';
		expect(e.tokenCount.exact).toBe(false);
	});

	test('load fills the form and is clean; an edit makes it dirty; markSaved cleans it', () => {
		const e = new RecipeEditor();
		e.load({
			id: 'r1',
			name: 'Greeter',
			version: 3,
			content: {
				system: 's',
				examples: [{ user: 'u', assistant: 'a' }],
				template: 'T {{x}}',
				sampling: { seed: 4 },
				variableDefaults: { x: '1' }
			}
		});
		expect(e.name).toBe('Greeter');
		expect(e.version).toBe(3);
		expect(e.sampling.seed).toBe('4');
		expect(e.dirty).toBe(false);
		e.system = 's2';
		expect(e.dirty).toBe(true);
		e.markSaved('r1', 4);
		expect(e.dirty).toBe(false);
		expect(e.version).toBe(4);
	});

	test('a blank new recipe is clean until the user edits it; undoing the edit cleans it again', () => {
		const e = new RecipeEditor();
		expect(e.dirty).toBe(false);
		e.template = 'Hi';
		expect(e.dirty).toBe(true);
		e.template = '';
		expect(e.dirty).toBe(false);
		e.template = 'Hi';
		e.load(null); // "New" after edits
		expect(e.dirty).toBe(false);
	});

	const EDITS: [string, (e: RecipeEditor) => void][] = [
		['system prompt', (e) => (e.system = 'Be brief.')],
		['template', (e) => (e.template = '{{x}}')],
		['an added example', (e) => e.addExample()],
		['a sampling setting', (e) => (e.sampling.temperature = '0.5')],
		['a stop string', (e) => (e.sampling.stop = 'END')],
		['the name of an unsaved draft', (e) => (e.name = 'Mine')]
	];
	test.each(EDITS)('editing %s makes a blank recipe dirty', (_, edit) => {
		const e = new RecipeEditor();
		edit(e);
		expect(e.dirty).toBe(true);
	});

	test("a saved recipe's name alone does not make it dirty (Rename handles that)", () => {
		const e = new RecipeEditor();
		e.load({
			id: 'r1',
			name: 'Greeter',
			version: 1,
			content: { system: '', examples: [], template: 'x', sampling: {}, variableDefaults: {} }
		});
		e.name = 'Greeter 2';
		expect(e.dirty).toBe(false);
	});

	test('snapshot returns plain, cloneable data', () => {
		const e = new RecipeEditor();
		e.template = 'x';
		e.sampling.temperature = '1';
		const snap = e.snapshot();
		expect(structuredClone(snap)).toEqual({ messages: [{ role: 'user', content: 'x' }], sampling: { temperature: 1 } });
	});
});
