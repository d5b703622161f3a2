// The LoRA adapters flow: the adapter library (IndexedDB via the adapters repo), intake from files
// or the Hub, inspection and compatibility against a chosen base, derivation in the derive worker with
// progress and cancel, the derived models (registered with the web-llm engine at start-up) and
// "chat with it". No DOM or worker imports: the worker client and intake come through deps.
import type { CatalogEntry, ModelRecordLike } from '../domain/catalog/types.ts';
import { toCatalogEntry } from '../domain/catalog/parse-record.ts';
import { checkCompatibility, suggestBaseModels, type AdapterReport, type CompatibilityVerdict } from '../domain/lora/index.ts';
import { derivedModelId, type FidelityReport } from '../domain/merge/index.ts';
import { derivedLabel, fidelityNote } from '../domain/webllm-cache/derived-label.ts';
import { dependentsOf, missingBaseMessage } from '../domain/webllm-cache/dependencies.ts';
import { modelFolderUrl } from '../domain/webllm-cache/urls.ts';
import { parseTensorCache } from '../domain/weights/index.ts';
import type { TuneDb } from '../storage/db.ts';
import { deleteAdapter, getAdapterFile, listAdapters, putAdapter } from '../storage/repos/adapters.ts';
import { deleteDerivedModel, listDerivedModels, putDerivedModel } from '../storage/repos/derived-models.ts';
import type { AdapterRow, DerivedModelRow } from '../storage/rows.ts';
import type { AdapterIntake } from '../util/browser/adapter-intake.ts';
import type { DeriveClient } from '../workers/derive-client.ts';
import type { DeriveProgressEvent } from '../workers/derive-protocol.ts';
import type { DerivedOption } from './catalog.svelte.ts';
import type { DerivedModelsPort } from './engine.svelte.ts';

export interface AdaptersDeps {
	db: TuneDb;
	deriveClient: () => Promise<DeriveClient>;
	readFiles: (files: File[]) => Promise<AdapterIntake>;
	filesFromEntries: (entries: (FileSystemEntry | null)[], fallback: File[]) => Promise<File[]>;
	fetchHub: (repoOrUrl: string, onProgress: (done: number, total: number | null) => void) => Promise<File[]>;
	/**
	 * Base model records to derive from (the catalog), which also lists the derived models; `options`
	 * carries this GPU's verdict per model, as the model picker shows it (CatalogState.options).
	 */
	catalog: {
		entries: CatalogEntry[];
		options?: readonly BaseVerdictSource[];
		select(id: string): Promise<void>;
		setDerived(list: DerivedOption[]): Promise<void>;
	};
	/**
	 * The in-browser engine: registers records, loads a model, and routes the cache manager's
	 * deletes and labels of derived models here (useDerivedModels).
	 */
	engine: {
		registerModels(records: ModelRecordLike[]): Promise<void>;
		load(id: string): Promise<void>;
		refreshStorage(): Promise<void>;
		useDerivedModels(port: DerivedModelsPort): void;
	};
	/** The base's cached mlc-chat-config.json and tensor-cache.json, when it is downloaded. */
	readBaseFiles: (record: ModelRecordLike) => Promise<{ mlcConfig: unknown; tensorCache: unknown } | null>;
	/**
	 * The base shard URLs a derived overlay (at its folder URL) names that are missing from the cache; [] when
	 * all are there. Absent: not checked.
	 */
	missingOverlayShards?: (derivedFolderUrl: string) => Promise<string[]>;
	origin: string;
}

/** A catalog model with this GPU's verdict (ModelOption's fields that the base picker needs). */
export interface BaseVerdictSource {
	id: string;
	verdict: { runnable: boolean; reason?: string };
}

/** One entry of the base picker: suggested for the adapter or not, and whether this GPU runs it. */
export interface BaseChoice {
	id: string;
	suggested: boolean;
	runnable: boolean;
	/** Why this GPU cannot run it, when it cannot. */
	reason?: string;
}

export interface DerivedView extends DerivedModelRow {
	summary: FidelityReport['summary'] | null;
}

function describeError(e: unknown): string {
	return e instanceof Error ? e.message : String(e);
}

export class AdaptersState {
	library = $state.raw<AdapterRow[]>([]);
	derived = $state.raw<DerivedModelRow[]>([]);
	/** The adapter being looked at (freshly read or picked from the library). */
	current = $state.raw<{ id: string; name: string; report: AdapterReport; config: Record<string, unknown> } | null>(null);
	baseId = $state<string | null>(null);
	verdict = $state.raw<CompatibilityVerdict | null>(null);
	scale = $state(1);
	busy = $state<'reading' | 'downloading' | 'deriving' | null>(null);
	progress = $state.raw<DeriveProgressEvent | null>(null);
	error = $state<string | null>(null);
	lastDerivedId = $state<string | null>(null);

