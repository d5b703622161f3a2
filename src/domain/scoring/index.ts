// The scoring module's public surface: score an output against a test set's assertions, validate a
// spec read from a file, and the two text similarity measures.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
export { scoreOutput } from './score.ts';
export { validateScoringSpec } from './validate.ts';
export { rougeL, normalizedLevenshtein, levenshteinDistance } from './text.ts';
export * from './types.ts';
