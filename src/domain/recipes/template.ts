// User-message templates: `{{name}}` placeholders (spaces inside the braces allowed), names
// matching [A-Za-z_][\w.-]*, and `{{{{` as the escape for a literal `{{`. A lone `}}` is literal.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.
import { MissingVariablesError, TemplateSyntaxError } from './errors.ts';

const NAME = /^[A-Za-z_][\w.-]*$/;

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; name: string };

/**
 * Splits a template into literal text and variable parts.
 * @throws TemplateSyntaxError on an unclosed `{{` or an invalid variable name.
 */
export function parseTemplate(template: string): TemplatePart[] {
	const parts: TemplatePart[] = [];
	let text = '';
	let i = 0;
	while (i < template.length) {
		if (template.startsWith('{{{{', i)) {
			text += '{{';
			i += 4;
		} else if (template.startsWith('{{', i)) {
			const close = template.indexOf('}}', i + 2);
			if (close < 0) {
				throw new TemplateSyntaxError(`Unclosed "{{" at character ${i}: close it with "}}" or write "{{{{" for a literal "{{".`, i);
			}
			const name = template.slice(i + 2, close).trim();
			if (!NAME.test(name)) {
				throw new TemplateSyntaxError(
					`Invalid variable name "${name}" at character ${i}: use letters, digits, _ . - ` +
						'and start with a letter or _ (write "{{{{" for a literal "{{").',
					i
				);
			}
			if (text) parts.push({ kind: 'text', text });
			text = '';
			parts.push({ kind: 'variable', name });
			i = close + 2;
		} else {
			text += template[i];
			i += 1;
		}
	}
	if (text) parts.push({ kind: 'text', text });
	return parts;
}

/**
 * Variable names in order of first appearance, each once.
 * @throws TemplateSyntaxError when the template is malformed.
 */
export function extractVariables(template: string): string[] {
	const seen = new Set<string>();
	for (const part of parseTemplate(template)) if (part.kind === 'variable') seen.add(part.name);
	return [...seen];
}

/**
 * Fills every placeholder from `values`.
 * @throws MissingVariablesError naming every variable without a string value (in order of appearance).
 * @throws TemplateSyntaxError when the template is malformed.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
	const parts = parseTemplate(template);
	const missing = [...new Set(parts.flatMap((p) => (p.kind === 'variable' && typeof values[p.name] !== 'string' ? [p.name] : [])))];
	if (missing.length > 0) throw new MissingVariablesError(missing);
	return parts.map((p) => (p.kind === 'text' ? p.text : values[p.name])).join('');
}
