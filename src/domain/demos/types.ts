// The shape of a built-in demo comparison: a small test set with its scoring and two recipes — a plain
// one (the variables and nothing else, what a fine-tuned adapter is meant to need) and an engineered
// one (system prompt, few-shot examples, output-format instruction) for the base model.
// Pure types: no svelte, dexie, DOM, worker or web-llm imports.
import type { RecipeContent } from '../recipes/types.ts';
import type { ScoringSpec } from '../scoring/types.ts';
import type { TestSetItem } from '../testsets/types.ts';

export interface Demo {
	/** Stable id; stored test sets from a demo have source `demo:<id>`. */
	id: string;
	name: string;
	/** One or two sentences on what the demo compares. */
	description: string;
	/** Variable columns, in order. */
	columns: string[];
	/** Every item has an expected output. */
	items: TestSetItem[];
	/** Classification demos: the allowed answers (every expected output is one of them). */
	labels?: readonly string[];
	scoring: ScoringSpec;
	plainRecipe: RecipeContent;
	engineeredRecipe: RecipeContent;
}
