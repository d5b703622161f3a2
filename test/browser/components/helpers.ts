// Mounts a Svelte component into a fresh container for a test and unmounts it afterwards.
import { flushSync, mount, unmount, type Component } from 'svelte';
import { afterEach } from 'vitest';

const mounted: (() => void)[] = [];
afterEach(() => {
	while (mounted.length) mounted.pop()!();
});

/** Mounts `component` with `props`; returns its container element. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Svelte's own Component constraint
export function render<P extends Record<string, any>>(component: Component<P>, props: NoInfer<P>): HTMLElement {
	const target = document.createElement('div');
	document.body.append(target);
	const instance = mount(component, { target, props });
	flushSync();
	mounted.push(() => {
		unmount(instance);
		target.remove();
	});
	return target;
}

/** Types into an input/textarea the way a user does (value + input event). */
export function typeInto(el: Element | null, value: string): void {
	const input = el as HTMLInputElement;
	input.value = value;
	input.dispatchEvent(new Event('input', { bubbles: true }));
	flushSync();
}

export function byLabel(root: HTMLElement, text: string | RegExp): HTMLElement {
	const label = [...root.querySelectorAll('label')].find((l) =>
		typeof text === 'string' ? l.textContent?.trim().startsWith(text) : text.test(l.textContent ?? '')
	);
	const control = label?.querySelector('input, select, textarea') as HTMLElement | null;
	if (!control) throw new Error(`no control labelled ${text}`);
	return control;
}

export function button(root: HTMLElement, name: string | RegExp): HTMLButtonElement {
	const b = [...root.querySelectorAll('button')].find((x) => {
		const accessible = x.getAttribute('aria-label') ?? x.textContent?.trim() ?? '';
		return typeof name === 'string' ? accessible.startsWith(name) : name.test(accessible);
	});
	if (!b) throw new Error(`no button named ${name}`);
	return b;
}
