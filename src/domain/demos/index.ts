// The built-in demo comparisons: review sentiment, feedback routing and product descriptions, each a
// test set with scoring plus a plain and an engineered recipe.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
import { DESCRIPTIONS_DEMO } from './descriptions.ts';
import { FEEDBACK_DEMO } from './feedback.ts';
import { SENTIMENT_DEMO } from './sentiment.ts';
import type { Demo } from './types.ts';

export type { Demo } from './types.ts';
export { SENTIMENT_DEMO, SENTIMENT_LABELS } from './sentiment.ts';
export { FEEDBACK_DEMO, FEEDBACK_LABELS } from './feedback.ts';
export { DESCRIPTIONS_DEMO, DESCRIPTION_LENGTH } from './descriptions.ts';

/** Every demo, in the order they are offered. */
export const DEMOS: readonly Demo[] = [SENTIMENT_DEMO, FEEDBACK_DEMO, DESCRIPTIONS_DEMO];

/** The demo with this id, or undefined. */
export function demoById(id: string): Demo | undefined {
	return DEMOS.find((d) => d.id === id);
}
