// In-test engines implementing the Engine interface (src/domain/engine/types.ts) for the state tests:
// a local engine with a Map as its model cache and a load the test finishes, fails or cancels, a
// local engine with several resident models that streams answers (loadMany, residentIds, cancelAll,
// 'not-resident', out-of-memory past a set number of models), and a remote engine that lists fixed
// models. They are test inputs, not the code under test.
import type { ModelRecordLike } from '../../../src/domain/catalog/types.ts';
import type { GenerateRequest, GenerateResult, LoadProgress } from '../../../src/domain/engine/types.ts';
import { EngineError } from '../../../src/domain/engine/errors.ts';
import type { GpuProbe } from '../../../src/domain/gpu/types.ts';
import type { LocalEngine, RemoteEngine } from '../../../src/state/engine.svelte.ts';

/** What Debian's Chromium reports with SwiftShader: WebGPU works, but no shader-f16. */
export const SWIFTSHADER_PROBE: GpuProbe = {
	available: true,
	adapter: { vendor: 'google', architecture: 'swiftshader', device: '', description: 'SwiftShader' },
	isFallbackAdapter: true,
	features: [
		'depth-clip-control',
		'depth32float-stencil8',
		'float32-filterable',
		'indirect-first-instance',
		'rg11b10ufloat-renderable',
		'texture-compression-bc',
		'timestamp-query'
	],
	limits: { maxBufferSize: 268_435_456, maxStorageBufferBindingSize: 134_217_728 }
};

export const NO_WEBGPU_PROBE: GpuProbe = {
	available: false,
	reason: 'navigator.gpu is undefined in this browser',
	advice: 'Use a browser with WebGPU.'
};

interface PendingLoad {
	modelId: string;
	signal: AbortSignal | undefined;
	onProgress: ((p: LoadProgress) => void) | undefined;
	finish: () => void;
	fail: (e: unknown) => void;
}

export class TestLocalEngine implements LocalEngine {
	readonly info = { kind: 'webllm' as const, version: 'test-local' };
	/** modelId → size in bytes: what listCached reports. */
	cache = new Map<string, number>();
	pending: PendingLoad[] = [];
	unloaded: (string | undefined)[] = [];
	deleted: string[] = [];
	disposed = false;

	/** Reports `progress` at once, then waits until the test calls finish/fail or the signal aborts. */
	load(modelId: string, opts?: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void }): Promise<void> {
		return new Promise((resolve, reject) => {
			const load: PendingLoad = {
				modelId,
				signal: opts?.signal,
				onProgress: opts?.onProgress,
				finish: () => {
					this.cache.set(modelId, 1000);
					resolve();
				},
				fail: reject
			};
			this.pending.push(load);
			opts?.signal?.addEventListener('abort', () =>
				reject(new EngineError('aborted', 'Loading was cancelled.', 'Load the model again when ready.'))
			);
		});
	}

	async generate(_request: GenerateRequest, _opts: { signal?: AbortSignal; onDelta: (d: string) => void }): Promise<GenerateResult> {
		throw new Error('not used by these tests');
	}
	async countTokens(): Promise<number | null> {
		return null;
	}
	async unload(modelId?: string): Promise<void> {
		this.unloaded.push(modelId);
	}
	dispose(): void {
		this.disposed = true;
	}
	async listCached(): Promise<{ modelId: string; sizeBytes?: number }[]> {
		return [...this.cache].map(([modelId, sizeBytes]) => ({ modelId, sizeBytes }));
	}
	/** Models whose weight folder another model shares, as the web-llm worker reports them. */
	sharedWeights = new Map<string, string[]>();
	async deleteCached(modelId: string): Promise<{ alsoRemoved: string[] }> {
		this.deleted.push(modelId);
		this.cache.delete(modelId);
		const alsoRemoved = (this.sharedWeights.get(modelId) ?? []).filter((id) => this.cache.delete(id));
		return { alsoRemoved };
	}
	async registerModels(_records: ModelRecordLike[]): Promise<void> {}
}

