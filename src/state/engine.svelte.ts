// The engine in use: which kind (this browser's WebGPU or an OpenAI-compatible endpoint), the
// endpoint settings (saved in the settings table), the GPU probe, loading a model with progress
// and cancel, and the model cache (list, delete, storage estimate, persistence). Engines come from
// injected factories so web-llm is never imported on the page. No DOM or worker imports.
import type { ModelRecordLike } from '../domain/catalog/types.ts';
import type { Engine, EngineKind, LoadProgress } from '../domain/engine/types.ts';
import type { GpuProbe } from '../domain/gpu/types.ts';
import type { TuneDb } from '../storage/db.ts';
import { getSetting, setSetting } from '../storage/repos/settings.ts';
import { describe } from './run-controller.svelte.ts';
import { deleteBaseQuestion, deletedWithBaseNotice } from '../domain/webllm-cache/dependencies.ts';
import type { CachedModelView, EndpointSettings, StorageEstimateView } from './view-types.ts';

/** The in-browser engine with its cache helpers. */
export interface LocalEngine extends Engine {
	listCached(): Promise<{ modelId: string; sizeBytes?: number }[]>;
	/** `alsoRemoved`: other models whose weights lived in the same folder and went with it. */
	deleteCached(modelId: string): Promise<{ alsoRemoved?: string[] } | void>;
	/** Adds or replaces model records (derived LoRA models) so they can be loaded and listed. */
	registerModels(records: ModelRecordLike[]): Promise<unknown>;
}

/**
 * Derived (LoRA-merged) models as the cache manager needs them: a label, and a delete that removes
 * only the derived model's own files and row (web-llm's own delete would also take the base's wasm).
 */
export interface DerivedModelsPort {
	/** The friendly label when `modelId` is a derived model, else null. */
	labelOf(modelId: string): string | null;
	remove(modelId: string): Promise<void>;
	/** Derived overlays that read their untouched shards from the cached base `modelId` (none for others). */
	dependentsOf?(modelId: string): { id: string; label: string }[];
	/** Why `modelId` (a derived overlay whose base shards are gone) must not load; null when it may. */
	loadBlocker?(modelId: string): Promise<string | null>;
}

/** A base delete waiting for the user's answer: its derived overlays would lose their weights. */
export interface PendingDelete {
	modelId: string;
	dependents: { id: string; label: string }[];
	question: string;
}

/** An endpoint engine that can list its server's models. */
export interface RemoteEngine extends Engine {
	listModels(): Promise<string[]>;
}

export interface EngineDeps {
	db: TuneDb;
	createLocal: () => Promise<LocalEngine>;
	createRemote: (s: { baseUrl: string; apiKey?: string }) => Promise<RemoteEngine>;
	probeGpu: () => Promise<GpuProbe>;
	storageEstimate: () => Promise<{ usageBytes: number | null; quotaBytes: number | null; persisted: boolean | null }>;
	requestPersistence: () => Promise<boolean>;
}

const EMPTY_ENDPOINT: EndpointSettings = { baseUrl: '', apiKey: '', model: '' };

/** The result of "Test connection": the server's models, or what went wrong in words. */
export type ConnectionCheck =
	| { status: 'testing'; baseUrl: string }
	| { status: 'ok'; baseUrl: string; models: string[] }
	| { status: 'failed'; baseUrl: string; message: string; advice: string };

/**
 * "What happened, what to do" for a failed GET /v1/models, in words: a refused key (401/403), a
 * wrong path (404), a server that cannot be reached, else the engine's own message and advice.
 */
export function describeConnectionError(baseUrl: string, e: unknown): { message: string; advice: string } {
	const d = describe(e);
	const status = /\bHTTP (\d{3})\b/.exec(d.message)?.[1];
	if (status === '401' || status === '403') {
		return {
			message: `The server at ${baseUrl} refused the request (HTTP ${status}): it needs an API key, or this one is wrong.`,
			advice: 'Check the API key (and that it may list models), then test again.'
		};
	}
	if (status === '404') {
		return {
			message: `The server at ${baseUrl} has no model list there (HTTP 404): the base URL is probably wrong.`,
			advice: 'Use the address of the OpenAI-compatible API, which usually ends in /v1 (e.g. http://localhost:8000/v1).'
		};
	}
	if (d.code === 'network' || /Failed to fetch|NetworkError|Load failed|fetch failed/i.test(d.message)) {
		return {
			message: `Could not reach ${baseUrl}.`,
			advice: 'Check that the server is running and the URL is right, and that it allows requests from this page (CORS).'
		};
	}
	return { message: d.message, advice: d.advice };
}

