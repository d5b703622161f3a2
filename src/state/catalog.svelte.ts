// The model catalog as the picker shows it: entries with this GPU's verdict and cached badge,
// the selected model (default from pickDefaultModel, remembered in settings). No DOM/worker imports.
import type { CatalogEntry } from '../domain/catalog/types.ts';
import { pickDefaultModel, verdictFor } from '../domain/gpu/verdict.ts';
import type { TuneDb } from '../storage/db.ts';
import { getSetting, setSetting } from '../storage/repos/settings.ts';
import type { EngineState } from './engine.svelte.ts';
import type { CachedModelView, ModelOption } from './view-types.ts';

/** A derived model as the picker lists it. */
export interface DerivedOption {
	entry: CatalogEntry;
	/** e.g. "SmolLM2-360M-Instruct-q0f16-MLC + LoRA 1a2b3c4d". */
	label: string;
	/** The fidelity summary shown next to it. */
	note: string | null;
}

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
				label: this.#derived.get(e.id)?.label ?? e.id,
				parameters: e.paramSize ?? undefined,
				quantization: e.quantization ?? '—',
				downloadBytes: e.downloadSizeBytesEstimate ?? undefined,
				vramMB: e.vramMB ?? undefined,
				contextWindow: e.contextWindowTokens ?? undefined,
				cached: cached.has(e.id),
				verdict: {
					runnable: v.runnable,
					reason: v.reasons.join('; ') || undefined,
					note: this.#derived.get(e.id)?.note ?? undefined
				}
			};
		});
	});
	selected = $derived(this.options.find((o) => o.id === this.selectedId) ?? null);
	/** The downloaded models named from their catalog entry (or derived label), id as secondary text. */
	cachedModels = $derived.by((): CachedModelView[] => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup, rebuilt by $derived.by
		const byId = new Map(this.entries.map((e) => [e.id, e]));
		return this.#engine.cached.map((c) => {
			const entry = byId.get(c.id);
			const label = this.#derived.get(c.id)?.label ?? (entry ? friendlyName(entry) : c.label);
			return { ...c, label, ...(label === c.id ? {} : { detail: c.id }) };
		});
	});

	#db: TuneDb;
	#engine: EngineState;
	/** Derived (LoRA-merged) models listed after the catalog: label and fidelity note by id. */
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- an immutable value in $state.raw, replaced whole by setDerived
	#derived = $state.raw<ReadonlyMap<string, DerivedOption>>(new Map());
	#userChose = false;

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

	/**
	 * Lists exactly these derived models after the catalog entries (replacing earlier ones), and
	 * restores a saved selection of one of them unless the user already chose a model.
	 */
	async setDerived(list: DerivedOption[]): Promise<void> {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup
		const ids = new Set(list.map((d) => d.entry.id));
		const old = this.#derived;
		const catalogOnly = this.entries.filter((e) => !old.has(e.id) && !ids.has(e.id));
		this.entries = [...catalogOnly, ...list.map((d) => d.entry)];
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- replaces the $state.raw map whole; never mutated
		this.#derived = new Map(list.map((d) => [d.entry.id, d]));
		const sel = this.selectedId;
		if (sel !== null && old.has(sel) && !ids.has(sel)) this.selectedId = null;
		if (this.#userChose) return;
		const saved = await getSetting<string | null>(this.#db, 'selectedModelId', null);
		if (saved !== null && ids.has(saved)) this.selectedId = saved;
	}

	async select(id: string): Promise<void> {
		this.#userChose = true;
		this.selectedId = id;
		await setSetting(this.#db, 'selectedModelId', id);
	}
}

/** "Family size · quantization" from a catalog entry, e.g. "SmolLM2 360M · q4f16_1". */
export function friendlyName(entry: CatalogEntry): string {
	const name = [entry.family, entry.paramSize].filter(Boolean).join(' ');
	return entry.quantization ? `${name} · ${entry.quantization}` : name;
}
