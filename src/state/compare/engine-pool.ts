// One engine per variant's engine: the in-browser web-llm engine (shared with the playground) or
// an endpoint engine per base URL, so a comparison may mix them. The API key of an endpoint is
// taken from the saved endpoint settings when the base URL matches; it is never part of a spec.
import type { Engine } from '../../domain/engine/types.ts';
import type { VariantSpec } from '../../domain/experiment/types.ts';

export interface EnginePoolDeps {
	local: () => Promise<Engine>;
	remote: (s: { baseUrl: string; apiKey?: string }) => Promise<Engine>;
	/** The saved endpoint settings (for the API key). */
	savedEndpoint: () => { baseUrl: string; apiKey: string };
}

export class EnginePool {
	readonly #deps: EnginePoolDeps;
	readonly #remotes = new Map<string, Promise<Engine>>();

	constructor(deps: EnginePoolDeps) {
		this.#deps = deps;
	}

	/** The engine a variant runs on. */
	engineFor(spec: Pick<VariantSpec, 'engine'>): Promise<Engine> {
		if (spec.engine.kind === 'webllm') return this.#deps.local();
		const baseUrl = spec.engine.baseUrl ?? '';
		if (!baseUrl) return Promise.reject(new Error('This endpoint variant has no base URL. Edit the comparison.'));
		const saved = this.#deps.savedEndpoint();
		const apiKey = saved.baseUrl === baseUrl && saved.apiKey ? saved.apiKey : undefined;
		const key = `${baseUrl}\n${apiKey ?? ''}`;
		let engine = this.#remotes.get(key);
		if (!engine) {
			engine = this.#deps.remote({ baseUrl, apiKey });
			this.#remotes.set(key, engine);
		}
		return engine;
	}

	dispose(): void {
		for (const e of this.#remotes.values()) void e.then((x) => x.dispose()).catch(() => undefined);
		this.#remotes.clear();
	}
}
