// Errors of PEFT adapter reading and checking, one class per failure; messages say what to do.
// Pure TS: must not import svelte, dexie, DOM, worker, node: or web-llm code.

/** adapter_config.json is missing fields, has wrong types or asks for an unsupported PEFT feature. */
export class PeftConfigError extends Error {
	override name = 'PeftConfigError';
}

/** The adapter's tensors are inconsistent: a missing A/B pair, a wrong shape, NaN/Inf, an unknown key. */
export class AdapterTensorError extends Error {
	override name = 'AdapterTensorError';
}

/** The adapter cannot be applied to the chosen base model; `reasons` lists every blocking problem. */
export class AdapterIncompatibleError extends Error {
	override name = 'AdapterIncompatibleError';
	constructor(readonly reasons: string[]) {
		super(`The adapter does not fit this base model: ${reasons.join('; ')}`);
	}
}