/**
 * Several models resident at once, like the web-llm worker: `loadMany` replaces the resident set and
 * fails with 'out-of-memory' (leaving nothing resident) when asked for more than `fitsTogether`
 * models; `generate` refuses a request whose `resident` models are not all loaded, streams
 * `answer(request)` word by word (one timer tick per word) and resolves 'abort' with the text so far
 * when its signal or cancelAll() stops it. Calls are recorded for the test to inspect.
 */
export class TestMultiEngine implements LocalEngine {
	readonly info = { kind: 'webllm' as const, version: 'test-multi' };
	resident: string[] = [];
	/** Every load, as the list of ids asked for. */
	loads: string[][] = [];
	generated: GenerateRequest[] = [];
	cancelAllCalls = 0;
	/** How many models fit on the pretend GPU at once. */
	fitsTogether = Number.POSITIVE_INFINITY;
	answer: (request: GenerateRequest) => string = (r) => `answer from ${r.modelId}`;
	disposed = false;
	readonly #running = new Set<AbortController>();

	async load(modelId: string): Promise<void> {
		await this.loadMany([modelId]);
	}
	async loadMany(modelIds: string[]): Promise<void> {
		this.loads.push([...modelIds]);
		this.resident = [];
		if (modelIds.length > this.fitsTogether)
			throw new EngineError(
				'out-of-memory',
				`${modelIds.join(' + ')} do not fit in GPU memory together; nothing is loaded now.`,
				'Run these models one after the other instead of together.'
			);
		this.resident = [...modelIds];
	}
	async residentIds(): Promise<string[]> {
		return [...this.resident];
	}
	async generate(request: GenerateRequest, opts: { signal?: AbortSignal; onDelta: (d: string) => void }): Promise<GenerateResult> {
		this.generated.push(request);
		const wanted = [request.modelId, ...(request.resident ?? [])];
		const missing = wanted.filter((m) => !this.resident.includes(m));
		if (request.resident && missing.length > 0)
			throw new EngineError(
				'not-resident',
				`${missing.join(', ')} not loaded`,
				"Load the comparison's models first; the engine will not swap models while other answers stream."
			);
		if (!request.resident && missing.length > 0) await this.loadMany([request.modelId]);
		const stop = new AbortController();
		const onAbort = () => stop.abort();
		opts.signal?.addEventListener('abort', onAbort);
		if (opts.signal?.aborted) stop.abort();
		this.#running.add(stop);
		let text = '';
		try {
			for (const word of this.answer(request).split(/(?<= )/)) {
				await new Promise((r) => setTimeout(r, 0));
				if (stop.signal.aborted) break;
				text += word;
				opts.onDelta(word);
			}
		} finally {
			this.#running.delete(stop);
			opts.signal?.removeEventListener('abort', onAbort);
		}
		return {
			text,
			finishReason: stop.signal.aborted ? 'abort' : 'stop',
			stats: {
				promptTokens: 0,
				completionTokens: text ? text.split(' ').length : 0,
				timeToFirstTokenMs: 0,
				totalMs: 0,
				source: 'measured'
			}
		};
	}
	async cancelAll(): Promise<void> {
		this.cancelAllCalls++;
		for (const c of this.#running) c.abort();
	}
	async countTokens(): Promise<number | null> {
		return null;
	}
	async unload(): Promise<void> {
		this.resident = [];
	}
	dispose(): void {
		this.disposed = true;
	}
	async listCached(): Promise<{ modelId: string; sizeBytes?: number }[]> {
		return [];
	}
	async deleteCached(): Promise<{ alsoRemoved: string[] }> {
		return { alsoRemoved: [] };
	}
	async registerModels(_records: ModelRecordLike[]): Promise<void> {}
}

export class TestRemoteEngine implements RemoteEngine {
	readonly info: { kind: 'endpoint'; version: string };
	disposed = false;
	constructor(
		readonly settings: { baseUrl: string; apiKey?: string },
		private models: string[]
	) {
		this.info = { kind: 'endpoint', version: settings.baseUrl };
	}
	async load(): Promise<void> {}
	async generate(): Promise<GenerateResult> {
		throw new Error('not used by these tests');
	}
	async countTokens(): Promise<number | null> {
		return null;
	}
	async unload(): Promise<void> {}
	dispose(): void {
		this.disposed = true;
	}
	async listModels(): Promise<string[]> {
		return this.models;
	}
}
