// Covers the history components: HistoryList (runs as a labelled list, open/delete buttons named
// after the run, status text, output or prompt preview, empty message, Load more only when there
// is more), RunDetail (messages sent, settings, output, stats, GPU, error, Close), HistoryFilters
// (search box and selects dispatch patches) and DataTransfer (Export, Import with the chosen file,
// the import summary as a status, the failure as an alert).
import { flushSync } from 'svelte';
import { describe, expect, test, vi } from 'vitest';
import HistoryList from '../../../src/components/history/HistoryList.svelte';
import RunDetail from '../../../src/components/history/RunDetail.svelte';
import HistoryFilters from '../../../src/components/history/HistoryFilters.svelte';
import DataTransferPanel from '../../../src/components/history/DataTransfer.svelte';
import type { RunRow } from '../../../src/domain/bundle/rows.ts';
import { BUNDLE_TABLE_NAMES } from '../../../src/domain/bundle/types.ts';
import type { ImportOutcome } from '../../../src/state/history.svelte.ts';
import { button, byLabel, render, typeInto } from './helpers.ts';

function run(id: string, patch: Partial<RunRow> = {}): RunRow {
	return {
		id,
		createdAt: Date.UTC(2025, 0, 2, 3, 4, 5),
		status: 'done',
		engine: { kind: 'webllm', version: '@mlc-ai/web-llm 0.2.86' },
		modelId: 'Smol-360M-q4f32_1',
		recipeVersionId: 'rv',
		recipeId: 'r',
		recipeName: 'Translator',
		recipe: { system: 'Translate.', examples: [], template: '{{text}}', sampling: {}, variableDefaults: {} },
		variables: { text: 'Hallo' },
		messages: [
			{ role: 'system', content: 'Translate.' },
			{ role: 'user', content: 'Hallo' }
		],
		sampling: { temperature: 0.2, maxTokens: 64 },
		output: 'Hello',
		...patch
	};
}

describe('HistoryList', () => {
	test('one list item per run with open/delete buttons named after the run; clicks dispatch ids', () => {
		const onOpen = vi.fn();
		const onDelete = vi.fn();
		const runs = [run('a'), run('b', { status: 'stopped', recipeName: '', output: '', modelId: 'other' })];
		const root = render(HistoryList, { runs, hasMore: false, loading: false, onOpen, onDelete, onLoadMore: () => {} });
		const list = root.querySelector('ul[aria-label="Runs"]')!;
		const items = [...list.querySelectorAll('li')];
		expect(items).toHaveLength(2);
		const when = new Date(runs[0].createdAt).toLocaleString();
		expect(items[0].textContent).toContain('done');
		expect(items[0].textContent).toContain('Hello'); // the output previews the run
		expect(items[1].textContent).toContain('stopped');
		expect(items[1].textContent).toContain('Hallo'); // no output yet: the last message sent previews it
		button(items[1] as HTMLElement, `Open run of untitled on other, ${when}`).click();
		expect(onOpen).toHaveBeenCalledWith('b');
		button(items[0] as HTMLElement, `Delete run from ${when}`).click();
		flushSync();
		expect(onDelete).not.toHaveBeenCalled(); // deleting asks first
		button(items[0] as HTMLElement, 'Keep it').click();
		flushSync();
		expect(onDelete).not.toHaveBeenCalled();
		button(items[0] as HTMLElement, `Delete run from ${when}`).click();
		flushSync();
		button(items[0] as HTMLElement, 'Yes, delete').click();
		expect(onDelete).toHaveBeenCalledWith('a');
		expect(root.textContent).not.toContain('No runs yet');
		expect(() => button(root, 'Load more')).toThrow();
	});

	test('Load more shows only when there is more, and dispatches', () => {
		const onLoadMore = vi.fn();
		const root = render(HistoryList, { runs: [run('a')], hasMore: true, loading: false, onOpen: () => {}, onDelete: () => {}, onLoadMore });
		button(root, 'Load more').click();
		expect(onLoadMore).toHaveBeenCalledOnce();
	});

	test.each([
		[false, true],
		[true, false]
	])('empty history (loading %s): the empty message shows %s', (loading, shown) => {
		const root = render(HistoryList, { runs: [], hasMore: false, loading, onOpen: () => {}, onDelete: () => {}, onLoadMore: () => {} });
		expect(root.textContent?.includes('No runs yet')).toBe(shown);
	});
});

