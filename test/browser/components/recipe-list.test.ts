// Covers RecipeList: the Recipe select (unsaved draft + saved recipes with their latest version),
// the Version select for the open recipe, the "v3 · unsaved changes" state text, the Save button's
// name and when it is enabled, and the callbacks of open, version, save, new, duplicate, rename
// (enabled only for a changed, non-empty name) and delete, which asks first (Yes, delete / Keep it).
import { describe, expect, test, vi } from 'vitest';
import { flushSync } from 'svelte';
import RecipeList from '../../../src/components/recipe/RecipeList.svelte';
import { button, byLabel, render } from './helpers.ts';

const RECIPES = [
	{ id: 'r1', name: 'Translator', versions: [1, 2, 3] },
	{ id: 'r2', name: 'Summariser', versions: [1] }
];

function props(patch: Partial<Parameters<typeof RecipeList>[1]> = {}) {
	return {
		recipes: RECIPES,
		currentId: null as string | null,
		currentVersion: null as number | null,
		dirty: false,
		draftName: 'Untitled recipe',
		onOpen: vi.fn(),
		onSave: vi.fn(),
		onNew: vi.fn(),
		onDuplicate: vi.fn(),
		onRename: vi.fn(),
		onDelete: vi.fn(),
		...patch
	};
}

function choose(select: HTMLElement, value: string) {
	(select as HTMLSelectElement).value = value;
	select.dispatchEvent(new Event('change', { bubbles: true }));
}

const stateText = (root: HTMLElement) => root.querySelector('[aria-live=polite]')!.textContent!.trim();

describe('RecipeList', () => {
	test('an unsaved clean draft: saved recipes listed, no version picker, no state text, Save enabled', () => {
		const p = props();
		const root = render(RecipeList, p);
		const select = byLabel(root, 'Recipe') as HTMLSelectElement;
		expect([...select.options].map((o) => o.textContent)).toEqual(['New recipe (unsaved)', 'Translator (v3)', 'Summariser (v1)']);
		expect(select.value).toBe('');
		expect(() => byLabel(root, 'Version')).toThrow();
		expect(stateText(root)).toBe('');
		expect(button(root, 'Save recipe').disabled).toBe(false);
		expect(() => button(root, 'Rename')).toThrow();
		expect(() => button(root, 'Delete')).toThrow();
		choose(select, 'r2');
		expect(p.onOpen).toHaveBeenCalledWith('r2');
	});

	test('an unsaved draft with edits says so', () => {
		const root = render(RecipeList, props({ dirty: true }));
		expect(stateText(root)).toBe('unsaved changes');
	});

	test('a saved recipe: version picker, "v2", Save as new version disabled until dirty', () => {
		const p = props({ currentId: 'r1', currentVersion: 2 });
		const root = render(RecipeList, p);
		expect((byLabel(root, 'Recipe') as HTMLSelectElement).value).toBe('r1');
		const version = byLabel(root, 'Version') as HTMLSelectElement;
		expect([...version.options].map((o) => o.textContent)).toEqual(['v1', 'v2', 'v3']);
		expect(version.value).toBe('2');
		expect(stateText(root)).toBe('v2');
		expect(button(root, 'Save as new version').disabled).toBe(true);
		choose(version, '1');
		expect(p.onOpen).toHaveBeenCalledWith('r1', 1);
		choose(byLabel(root, 'Recipe'), '');
		expect(p.onNew).toHaveBeenCalledOnce();
	});

	test('a saved recipe with edits: "v2 · unsaved changes", Save dispatches', () => {
		const p = props({ currentId: 'r1', currentVersion: 2, dirty: true });
		const root = render(RecipeList, p);
		expect(stateText(root)).toBe('v2 · unsaved changes');
		button(root, 'Save as new version').click();
		expect(p.onSave).toHaveBeenCalledOnce();
	});

	test.each([
		['the same name', 'Translator', true],
		['an empty name', '  ', true],
		['a new name', 'Translator DE', false]
	])('Rename with %s: disabled %s', (_, draftName, disabled) => {
		const p = props({ currentId: 'r1', currentVersion: 3, draftName });
		const root = render(RecipeList, p);
		const rename = button(root, 'Rename');
		expect(rename.disabled).toBe(disabled);
		rename.click();
		expect(p.onRename).toHaveBeenCalledTimes(disabled ? 0 : 1);
		if (!disabled) expect(p.onRename).toHaveBeenCalledWith('Translator DE');
	});

	test('New, Duplicate and Delete dispatch (Delete with the open recipe id, after asking)', () => {
		const p = props({ currentId: 'r2', currentVersion: 1 });
		const root = render(RecipeList, p);
		button(root, 'New').click();
		button(root, 'Duplicate').click();
		button(root, 'Delete').click();
		flushSync();
		expect(p.onNew).toHaveBeenCalledOnce();
		expect(p.onDuplicate).toHaveBeenCalledOnce();
		expect(p.onDelete).not.toHaveBeenCalled();
		expect(root.querySelector('[role=alertdialog]')?.textContent).toContain('Delete “Summariser” and its version?');
		button(root, 'Yes, delete').click();
		flushSync();
		expect(p.onDelete).toHaveBeenCalledWith('r2');
		expect(root.querySelector('[role=alertdialog]')).toBeNull();
	});

	test('Delete asks first: "Keep it" deletes nothing', () => {
		const p = props({ currentId: 'r1', currentVersion: 3 });
		const root = render(RecipeList, p);
		button(root, 'Delete').click();
		flushSync();
		expect(root.querySelector('[role=alertdialog]')?.textContent).toContain('Delete “Translator” and its 3 versions?');
		button(root, 'Keep it').click();
		flushSync();
		expect(root.querySelector('[role=alertdialog]')).toBeNull();
		expect(p.onDelete).not.toHaveBeenCalled();
	});
});
