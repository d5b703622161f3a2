// Maps SamplingSettings to the sampling fields of an OpenAI chat-completion request (snake_case),
// shared by the endpoint engine and the web-llm worker. Pure: no web-llm or DOM imports.

import type { SamplingSettings } from './types.ts';

/** The sampling fields of an OpenAI-style chat completion request. */
export interface OpenAiSamplingFields {
	temperature?: number;
	top_p?: number;
	max_tokens?: number;
	seed?: number;
	presence_penalty?: number;
	frequency_penalty?: number;
	/** Not OpenAI, but web-llm, llama.cpp and vLLM accept it. */
	repetition_penalty?: number;
	stop?: string[];
}

/**
 * The request fields for `s`. Unset settings stay undefined (JSON.stringify drops them, web-llm
 * treats them as absent); an empty stop list is left out.
 */
export function openAiSamplingFields(s: SamplingSettings): OpenAiSamplingFields {
	return {
		temperature: s.temperature,
		top_p: s.topP,
		max_tokens: s.maxTokens,
		seed: s.seed,
		presence_penalty: s.presencePenalty,
		frequency_penalty: s.frequencyPenalty,
		repetition_penalty: s.repetitionPenalty,
		stop: s.stop && s.stop.length > 0 ? s.stop : undefined
	};
}