describe('RunDetail', () => {
	test('shows the snapshot: title, messages sent, settings, output, stats, GPU; Close dispatches', () => {
		const onClose = vi.fn();
		const r = run('a', {
			gpu: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader device', features: [] },
			stats: { promptTokens: 12, completionTokens: 3, timeToFirstTokenMs: 40, totalMs: 90, source: 'engine' }
		});
		const root = render(RunDetail, { run: r, onClose });
		const article = root.querySelector('article')!;
		const title = article.querySelector('h3')!;
		expect(article.getAttribute('aria-labelledby')).toBe(title.id);
		expect(title.textContent).toBe('Translator on Smol-360M-q4f32_1');
		expect([...article.querySelectorAll('h4')].map((h) => h.textContent)).toEqual(['Messages sent', 'Settings', 'Output']);
		const messages = [...article.querySelectorAll('ol li')].map((li) => [
			li.querySelector('.role')!.textContent,
			li.querySelector('pre')!.textContent
		]);
		expect(messages).toEqual([
			['system', 'Translate.'],
			['user', 'Hallo']
		]);
		expect(JSON.parse(article.querySelector('.settings')!.textContent!)).toEqual({ temperature: 0.2, maxTokens: 64 });
		expect(article.querySelector('.output')!.textContent).toBe('Hello');
		expect(article.textContent).toContain('GPU: SwiftShader device');
		expect(article.textContent).toContain('webllm (@mlc-ai/web-llm 0.2.86)');
		const stats = article.querySelector('[aria-label="Answer statistics"]')!;
		expect(stats.textContent).toContain('Prompt tokens12');
		expect(stats.textContent).toContain('engine');
		expect(article.querySelector('[role=alert]')).toBeNull();
		expect(article.textContent).not.toContain('LoRA adapter');
		button(root, 'Close').click();
		expect(onClose).toHaveBeenCalledOnce();
	});

	test('a run made with a derived model names its LoRA adapter', () => {
		const root = render(RunDetail, { run: run('a', { adapterId: 'sha-abc123' }), onClose: () => {} });
		expect(root.querySelector('article')!.textContent).toContain('LoRA adapter: sha-abc123');
	});

	test('a failed run shows its error as an alert; markup in the output stays text', () => {
		const r = run('a', {
			status: 'failed',
			error: { code: 'network', message: 'The endpoint refused the request.' },
			output: '<img src=x onerror=alert(1)>'
		});
		const root = render(RunDetail, { run: r, onClose: () => {} });
		expect(root.querySelector('[role=alert]')?.textContent).toBe('The endpoint refused the request.');
		expect(root.querySelector('img')).toBeNull();
		expect(root.querySelector('.output')!.textContent).toBe('<img src=x onerror=alert(1)>');
	});
});

describe('HistoryFilters', () => {
	test('typing in the search box and choosing filters dispatch patches', () => {
		const onChange = vi.fn();
		const root = render(HistoryFilters, {
			filter: { status: '', modelId: '', recipeId: '', text: '' },
			models: ['m1', 'm2'],
			recipes: [{ id: 'r1', name: 'Translator' }],
			onChange
		});
		const search = byLabel(root, 'Search history') as HTMLInputElement;
		expect(search.type).toBe('search');
		typeInto(search, 'hello');
		expect(onChange).toHaveBeenLastCalledWith({ text: 'hello' });
		const cases: [string, string, object][] = [
			['Status', 'failed', { status: 'failed' }],
			['Model', 'm2', { modelId: 'm2' }],
			['Recipe', 'r1', { recipeId: 'r1' }]
		];
		for (const [label, value, patch] of cases) {
			const select = byLabel(root, label) as HTMLSelectElement;
			select.value = value;
			select.dispatchEvent(new Event('change', { bubbles: true }));
			expect(onChange).toHaveBeenLastCalledWith(patch);
		}
		expect([...(byLabel(root, 'Recipe') as HTMLSelectElement).options].map((o) => o.textContent)).toEqual(['any', 'Translator']);
	});
});

describe('DataTransfer', () => {
	function counts(added: number, identical = 0, conflicting = 0) {
		return { added, identical, conflicting };
	}

	test('Export dispatches; choosing a file dispatches Import with that file', () => {
		const onExport = vi.fn();
		const onImport = vi.fn();
		const root = render(DataTransferPanel, { outcome: null, onExport, onImport });
		button(root, 'Export all (JSON)').click();
		expect(onExport).toHaveBeenCalledOnce();
		const input = byLabel(root, 'Import a JSON export') as HTMLInputElement;
		expect(input.type).toBe('file');
		const file = new File(['{}'], 'export.json', { type: 'application/json' });
		const list = new DataTransfer();
		list.items.add(file);
		input.files = list.files;
		input.dispatchEvent(new Event('change', { bubbles: true }));
		expect(onImport).toHaveBeenCalledWith(file);
		expect(root.querySelector('[role=status], [role=alert]')).toBeNull();
	});

	test('a successful import shows what was added, skipped or kept, as a status', () => {
		const tables = Object.fromEntries(BUNDLE_TABLE_NAMES.map((t) => [t, counts(0)]));
		const outcome: ImportOutcome = {
			ok: true,
			summary: { tables: { ...tables, runs: counts(3, 2), recipes: counts(1, 0, 1) } as never, adaptersWithoutFiles: 1 }
		};
		const root = render(DataTransferPanel, { outcome, onExport: () => {}, onImport: () => {} });
		const status = root.querySelector('[role=status]')!;
		expect(status.textContent).toContain('recipes: 1 added, 1 kept local');
		expect(status.textContent).toContain('runs: 3 added, 2 already here');
		expect(status.textContent).not.toContain('recipeVersions');
		expect(status.textContent).toContain('1 adapter(s) need their files added again');
	});

	test('a failed import shows the reason as an alert', () => {
		const outcome: ImportOutcome = { ok: false, message: 'This is not a Tune or Prompt export (no "format" field).' };
		const root = render(DataTransferPanel, { outcome, onExport: () => {}, onImport: () => {} });
		expect(root.querySelector('[role=alert]')?.textContent).toBe('Import failed: This is not a Tune or Prompt export (no "format" field).');
	});
});
