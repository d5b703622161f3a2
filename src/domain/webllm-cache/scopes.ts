// web-llm's Cache API scope names and which scope each model file lives in (web-llm 0.2.86
// lib/index.js: hasModelInCache, deleteChatConfigInCache; webllm-lora-facts.md §1–2).
// Pure TS: no svelte/dexie/DOM/worker/web-llm imports.

export const MODEL_SCOPE = 'webllm/model';
export const CONFIG_SCOPE = 'webllm/config';
export const WASM_SCOPE = 'webllm/wasm';
export type WebLlmScope = typeof MODEL_SCOPE | typeof CONFIG_SCOPE | typeof WASM_SCOPE;

/** The chat config goes to 'webllm/config'; tokenizer, tensor-cache.json and shards to 'webllm/model'. */
export function scopeOfFile(fileName: string): WebLlmScope {
	return fileName === 'mlc-chat-config.json' ? CONFIG_SCOPE : MODEL_SCOPE;
}

/** Files of a derived model that web-llm never reads (kept out of its caches). */
export function isWebLlmFile(fileName: string): boolean {
	return fileName !== 'derived-model.json';
}
