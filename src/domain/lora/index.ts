// Public surface of the PEFT LoRA adapter domain: config parsing, inspection, compatibility, module mapping.
// Pure TS: must not import svelte, dexie, DOM, worker, node: or web-llm code.

export * from './errors.ts';
export * from './adapter-config.ts';
export * from './patterns.ts';
export * from './mlc-model.ts';
export * from './adapter-tensors.ts';
export * from './inspect.ts';
export * from './compatibility.ts';
