// Recipe failures, one class per cause, each with a message that says what to fix.
// Pure: no svelte, dexie, DOM, worker or web-llm imports.

/** The template text itself is malformed (unclosed `{{`, bad variable name). */
export class TemplateSyntaxError extends Error {
	override name = 'TemplateSyntaxError';
	constructor(
		message: string,
		/** Character offset of the problem in the template. */
		readonly offset: number
	) {
		super(message);
	}
}

/** Rendering needed values that were not given. */
export class MissingVariablesError extends Error {
	override name = 'MissingVariablesError';
	constructor(readonly missing: string[]) {
		super(
			`Missing value${missing.length === 1 ? '' : 's'} for ${missing.map((m) => `{{${m}}}`).join(', ')}: ` +
				'fill them in or give the recipe a default.'
		);
	}
}

/** Sampling settings out of range or of the wrong type; `problems` lists each one. */
export class InvalidSamplingError extends Error {
	override name = 'InvalidSamplingError';
	constructor(readonly problems: string[]) {
		super(`Invalid sampling settings: ${problems.join('; ')}.`);
	}
}