export class EngineState {
	kind = $state<EngineKind>('webllm');
	endpoint = $state<EndpointSettings>({ ...EMPTY_ENDPOINT });
	endpointModels = $state.raw<string[]>([]);
	/** The last "Test connection" of endpoint settings (saved or not); null before any. */
	connection = $state.raw<ConnectionCheck | null>(null);
	probe = $state.raw<GpuProbe | null>(null);
	loadedModelId = $state<string | null>(null);
	loadingModelId = $state<string | null>(null);
	progress = $state.raw<LoadProgress | null>(null);
	loadError = $state.raw<{ message: string; advice: string } | null>(null);
	cached = $state.raw<CachedModelView[]>([]);
	estimate = $state.raw<StorageEstimateView | null>(null);
	persisted = $state<boolean | null>(null);
	/** What the last cache deletion also removed, said to the user; null when nothing else went. */
	deleteNotice = $state<string | null>(null);
	/** A base delete that asks first (derived models use its files); answered by confirmDelete/cancelDelete. */
	pendingDelete = $state.raw<PendingDelete | null>(null);
	ready = $state(false);

	webgpu = $derived(this.probe?.available === true);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a $derived value, rebuilt, never mutated
	cachedIds = $derived(new Set(this.cached.map((c) => c.id)));
	/** The model a run goes to: the loaded local model, or the endpoint's model name. */
	runModelId = $derived(this.kind === 'webllm' ? this.loadedModelId : this.endpoint.model.trim() || null);
	/** Why a run cannot start now, or null. */
	blockedReason = $derived.by((): string | null => {
		if (this.kind === 'endpoint') {
			if (!this.endpoint.baseUrl) return 'Save the endpoint settings first.';
			return this.endpoint.model.trim() ? null : 'Enter the endpoint model name.';
		}
		if (!this.webgpu) return 'WebGPU is not available: switch to an endpoint.';
		return this.loadedModelId ? null : 'Load a model first.';
	});

	#deps: EngineDeps;
	#local: LocalEngine | null = null;
	#localStart: Promise<LocalEngine> | null = null;
	#remote: RemoteEngine | null = null;
	#loadAbort: AbortController | null = null;
	/** Set once the user picks an engine, so the saved choice read by start() cannot overwrite it. */
	#kindChosen = false;
	#derived: DerivedModelsPort | null = null;
	/** Records registered at run time, given again to a newly created local engine. */
	#extraRecords: ModelRecordLike[] = [];

	constructor(deps: EngineDeps) {
		this.#deps = deps;
	}

	/** Reads saved settings, probes the GPU and lists cached models. */
	async start(): Promise<void> {
		await this.#readSettings();
		this.probe = await this.#deps.probeGpu();
		this.ready = true;
		await this.refreshStorage();
		if (this.kind === 'endpoint' && this.endpoint.baseUrl) void this.refreshEndpointModels();
	}

	/**
	 * Reads the engine choice and endpoint settings again (after an import wrote new ones), so the
	 * form and the runs both use what is stored now.
	 */
	async reloadSettings(): Promise<void> {
		this.#kindChosen = false;
		await this.#readSettings();
		if (this.kind === 'endpoint' && this.endpoint.baseUrl) void this.refreshEndpointModels();
	}

