// Classifies the tensor names of a PEFT adapter_model.safetensors into LoRA A/B pairs, biases,
// DoRA magnitudes and full-module tensors (PEFT utils/save_and_load.py key layout, facts §6).
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

export type AdapterKeyRole =
	| 'lora_A'
	| 'lora_B'
	| 'lora_embedding_A'
	| 'lora_embedding_B'
	| 'lora_A_bias'
	| 'lora_B_bias'
	| 'dora_magnitude'
	| 'full_weight'
	| 'full_bias';

export interface AdapterKey {
	/** Module name relative to the causal-LM model, e.g. "model.layers.0.self_attn.q_proj". */
	module: string;
	role: AdapterKeyRole;
}

const PREFIX = 'base_model.model.';
const SUFFIXES: [string, AdapterKeyRole][] = [
	['.lora_A.weight', 'lora_A'],
	['.lora_B.weight', 'lora_B'],
	['.lora_A.bias', 'lora_A_bias'],
	['.lora_B.bias', 'lora_B_bias'],
	['.lora_embedding_A', 'lora_embedding_A'],
	['.lora_embedding_B', 'lora_embedding_B'],
	['.lora_magnitude_vector.weight', 'dora_magnitude'],
	['.lora_magnitude_vector', 'dora_magnitude'],
	['.weight', 'full_weight'],
	['.bias', 'full_bias']
];

/** Parses one saved adapter tensor name, or returns undefined for a name PEFT would not write. */
export function parseAdapterKey(name: string): AdapterKey | undefined {
	if (!name.startsWith(PREFIX)) return undefined;
	const rest = name.slice(PREFIX.length);
	for (const [suffix, role] of SUFFIXES) {
		if (rest.endsWith(suffix) && rest.length > suffix.length) {
			let module = rest.slice(0, -suffix.length);
			// modules_to_save copies are saved as "<module>.modules_to_save.<adapter>.weight" by older PEFT
			module = module.replace(/\.modules_to_save(\.[^.]+)?$/, '');
			return { module, role };
		}
	}
	return undefined;
}
