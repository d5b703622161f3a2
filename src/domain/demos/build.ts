// Helpers the demo definitions share: rows to items, and few-shot examples rendered through the same
// template the engineered recipe sends, so an example looks exactly like a real request.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import type { SamplingSettings } from '../engine/types.ts';
import { renderTemplate } from '../recipes/template.ts';
import type { FewShotExample, RecipeContent } from '../recipes/types.ts';
import type { TestSetItem } from '../testsets/types.ts';

/** Items from [vars, expected] pairs. */
export function itemsOf(rows: readonly [Record<string, string>, string][]): TestSetItem[] {
	return rows.map(([vars, expected]) => ({ vars: { ...vars }, expected }));
}

/** Few-shot examples: each `vars` rendered through `template`, answered with `answer`. */
export function examplesOf(template: string, rows: readonly [Record<string, string>, string][]): FewShotExample[] {
	return rows.map(([vars, answer]) => ({ user: renderTemplate(template, vars), assistant: answer }));
}

/** Deterministic sampling shared by both recipes of a demo: temperature 0, seed 42. */
export function demoSampling(maxTokens: number): SamplingSettings {
	return { temperature: 0, seed: 42, maxTokens };
}

/** The plain recipe: the template alone (no system prompt, no examples). */
export function plainRecipe(template: string, maxTokens: number): RecipeContent {
	return { system: '', examples: [], template, sampling: demoSampling(maxTokens), variableDefaults: {} };
}