	async #readSettings(): Promise<void> {
		const db = this.#deps.db;
		const savedKind = await getSetting<EngineKind>(db, 'engineKind', 'webllm');
		if (!this.#kindChosen) this.kind = savedKind;
		const saved = await getSetting<Partial<EndpointSettings>>(db, 'endpoint', {});
		const apiKey = await getSetting<string>(db, 'endpointApiKey', '');
		const next = { ...EMPTY_ENDPOINT, ...saved, apiKey };
		const changed = next.baseUrl !== this.endpoint.baseUrl || next.apiKey !== this.endpoint.apiKey;
		this.endpoint = next;
		if (changed) {
			// a remote engine built for the old URL or key must not serve runs for the new ones
			this.#remote?.dispose();
			this.#remote = null;
		}
	}

	/** Routes deletes and labels of derived models to `port` (the adapters state). */
	useDerivedModels(port: DerivedModelsPort): void {
		this.#derived = port;
	}

	/** Registers model records (derived models) with the in-browser engine, now or when it starts. */
	async registerModels(records: ModelRecordLike[]): Promise<void> {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup
		const ids = new Set(records.map((r) => r.model_id));
		this.#extraRecords = [...this.#extraRecords.filter((r) => !ids.has(r.model_id)), ...records];
		if (this.#local) await this.#local.registerModels(records);
	}

	async setKind(kind: EngineKind): Promise<void> {
		this.#kindChosen = true;
		this.kind = kind;
		await setSetting(this.#deps.db, 'engineKind', kind);
	}

	async saveEndpoint(settings: EndpointSettings): Promise<void> {
		this.endpoint = { ...settings };
		this.#remote?.dispose();
		this.#remote = null;
		// The key is stored under its own name so exports leave it out (bundle-io SECRET_SETTING_KEY).
		const { apiKey, ...rest } = $state.snapshot(this.endpoint);
		await setSetting(this.#deps.db, 'endpoint', rest);
		await setSetting(this.#deps.db, 'endpointApiKey', apiKey);
		void this.refreshEndpointModels();
	}

	/**
	 * Asks the server at `settings.baseUrl` for its models (GET /v1/models) without saving anything;
	 * the outcome, in words, is in `connection`.
	 */
	async testConnection(settings: { baseUrl: string; apiKey: string }): Promise<ConnectionCheck> {
		const baseUrl = settings.baseUrl.trim();
		this.connection = { status: 'testing', baseUrl };
		let check: ConnectionCheck;
		let remote: RemoteEngine | null = null;
		try {
			remote = await this.#deps.createRemote({ baseUrl, apiKey: settings.apiKey || undefined });
			check = { status: 'ok', baseUrl, models: await remote.listModels() };
		} catch (e) {
			check = { status: 'failed', baseUrl, ...describeConnectionError(baseUrl, e) };
		} finally {
			remote?.dispose();
		}
		// a later test (or a save) supersedes this one
		if (this.connection?.status === 'testing' && this.connection.baseUrl === baseUrl) this.connection = check;
		return check;
	}

	async refreshEndpointModels(): Promise<void> {
		try {
			this.endpointModels = await (await this.#remoteEngine()).listModels();
		} catch {
			this.endpointModels = [];
		}
	}

	/** The engine a run should use now. */
	/** The in-browser engine whatever the chosen kind (a comparison may mix it with endpoints). */
	localEngine(): Promise<LocalEngine> {
		return this.#localEngine();
	}

	async current(): Promise<Engine> {
		return this.kind === 'webllm' ? this.#localEngine() : this.#remoteEngine();
	}

	/** Downloads (or reads from cache) and loads a model in this browser; cancellable. */
	async load(modelId: string): Promise<void> {
		this.cancelLoad();
		const abort = new AbortController();
		this.#loadAbort = abort;
		this.loadingModelId = modelId;
		this.loadError = null;
		this.progress = { fraction: 0, text: 'Starting…' };
		try {
			// An overlay without its base's shards would half-load (or fetch them anew): refuse in words instead.
			const blocked = await this.#derived?.loadBlocker?.(modelId);
			if (blocked) {
				this.loadError = { message: blocked, advice: 'Download the base model again, or delete this derived model.' };
				return;
			}
			const engine = await this.#localEngine();
			await engine.load(modelId, { signal: abort.signal, onProgress: (p) => (this.progress = p) });
			if (!abort.signal.aborted) this.loadedModelId = modelId;
		} catch (e) {
			if (!abort.signal.aborted) this.loadError = describe(e);
		} finally {
			if (this.#loadAbort === abort) {
				this.#loadAbort = null;
				this.loadingModelId = null;
				this.progress = null;
			}
		}
		await this.refreshStorage();
	}

	cancelLoad(): void {
		this.#loadAbort?.abort();
		this.#loadAbort = null;
		this.loadingModelId = null;
		this.progress = null;
	}

	/**
	 * Deletes a cached model. A base whose files derived overlays read is not deleted at once: `pendingDelete`
	 * asks (confirmDelete deletes them all, cancelDelete keeps everything), so no derived model is left
	 * pointing at deleted shards.
	 */
	async deleteCached(modelId: string, opts: { withDependents?: boolean } = {}): Promise<void> {
		const derived = this.#derived;
		const isDerived = derived?.labelOf(modelId) != null;
		const dependents = isDerived ? [] : (derived?.dependentsOf?.(modelId) ?? []);
		if (dependents.length > 0 && !opts.withDependents) {
			const question = deleteBaseQuestion(dependents);
			this.pendingDelete = { modelId, dependents, question };
			// said through the notice as well, so the question is never silent
			this.deleteNotice = question;
			return;
		}
		this.pendingDelete = null;
		const engine = await this.#localEngine();
		for (const id of [...dependents.map((d) => d.id), modelId]) {
			if (this.loadedModelId !== id) continue;
			await engine.unload(id);
			this.loadedModelId = null;
		}
		this.deleteNotice = null;
		for (const d of dependents) await derived!.remove(d.id);
		if (isDerived) await derived!.remove(modelId);
		else {
			const also = (await engine.deleteCached(modelId))?.alsoRemoved ?? [];
			const notes: string[] = [];
			if (dependents.length > 0) notes.push(deletedWithBaseNotice(modelId, dependents));
			if (also.length > 0) {
				notes.push(
					`Also removed ${also.join(', ')}: ${also.length === 1 ? 'it uses' : 'they use'} the same downloaded weights as ${modelId}.`
				);
			}
			this.deleteNotice = notes.length > 0 ? notes.join(' ') : null;
		}
		await this.refreshStorage();
	}

	/** Answers the pending question: deletes the base and every derived model that uses its files. */
	async confirmDelete(): Promise<void> {
		const p = this.pendingDelete;
		if (p) await this.deleteCached(p.modelId, { withDependents: true });
	}

	/** Answers the pending question: deletes nothing. */
	cancelDelete(): void {
		this.pendingDelete = null;
		this.deleteNotice = null;
	}

	async persist(): Promise<void> {
		this.persisted = await this.#deps.requestPersistence();
	}

	async refreshStorage(): Promise<void> {
		const est = await this.#deps.storageEstimate();
		this.estimate = est.usageBytes === null || est.quotaBytes === null ? null : { usageBytes: est.usageBytes, quotaBytes: est.quotaBytes };
		this.persisted = est.persisted;
		if (!this.webgpu) return;
		try {
			const list = await (await this.#localEngine()).listCached();
			this.cached = list.map((c) => ({
				id: c.modelId,
				label: this.#derived?.labelOf(c.modelId) ?? c.modelId,
				sizeBytes: c.sizeBytes
			}));
		} catch {
			this.cached = [];
		}
	}

	destroy(): void {
		this.cancelLoad();
		this.#local?.dispose();
		this.#remote?.dispose();
	}

	async #localEngine(): Promise<LocalEngine> {
		this.#localStart ??= (async () => {
			const local = await this.#deps.createLocal();
			this.#local = local;
			// A record the engine refuses only makes that model fail to load, not the base models.
			if (this.#extraRecords.length > 0) await local.registerModels(this.#extraRecords).catch(() => undefined);
			return local;
		})().catch((e: unknown) => {
			this.#localStart = null;
			throw e;
		});
		return this.#localStart;
	}

	async #remoteEngine(): Promise<RemoteEngine> {
		this.#remote ??= await this.#deps.createRemote({
			baseUrl: this.endpoint.baseUrl,
			apiKey: this.endpoint.apiKey || undefined
		});
		return this.#remote;
	}
}
