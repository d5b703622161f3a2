// Plain data shapes of a prompt recipe: what a recipe version stores and what a run snapshots.
// Pure types: no svelte, dexie, DOM, worker or web-llm imports.
import type { SamplingSettings } from '../engine/types.ts';

/** One few-shot example, sent as a user turn followed by an assistant turn. */
export interface FewShotExample {
	user: string;
	assistant: string;
}

/** Everything one recipe version holds. Immutable once saved: editing makes a new version. */
export interface RecipeContent {
	/** System prompt; an empty string sends no system message. */
	system: string;
	examples: FewShotExample[];
	/** User-message template with `{{name}}` placeholders; `{{{{` is a literal `{{`. */
	template: string;
	sampling: SamplingSettings;
	/** Default values for template variables; values given at run time win. */
	variableDefaults: Record<string, string>;
}
