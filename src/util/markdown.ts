// Renders model output (untrusted) as sanitised HTML: marked for Markdown, DOMPurify for safety.
// Browser-only at call time (DOMPurify needs a DOM). Imports no svelte, dexie, worker or web-llm code.
import { marked } from 'marked';
import DOMPurify from 'dompurify';

const SAFE_URL = /^(?:https?:|mailto:|#|\/(?!\/))/i;

let hooked = false;
function installHooks(): void {
	if (hooked) return;
	hooked = true;
	// Links open in a new tab without opener access; anything but http(s)/mailto/relative is dropped.
	DOMPurify.addHook('afterSanitizeAttributes', (node) => {
		if (node.tagName === 'A') {
			const href = node.getAttribute('href') ?? '';
			if (href && !SAFE_URL.test(href.trim())) node.removeAttribute('href');
			node.setAttribute('target', '_blank');
			node.setAttribute('rel', 'noopener noreferrer nofollow');
		}
		if (node.tagName === 'IMG') {
			const src = node.getAttribute('src') ?? '';
			if (!/^https?:/i.test(src.trim())) node.removeAttribute('src');
		}
	});
}

/**
 * Converts Markdown from the model into HTML that is safe to insert with {@html}.
 * @param source untrusted Markdown text
 * @returns sanitised HTML (no scripts, event handlers, javascript: URLs, forms or iframes)
 */
export function renderMarkdown(source: string): string {
	installHooks();
	const raw = marked.parse(source, { async: false, gfm: true, breaks: false });
	return DOMPurify.sanitize(raw, {
		USE_PROFILES: { html: true },
		FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'],
		FORBID_ATTR: ['style']
	});
}
