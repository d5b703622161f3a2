// In-test engines implementing the Engine interface (src/domain/engine/types.ts) for the state tests:
// a local engine with a Map as its model cache and a load the test finishes, fails or cancels, and
// a remote engine that lists fixed models. They are test inputs, not the code under test.
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
	features: ['depth-clip-control', 'depth32float-stencil8', 'float32-filterable', 'indirect-first-instance', 'rg11b10ufloat-renderable', 'texture-compression-bc', 'timestamp-query'],
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
