// Public surface of the web-llm cache helpers: scope names, model/derived URLs, derived records,
// write order and storage-full errors. Pure TS: no svelte/dexie/DOM/worker/web-llm imports.

export * from './scopes.ts';
export * from './urls.ts';
export * from './record.ts';
export * from './space.ts';
export * from './hub-ref.ts';
export * from './derived-label.ts';
