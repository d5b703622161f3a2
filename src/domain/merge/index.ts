// Public surface of model derivation: deriveModel, its I/O and kernel interfaces, fidelity, ids.
// Pure TS: must not import svelte, dexie, DOM, worker, node: or web-llm code.

export * from './errors.ts';
export * from './types.ts';
export * from './derived-id.ts';
export * from './fidelity.ts';
export * from './kernel.ts';
export * from './lora-deltas.ts';
export * from './requantize.ts';
export * from './seeded-random.ts';
export * from './derive.ts';
