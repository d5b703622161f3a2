// Builds the real engines lazily: dynamic imports keep the worker client and the endpoint client
// out of the page entry chunk. Never imports web-llm itself (only the worker does).
import type { LocalEngine, RemoteEngine } from './engine.svelte.ts';

/** The web-llm engine running in its module worker. */
export async function createLocalEngine(): Promise<LocalEngine> {
	const { createWebLlmEngine } = await import('../workers/llm-client.ts');
	const engine = createWebLlmEngine();
	return {
		...engine,
		info: engine.info,
		listCached: async () => (await engine.listCached()).map((c) => ({ modelId: c.modelId, sizeBytes: c.sizeBytes + c.wasmBytes }))
	};
}

/** The OpenAI-compatible endpoint engine. */
export async function createRemoteEngine(s: { baseUrl: string; apiKey?: string }): Promise<RemoteEngine> {
	const { createEndpointEngine } = await import('../engines/openai-endpoint.ts');
	return createEndpointEngine(s);
}
