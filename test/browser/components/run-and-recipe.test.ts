// Covers RunControls (Run disabled with a reason, Run/Stop dispatch, shortcut hints), RunOutput
// (sanitised Markdown vs plain text toggle; a <script> in model output never becomes a script),
// RunStats (figures and source), EnginePicker (endpoint form validation and save), RecipeFields
// (a {{variable}} makes a labelled value field; examples add/remove), SamplingForm (problems shown)
// and MessagesPreview ("≈ estimate" vs exact).
import { describe, expect, test, vi } from 'vitest';
import { flushSync } from 'svelte';
import RunControls from '../../../src/components/run/RunControls.svelte';
import RunOutput from '../../../src/components/run/RunOutput.svelte';
import RunStats from '../../../src/components/run/RunStats.svelte';
import EnginePicker from '../../../src/components/engine/EnginePicker.svelte';
import RecipeFields from '../../../src/components/recipe/RecipeFields.svelte';
import SamplingForm from '../../../src/components/recipe/SamplingForm.svelte';
import MessagesPreview from '../../../src/components/recipe/MessagesPreview.svelte';
import { RecipeEditor } from '../../../src/state/recipe-editor.svelte.ts';
import { button, byLabel, render, typeInto } from './helpers.ts';

describe('RunControls', () => {
	test('Run is disabled with the reason shown', () => {
		const root = render(RunControls, { running: false, blockedReason: 'Load a model first.', onRun: () => {}, onStop: () => {} });
		expect(button(root, 'Run').disabled).toBe(true);
		expect(root.textContent).toContain('Load a model first.');
	});
	test('Run and Stop dispatch', () => {
		const onRun = vi.fn();
		const onStop = vi.fn();
		const idle = render(RunControls, { running: false, blockedReason: null, onRun, onStop });
		button(idle, 'Run').click();
		expect(onRun).toHaveBeenCalledOnce();
		const busy = render(RunControls, { running: true, blockedReason: null, onRun, onStop });
		const stop = button(busy, 'Stop');
		expect(stop.getAttribute('aria-keyshortcuts')).toBe('Escape');
		stop.click();
		expect(onStop).toHaveBeenCalledOnce();
	});
});

describe('RunOutput', () => {
	test('renders sanitised Markdown, and plain text when toggled off', async () => {
		const src = '**bold** <script>window.__ranScript = 1</script> <img src=x onerror="window.__ranScript=2">';
		const root = render(RunOutput, { text: src, markdownSource: src, streaming: false });
		await expect.poll(() => root.querySelector('strong')?.textContent).toBe('bold');
		expect(root.querySelector('script')).toBeNull();
		expect(root.querySelector('[onerror]')).toBeNull();
		expect((window as unknown as { __ranScript?: number }).__ranScript).toBeUndefined();
		byLabel(root, /Show as Markdown/).click();
		flushSync();
		expect(root.querySelector('strong')).toBeNull();
		expect(root.querySelector('pre')?.textContent).toBe(src);
	});
});

describe('RunStats', () => {
	test('shows each figure and where it came from', () => {
		const root = render(RunStats, {
			stats: {
				promptTokens: 12,
				completionTokens: 34,
				timeToFirstTokenMs: 250,
				totalMs: 2500,
				prefillTokensPerSec: 48,
				decodeTokensPerSec: 15.25,
				source: 'engine'
			}
		});
		const text = root.textContent ?? '';
		for (const s of ['250 ms', '48.0 tok/s', '15.3 tok/s', '12', '34', '2.50 s', 'engine']) expect(text).toContain(s);
	});
});

describe('EnginePicker', () => {
	test('endpoint settings: invalid URL blocks saving; a valid one saves trimmed values', () => {
		const onEndpointSave = vi.fn();
		const onKindChange = vi.fn();
		const root = render(EnginePicker, {
			kind: 'endpoint',
			endpoint: { baseUrl: '', apiKey: '', model: '' },
			onKindChange,
			onEndpointSave
		});
		typeInto(byLabel(root, 'Base URL'), 'not a url');
		expect(button(root, 'Save endpoint').disabled).toBe(true);
		expect(root.querySelector('[role=alert]')?.textContent).toMatch(/not a valid URL/);
		typeInto(byLabel(root, 'Base URL'), ' http://localhost:8080/v1 ');
		typeInto(byLabel(root, 'API key'), 'sk-1');
		typeInto(byLabel(root, 'Model name'), ' tiny ');
		button(root, 'Save endpoint').click();
		expect(onEndpointSave).toHaveBeenCalledWith({ baseUrl: 'http://localhost:8080/v1', apiKey: 'sk-1', model: 'tiny' });
		const select = byLabel(root, 'Engine') as HTMLSelectElement;
		select.value = 'webllm';
		select.dispatchEvent(new Event('change', { bubbles: true }));
		expect(onKindChange).toHaveBeenCalledWith('webllm');
	});
});

describe('RecipeFields, SamplingForm and MessagesPreview', () => {
	test('a {{variable}} in the template makes a labelled value field that feeds the preview', () => {
		const editor = new RecipeEditor();
		const root = render(RecipeFields, { editor });
		typeInto(byLabel(root, 'User message template'), 'Summarise {{article}} for {{audience}}');
		expect(() => byLabel(root, 'article')).not.toThrow();
		typeInto(byLabel(root, 'article'), 'the news');
		typeInto(byLabel(root, 'audience'), 'kids');
		expect(editor.preview.messages.at(-1)?.content).toBe('Summarise the news for kids');
	});

	test('examples can be added and removed', () => {
		const editor = new RecipeEditor();
		const root = render(RecipeFields, { editor });
		button(root, 'Add example').click();
		flushSync();
		typeInto(byLabel(root, 'Example 1: user'), 'hi');
		expect(editor.examples[0].user).toBe('hi');
		button(root, 'Remove example 1').click();
		flushSync();
		expect(editor.examples).toHaveLength(0);
	});

	test('a wrong sampling value is outlined, with its message in words under that field', () => {
		const editor = new RecipeEditor();
		const root = render(SamplingForm, { editor });
		const maxTokens = byLabel(root, 'Max tokens');
		typeInto(maxTokens, '0');
		expect(maxTokens.getAttribute('aria-invalid')).toBe('true');
		const message = document.getElementById(maxTokens.getAttribute('aria-describedby')!);
		expect(message?.textContent).toBe('Max tokens must be a whole number between 1 and 1,000,000 (you gave 0).');
		// the message sits with its own field, not in a list elsewhere
		expect(message?.parentElement?.contains(maxTokens)).toBe(true);
		expect(byLabel(root, 'Temperature').getAttribute('aria-invalid')).toBeNull();
		typeInto(maxTokens, '64');
		expect(maxTokens.getAttribute('aria-invalid')).toBeNull();
		expect(root.querySelectorAll('[role=alert]')).toHaveLength(0);
	});

	test('preview marks the token count as an estimate unless exact', () => {
		const messages = [{ role: 'user' as const, content: 'hello' }];
		const est = render(MessagesPreview, { messages, error: null, tokenCount: { count: 9, exact: false } });
		expect(est.textContent).toContain('≈ 9 tokens (estimate)');
		const exact = render(MessagesPreview, { messages, error: null, tokenCount: { count: 7, exact: true } });
		expect(exact.textContent).toContain('7 tokens');
		expect(exact.textContent).not.toContain('estimate');
	});
});