	#deps: AdaptersDeps;
	#intake: AdapterIntake | null = null;
	#abort: AbortController | null = null;

	constructor(deps: AdaptersDeps) {
		this.#deps = deps;
	}

	/** Catalog ids matching the adapter's base_model_name_or_path, unquantized first. */
	get suggestions(): string[] {
		return suggestBaseModels(
			this.current?.report.baseModelNameOrPath ?? null,
			this.#deps.catalog.entries.map((e) => e.id)
		);
	}

	/** Problems of the current adapter on its own (config vs tensors), known before any base is downloaded. */
	get adapterProblems(): string[] {
		return this.current?.report.problems ?? [];
	}

	/**
	 * Every catalog model as the base picker lists it: suggestions first, each with this GPU's verdict
	 * (the same verdicts as the model picker; runnable when the catalog gives none).
	 */
	get baseChoices(): BaseChoice[] {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup in a getter
		const verdicts = new Map((this.#deps.catalog.options ?? []).map((o) => [o.id, o.verdict]));
		const suggested = this.suggestions;
		const rest = this.#deps.catalog.entries.map((e) => e.id).filter((id) => !suggested.includes(id));
		return [...suggested, ...rest].map((id) => {
			const v = verdicts.get(id);
			return {
				id,
				suggested: suggested.includes(id),
				runnable: v?.runnable ?? true,
				...(v && !v.runnable && v.reason ? { reason: v.reason } : {})
			};
		});
	}

	/** Why the chosen base cannot be used on this GPU, with a runnable suggestion; null when it can. */
	get baseProblem(): string | null {
		const choice = this.baseChoices.find((c) => c.id === this.baseId);
		if (!choice || choice.runnable) return null;
		const alternative = this.baseChoices.find((c) => c.suggested && c.runnable);
		const why = choice.reason ? `: it ${choice.reason}` : '';
		return alternative
			? `This GPU cannot run ${choice.id}${why}. Pick ${alternative.id} instead.`
			: `This GPU cannot run ${choice.id}${why}. No suggested base for this adapter runs here; derive it on a GPU that can, or with the command line (npm run derive).`;
	}

	/** Why Derive is disabled now (adapter problems first, then the base), or null. */
	get deriveBlockedReason(): string | null {
		if (!this.current) return 'Add an adapter first.';
		const n = this.adapterProblems.length;
		if (n > 0) return `Fix the adapter's ${n === 1 ? 'problem' : `${n} problems`} listed above first.`;
		if (!this.baseId) return 'Choose a base model.';
		if (this.baseProblem) return this.baseProblem;
		if (this.verdict?.ok === false) return 'The adapter does not fit the chosen base (see above).';
		return null;
	}

	/** How a library row's source reads: "folder my-lora", "Hub owner/name", "picked files". */
	static sourceText(source: AdapterRow['source']): string {
		if (source.kind === 'hub') return `Hub ${source.ref}`;
		return source.ref && source.ref !== 'files' ? `folder ${source.ref}` : 'picked files';
	}

	/**
	 * Loads the library, registers every stored derived model with the engine, lists them in the
	 * model picker, and takes over the cache manager's deletes and labels of derived models.
	 */
	async start(): Promise<void> {
		await this.#refresh();
		const records = this.derived.map((d) => d.record as unknown as ModelRecordLike);
		if (records.length > 0)
			await this.#deps.engine
				.registerModels(records)
				.catch(
					(e: unknown) => (this.error = `Your derived models could not be registered with the engine (${String(e)}). Reload the page.`)
				);
		this.#deps.engine.useDerivedModels({
			labelOf: (id) => this.labelOf(id),
			remove: (id) => this.removeDerived(id),
			dependentsOf: (id) => this.dependentsOf(id),
			loadBlocker: (id) => this.loadBlocker(id)
		});
		await this.#deps.engine.refreshStorage();
	}

	/** "base + LoRA <hash8>" when `modelId` is a stored derived model, else null. */
	labelOf(modelId: string): string | null {
		const row = this.derived.find((d) => d.id === modelId);
		return row ? derivedLabel(row) : null;
	}

