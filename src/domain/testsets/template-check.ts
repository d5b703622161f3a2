// Before a batch starts: does the test set give every variable the recipe's template uses? Variables
// without a column are errors (the batch could not render them); columns the template never uses are
// notes. Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { extractVariables } from '../recipes/template.ts';

export interface TemplateCheck {
	/** Template variables with no column, in template order. */
	missing: string[];
	/** Columns the template does not use, in column order. */
	unused: string[];
	/** What to show: errors stop a batch, notes do not. */
	problems: { level: 'error' | 'note'; message: string }[];
}

/**
 * Compares a test set's columns with a template's `{{variables}}`. A malformed template is reported
 * as one error (and nothing is counted as missing or unused). Variables that have a default value in
 * the recipe can be passed in `defaults` and are then not missing.
 */
export function checkAgainstTemplate(
	columns: readonly string[],
	template: string,
	defaults: Readonly<Record<string, string>> = {}
): TemplateCheck {
	let variables: string[];
	try {
		variables = extractVariables(template);
	} catch (e) {
		const reason = e instanceof Error ? e.message : String(e);
		return { missing: [], unused: [], problems: [{ level: 'error', message: `the template cannot be read: ${reason}` }] };
	}
	const have = new Set(columns);
	const used = new Set(variables);
	const missing = variables.filter((v) => !have.has(v) && typeof defaults[v] !== 'string');
	const unused = columns.filter((c) => !used.has(c));
	const problems: TemplateCheck['problems'] = [];
	for (const v of missing) {
		const hint = v === 'expected' ? ' (the expected output is kept for scoring and never sent to the model)' : '';
		problems.push({
			level: 'error',
			message: `the template uses {{${v}}} but the test set has no column "${v}"${hint}: add the column or change the template`
		});
	}
	if (unused.length > 0)
		problems.push({
			level: 'note',
			message: `column${unused.length === 1 ? '' : 's'} ${unused.map((c) => `"${c}"`).join(', ')} ${unused.length === 1 ? 'is' : 'are'} not used by the template`
		});
	return { missing, unused, problems };
}
