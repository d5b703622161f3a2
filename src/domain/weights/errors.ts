// Errors of the weight-format readers and writers, one class per format.
// Pure TS: must not import svelte, dexie, DOM, worker or web-llm code.

const HINT = 'The file may be truncated or not a safetensors file.';

/** A safetensors file is malformed: the message says what is wrong and ends with a hint. */
export class SafetensorsError extends Error {
	override name = 'SafetensorsError';
	constructor(problem: string) {
		super(`${problem}. ${HINT}`);
	}
}

/** A tensor-cache.json (MLC format) or its shards are malformed or inconsistent. */
export class TensorCacheError extends Error {
	override name = 'TensorCacheError';
	constructor(problem: string) {
		super(`${problem}. Re-download the model or rebuild its tensor-cache.json.`);
	}
}

/** Group quantization was asked for shapes or values it cannot handle. */
export class QuantizationError extends Error {
	override name = 'QuantizationError';
}