	/** The stored derived overlays that read their untouched shards from the base `modelId`'s folder. */
	dependentsOf(modelId: string): { id: string; label: string }[] {
		const record = this.#deps.catalog.entries.find((e) => e.id === modelId)?.record;
		if (!record || this.labelOf(modelId) !== null) return [];
		const rows = this.derived.map((d) => ({ id: d.id, label: derivedLabel(d), baseModelId: d.baseModelId, overlayOf: d.overlayOf }));
		return dependentsOf(modelFolderUrl(record.model), rows).map(({ id, label }) => ({ id, label }));
	}

	/** Why the derived overlay `modelId` cannot load (its base's shards are gone), else null. */
	async loadBlocker(modelId: string): Promise<string | null> {
		const row = this.derived.find((d) => d.id === modelId);
		if (!row?.overlayOf || !this.#deps.missingOverlayShards) return null;
		const missing = await this.#deps.missingOverlayShards(modelFolderUrl((row.record as unknown as ModelRecordLike).model));
		return missing.length > 0 ? missingBaseMessage(row.baseModelId) : null;
	}

	/** The adapter merged into `modelId` when it is a stored derived model (for run snapshots). */
	adapterIdOf(modelId: string): string | undefined {
		return this.derived.find((d) => d.id === modelId)?.adapterId;
	}

	async #refresh(): Promise<void> {
		this.library = await listAdapters(this.#deps.db);
		this.derived = await listDerivedModels(this.#deps.db);
		await this.#deps.catalog.setDerived(
			this.derived.map((d) => ({
				entry: toCatalogEntry(d.record as unknown as ModelRecordLike),
				label: derivedLabel(d),
				note: fidelityNote((d.fidelity as unknown as Partial<FidelityReport>).summary)
			}))
		);
	}

	/** Reads an adapter from files the user picked or dropped, and stores it in the library. */
	async addFiles(
		files: File[],
		source: AdapterRow['source'] = { kind: 'files', ref: files[0]?.webkitRelativePath.split('/')[0] || 'files' }
	): Promise<void> {
		this.error = null;
		this.busy = 'reading';
		try {
			const intake = await this.#deps.readFiles(files);
			// The folder or repo name tells adapters apart; picked loose files fall back to the base name.
			const name =
				source.ref && source.ref !== 'files'
					? source.ref
					: intake.report.baseModelNameOrPath
						? `LoRA for ${intake.report.baseModelNameOrPath}`
						: 'LoRA adapter';
			const row: AdapterRow = {
				id: intake.id,
				name,
				source,
				config: intake.config,
				files: [
					{ name: 'adapter_config.json', hash: intake.fileHashes.config, sizeBytes: intake.configFile.size },
					{ name: 'adapter_model.safetensors', hash: intake.fileHashes.tensors, sizeBytes: intake.tensorsFile.size }
				],
				sizeBytes: intake.sizeBytes,
				createdAt: Date.now(),
				notes: ''
			};
			const existing = this.library.find((a) => a.id === row.id);
			await putAdapter(
				this.#deps.db,
				existing ?? row,
				// eslint-disable-next-line svelte/prefer-svelte-reactivity -- an argument to putAdapter, not state
				new Map([
					[intake.fileHashes.config, intake.configFile],
					[intake.fileHashes.tensors, intake.tensorsFile]
				])
			);
			this.#intake = intake;
			this.current = { id: row.id, name: existing?.name ?? name, report: intake.report, config: intake.config };
			// Preselect a suggested base this GPU can run (else the first suggestion, marked as not runnable).
			const suggested = this.baseChoices.filter((c) => c.suggested);
			this.baseId = (suggested.find((c) => c.runnable) ?? suggested[0])?.id ?? this.baseId;
			await this.#refresh();
			await this.checkBase();
		} catch (e) {
			// The previous adapter's report must not stay under an error about this one.
			this.#clearCurrent();
			this.error = describeError(e);
		} finally {
			this.busy = null;
		}
	}

	#clearCurrent(): void {
		this.current = null;
		this.verdict = null;
		this.#intake = null;
	}

