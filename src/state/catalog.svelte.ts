// The model catalog as the picker shows it: entries with this GPU's verdict and cached badge,
// the selected model (default from pickDefaultModel, remembered in settings). No DOM/worker imports.
import type { CatalogEntry } from '../domain/catalog/types.ts';
import { pickDefaultModel, verdictFor } from '../domain/gpu/verdict.ts';
import type { TuneDb } from '../storage/db.ts';
import { getSetting, setSetting } from '../storage/repos/settings.ts';
import type { EngineState } from './engine.svelte.ts';
import type { ModelOption } from './view-types.ts';

export class CatalogState {
	entries = $state.raw<CatalogEntry[]>([]);
	selectedId = $state<string | null>(null);
	error = $state<string | null>(null);

	options = $derived.by((): ModelOption[] => {
		const probe = this.#engine.probe;
		const cached = this.#engine.cachedIds;
		return this.entries.map((e) => {
			const v = probe ? verdictFor(probe, e) : { runnable: false, reasons: ['checking the GPU…'] };
			return {
				id: e.id,
				family: e.family,
				label: e.id,
				parameters: e.paramSize ?? undefined,
				quantization: e.quantization ?? '—',
				downloadBytes: e.downloadSizeBytesEstimate ?? undefined,
				vramMB: e.vramMB ?? undefined,
				contextWindow: e.contextWindowTokens ?? undefined,
				cached: cached.has(e.id),
				verdict: { runnable: v.runnable, reason: v.reasons.join('; ') || undefined }
			};
		});
	});
	selected = $derived(this.options.find((o) => o.id === this.selectedId) ?? null);

	#db: TuneDb;
	#engine: EngineState;

	constructor(db: TuneDb, engine: EngineState) {
		this.#db = db;
		this.#engine = engine;
	}

	/** Loads the catalog, then restores the last selection or picks a default for this GPU. */
	async start(load: () => Promise<CatalogEntry[]>): Promise<void> {
		try {
			this.entries = await load();
		} catch (e) {
			this.error = e instanceof Error ? e.message : String(e);
			return;
		}
		const saved = await getSetting<string | null>(this.#db, 'selectedModelId', null);
		const probe = this.#engine.probe;
		const savedEntry = this.entries.find((e) => e.id === saved);
		if (savedEntry && (!probe || verdictFor(probe, savedEntry).runnable)) this.selectedId = savedEntry.id;
		else if (probe) this.selectedId = pickDefaultModel(probe, this.entries)?.id ?? null;
	}

	async select(id: string): Promise<void> {
		this.selectedId = id;
		await setSetting(this.#db, 'selectedModelId', id);
	}
}
