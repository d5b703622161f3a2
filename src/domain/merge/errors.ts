// Errors of model derivation, one class per failure; each message says what to do.
// Pure TS: must not import svelte, dexie, DOM, worker, node: or web-llm code.

/**
 * A 4-bit base was chosen but no original Hugging Face weights were given. No longer thrown by deriveModel
 * (it rounds stochastically into the base's grid instead); kept for callers that insist on originals.
 */
export class OriginalWeightsRequiredError extends Error {
	override name = 'OriginalWeightsRequiredError';
	constructor(quantization: string) {
		super(
			`This base is 4-bit (${quantization}). Adding a LoRA delta to its 4-bit codes erases typical adapters ` +
				'(each weight only moves when its delta reaches half a quantization step), so the model is re-quantized ' +
				"from the original Hugging Face weights plus the delta. Provide the base model's original safetensors " +
				'(--original <folder>), or choose an unquantized q0f16/q0f32 base.'
		);
	}
}

/** The original Hugging Face weights do not re-quantize to the base's codes: they belong to another model. */
export class OriginalMismatchError extends Error {
	override name = 'OriginalMismatchError';
}

/** The base model folder is incomplete or inconsistent (missing file, bad JSON, wrong sizes). */
export class BaseModelError extends Error {
	override name = 'BaseModelError';
}

/** The derivation was cancelled through its AbortSignal. */
export class DeriveAbortedError extends Error {
	override name = 'DeriveAbortedError';
	constructor() {
		super('The derivation was cancelled; no complete model was written.');
	}
}

/** Merged weights would not be finite (NaN/Inf in the inputs, or a scale/alpha/rank that overflows). */
export class NonFiniteWeightsError extends Error {
	override name = 'NonFiniteWeightsError';
}