	/** Adds an adapter dropped as files or a folder (entries taken synchronously in the drop handler). */
	async addDropped(entries: (FileSystemEntry | null)[], fallback: File[]): Promise<void> {
		try {
			await this.addFiles(await this.#deps.filesFromEntries(entries, fallback));
		} catch (e) {
			this.#clearCurrent();
			this.error = describeError(e);
		}
	}

	/** Downloads adapter_config.json + adapter_model.safetensors from a Hub repo, then adds them. */
	async addFromHub(repoOrUrl: string): Promise<void> {
		this.error = null;
		this.busy = 'downloading';
		try {
			const files = await this.#deps.fetchHub(repoOrUrl, (done, total) => {
				this.progress = { phase: 'download-base', doneBytes: done, totalBytes: total ?? 0, item: 'adapter' };
			});
			this.progress = null;
			await this.addFiles(files, { kind: 'hub', ref: repoOrUrl.trim() });
		} catch (e) {
			this.#clearCurrent();
			this.progress = null;
			this.error = describeError(e);
			this.busy = null;
		}
	}

	/** Re-opens a stored adapter for inspection. */
	async pick(id: string): Promise<void> {
		const row = this.library.find((a) => a.id === id);
		if (!row) return;
		const files: File[] = [];
		for (const ref of row.files) {
			const f = await getAdapterFile(this.#deps.db, ref.hash);
			if (!f) {
				this.error = `${ref.name} of this adapter is not stored; add its files again.`;
				return;
			}
			files.push(new File([f.blob], ref.name));
		}
		await this.addFiles(files, row.source);
	}

	/** Renames a library adapter; a blank name is refused with a message. */
	async rename(id: string, name: string): Promise<void> {
		const row = this.library.find((a) => a.id === id);
		const trimmed = name.trim();
		if (!row) return;
		if (!trimmed) {
			this.error = 'An adapter name cannot be empty: type a name, e.g. the task it was trained for.';
			return;
		}
		this.error = null;
		await putAdapter(this.#deps.db, { ...$state.snapshot(row), name: trimmed });
		if (this.current?.id === id) this.current = { ...this.current, name: trimmed };
		await this.#refresh();
	}

	async setNotes(id: string, notes: string): Promise<void> {
		const row = this.library.find((a) => a.id === id);
		if (row) await putAdapter(this.#deps.db, { ...$state.snapshot(row), notes });
		await this.#refresh();
	}

	async removeAdapter(id: string): Promise<void> {
		await deleteAdapter(this.#deps.db, id);
		if (this.current?.id === id) this.current = null;
		await this.#refresh();
	}

	async chooseBase(id: string): Promise<void> {
		this.baseId = id;
		await this.checkBase();
	}

	/** Compatibility verdict against the chosen base when its files are cached (else after download). */
	async checkBase(): Promise<void> {
		this.verdict = null;
		const base = this.#baseRecord();
		if (!this.current || !base) return;
		const files = await this.#deps.readBaseFiles(base).catch(() => null);
		if (!files) return;
		this.verdict = checkCompatibility(this.current.report, {
			modelId: base.model_id,
			mlcConfig: files.mlcConfig,
			tensorCache: parseTensorCache(files.tensorCache)
		});
	}

	#baseRecord(): ModelRecordLike | undefined {
		return this.#deps.catalog.entries.find((e) => e.id === this.baseId)?.record;
	}

	/** Derives current adapter × base (reusing an identical earlier derivation). */
	async derive(original?: { kind: 'files'; files: File[] } | { kind: 'hub'; repo: string }): Promise<void> {
		const base = this.#baseRecord();
		const intake = this.#intake;
		if (!base || !intake || !this.current) return;
		this.error = null;
		const id = derivedModelId(base.model_id, intake.id, this.scale);
		if (this.derived.some((d) => d.id === id)) {
			this.lastDerivedId = id;
			return;
		}
		this.busy = 'deriving';
		this.#abort = new AbortController();
		try {
			const client = await this.#deps.deriveClient();
			const started = performance.now();
			const out = await client.derive(
				{
					baseRecord: $state.snapshot(base) as ModelRecordLike,
					adapter: { config: intake.configFile, tensors: intake.tensorsFile },
					original:
						original?.kind === 'files' ? { kind: 'files', files: original.files.map((f) => ({ name: f.name, blob: f })) } : original,
					scale: this.scale,
					origin: this.#deps.origin
				},
				{ signal: this.#abort.signal, onProgress: (p) => (this.progress = p) }
			);
			await putDerivedModel(this.#deps.db, {
				id: out.modelId,
				baseModelId: base.model_id,
				adapterId: intake.id,
				scale: this.scale,
				record: out.record as unknown as Record<string, unknown>,
				fidelity: out.fidelity as unknown as Record<string, unknown>,
				sizeBytes: out.sizeBytes,
				// the derive worker writes overlays: untouched tensors stay the base's cached shards
				overlayOf: modelFolderUrl(base.model),
				deriveMs: Math.round(performance.now() - started),
				createdAt: Date.now()
			});
			await this.#deps.engine.registerModels([out.record]);
			this.lastDerivedId = out.modelId;
			await this.#refresh();
			await this.#deps.engine.refreshStorage();
		} catch (e) {
			this.error = this.#abort?.signal.aborted ? 'Cancelled: nothing was kept.' : describeError(e);
		} finally {
			this.busy = null;
			this.progress = null;
			this.#abort = null;
		}
	}

	/**
	 * Derives a library adapter onto a base at one scale (the strength sweep asks for the scales it
	 * lacks), through the same path as the panel: the panel shows its progress. Returns the derived
	 * model's id, or null with `error` set.
	 */
	async deriveAt(adapterId: string, baseModelId: string, scale: number): Promise<string | null> {
		const existing = this.derived.find((d) => d.adapterId === adapterId && d.baseModelId === baseModelId && d.scale === scale);
		if (existing) return existing.id;
		await this.pick(adapterId);
		if (this.error || this.current?.id !== adapterId) return null;
		await this.chooseBase(baseModelId);
		this.scale = scale;
		await this.derive();
		return this.error ? null : this.lastDerivedId;
	}

	cancel(): void {
		this.#abort?.abort();
	}

	/** Deletes a derived model's cached files (never the base or the shared wasm) and its row. */
	async removeDerived(id: string): Promise<void> {
		const row = this.derived.find((d) => d.id === id);
		if (!row) return;
		await (await this.#deps.deriveClient()).deleteDerived((row.record as unknown as ModelRecordLike).model);
		await deleteDerivedModel(this.#deps.db, id);
		await this.#refresh();
		await this.#deps.engine.refreshStorage();
	}

	/** Selects the derived model in the playground's model picker and loads it. */
	async chatWith(id: string): Promise<void> {
		const row = this.derived.find((d) => d.id === id);
		if (!row) return;
		await this.#deps.engine.registerModels([row.record as unknown as ModelRecordLike]);
		await this.#deps.catalog.select(id);
		await this.#deps.engine.load(id);
	}

	destroy(): void {
		this.cancel();
	}
}

/**
 * The browser wiring of AdaptersState: the derive worker client and intake helpers are imported
 * lazily (out of the entry chunk); `engine` is the EngineState (registration, loads, the cache manager).
 */
export function browserAdaptersDeps(db: TuneDb, catalog: AdaptersDeps['catalog'], engine: AdaptersDeps['engine']): AdaptersDeps {
	let client: Promise<DeriveClient> | null = null;
	return {
		db,
		catalog,
		origin: globalThis.location.origin,
		deriveClient: () => (client ??= import('../workers/derive-client.ts').then((m) => m.createDeriveClient())),
		readFiles: async (files) => (await import('../util/browser/adapter-intake.ts')).readAdapterFiles(files),
		filesFromEntries: async (entries, fallback) => (await import('../util/browser/adapter-intake.ts')).filesFromEntries(entries, fallback),
		fetchHub: async (repoOrUrl, onProgress) => {
			const [{ fetchHubAdapter }, { parseHubRef }] = await Promise.all([
				import('../util/browser/hub-fetch.ts'),
				import('../domain/webllm-cache/index.ts')
			]);
			return fetchHubAdapter(parseHubRef(repoOrUrl), { onProgress: (d, t) => onProgress(d, t) });
		},
		readBaseFiles: async (record) => {
			const [{ readCachedJson }, { modelFolderUrl }] = await Promise.all([
				import('../util/browser/cache-storage-io.ts'),
				import('../domain/webllm-cache/index.ts')
			]);
			const folder = modelFolderUrl(record.model);
			const mlcConfig = await readCachedJson(caches, folder, 'mlc-chat-config.json');
			const tensorCache = await readCachedJson(caches, folder, 'tensor-cache.json');
			return mlcConfig === undefined || tensorCache === undefined ? null : { mlcConfig, tensorCache };
		},
		missingOverlayShards: async (folder) => {
			const [{ readCachedJson }, { externalShardUrls }, { parseTensorCache: parse }] = await Promise.all([
				import('../util/browser/cache-storage-io.ts'),
				import('../domain/merge/overlay.ts'),
				import('../domain/weights/index.ts')
			]);
			const tc = await readCachedJson(caches, folder, 'tensor-cache.json');
			if (tc === undefined) return [];
			const model = await caches.open('webllm/model');
			const missing: string[] = [];
			for (const url of externalShardUrls(parse(tc), folder)) if (!(await model.match(url))) missing.push(url);
			return missing;
		},
		engine
	};
}
