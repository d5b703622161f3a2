// Covers src/util/markdown.ts in a real browser DOM: Markdown becomes HTML, and untrusted model
// output cannot run code: <script>, inline event handlers (onerror=) and javascript: links are stripped.
import { describe, expect, test } from 'vitest';
import { renderMarkdown } from '../../../src/util/markdown.ts';

function toDom(html: string): HTMLElement {
	const host = document.createElement('div');
	host.innerHTML = html;
	return host;
}

describe('renderMarkdown', () => {
	test('renders headings, emphasis, lists and code', () => {
		const dom = toDom(renderMarkdown('# Title\n\n*it* and **bold**\n\n- a\n- b\n\n```js\nx = 1\n```'));
		expect(dom.querySelector('h1')?.textContent).toBe('Title');
		expect(dom.querySelector('em')?.textContent).toBe('it');
		expect(dom.querySelector('strong')?.textContent).toBe('bold');
		expect(dom.querySelectorAll('li')).toHaveLength(2);
		expect(dom.querySelector('pre code')?.textContent).toBe('x = 1\n');
	});

	const attacks: { name: string; input: string; forbidden: (dom: HTMLElement) => boolean }[] = [
		{
			name: '<script> element',
			input: 'hi <script>window.__pwned = 1</script>',
			forbidden: (d) => d.querySelector('script') !== null
		},
		{
			name: 'onerror= on an image',
			input: '<img src="x" onerror="window.__pwned = 1">',
			forbidden: (d) => [...d.querySelectorAll('*')].some((e) => e.hasAttribute('onerror'))
		},
		{
			name: 'javascript: Markdown link',
			input: '[click](javascript:alert(1))',
			forbidden: (d) => [...d.querySelectorAll('a')].some((a) => /javascript:/i.test(a.getAttribute('href') ?? ''))
		},
		{
			name: 'javascript: HTML link with odd case and spaces',
			input: '<a href=" JaVaScRiPt:alert(1)">x</a>',
			forbidden: (d) => [...d.querySelectorAll('a')].some((a) => /javascript:/i.test(a.getAttribute('href') ?? ''))
		},
		{
			name: 'iframe',
			input: '<iframe src="https://example.com"></iframe>',
			forbidden: (d) => d.querySelector('iframe') !== null
		},
		{
			name: 'onclick on a div',
			input: '<div onclick="window.__pwned=1">x</div>',
			forbidden: (d) => [...d.querySelectorAll('*')].some((e) => e.hasAttribute('onclick'))
		}
	];

	test.each(attacks)('strips $name', ({ input, forbidden }) => {
		const html = renderMarkdown(input);
		expect(forbidden(toDom(html))).toBe(false);
		expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
	});

	test('keeps safe https links and opens them without opener', () => {
		const a = toDom(renderMarkdown('[docs](https://example.com/a)')).querySelector('a');
		expect(a?.getAttribute('href')).toBe('https://example.com/a');
		expect(a?.getAttribute('rel')).toContain('noopener');
	});

	test('empty input gives empty output', () => {
		expect(renderMarkdown('').trim()).toBe('');
	});
});
