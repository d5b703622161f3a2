// What the comparison set-up offers: the models this browser can run (cached or catalog, plus
// derived LoRA models) and the endpoint's models, each as an exact ModelChoice, and the saved
// recipes at their latest version. Resolved from one registry (catalog ∪ derived ∪ endpoint), so
// a variant's weights never come from an editor draft. Imports storage and domain only.
import type { CatalogEntry } from '../../domain/catalog/types.ts';
import type { DerivedModelRow } from '../../domain/bundle/rows.ts';
import type { ModelChoice, RecipeChoice } from '../../domain/experiment/variants.ts';
import type { VariantSpec } from '../../domain/experiment/types.ts';
import type { ModelFacts } from '../../domain/experiment/variant-diff.ts';
import type { TuneDb } from '../../storage/db.ts';
import { getLatestVersion, listRecipes } from '../../storage/repos/recipes.ts';
import type { ModelLookup } from './compare.svelte.ts';

export interface ModelOption {
	key: string;
	label: string;
	choice: ModelChoice;
	/** True when these weights carry a LoRA adapter. */
	adapter: boolean;
}

export interface ModelRegistryInput {
	catalog: readonly CatalogEntry[];
	cachedIds: ReadonlySet<string>;
	derived: readonly DerivedModelRow[];
	derivedLabel: (row: DerivedModelRow) => string;
	endpoint: { baseUrl: string; models: readonly string[] } | null;
}

/** Every model a variant can name: cached local models first, derived models, endpoint models. */
export function modelOptions(input: ModelRegistryInput): ModelOption[] {
	const local = input.catalog
		.filter((e) => input.cachedIds.has(e.id))
		.map((e) => ({
			key: `webllm:${e.id}`,
			label: `${e.id} (this browser)`,
			adapter: false,
			choice: { engine: { kind: 'webllm' as const }, model: { source: 'prebuilt' as const, modelId: e.id } }
		}));
	const derived = input.derived.map((d) => ({
		key: `webllm:${d.id}`,
		label: `${input.derivedLabel(d)} (this browser)`,
		adapter: true,
		choice: {
			engine: { kind: 'webllm' as const },
			model: { source: 'derived' as const, modelId: d.id, baseModelId: d.baseModelId, adapterId: d.adapterId, scale: d.scale }
		}
	}));
	const ep = input.endpoint;
	const remote = ep?.baseUrl
		? ep.models.flatMap((m) => [
				{
					key: `endpoint:${m}`,
					label: `${m} (endpoint)`,
					adapter: false,
					choice: { engine: { kind: 'endpoint' as const, baseUrl: ep.baseUrl }, model: { source: 'endpoint' as const, modelId: m } }
				},
				{
					key: `endpoint-vllm:${m}`,
					label: `${m} as a vLLM LoRA adapter (endpoint)`,
					adapter: true,
					choice: {
						engine: { kind: 'endpoint' as const, baseUrl: ep.baseUrl },
						model: { source: 'endpoint' as const, modelId: m, adapter: { convention: 'vllm' as const, name: m } }
					}
				},
				{
					key: `endpoint-llamacpp-base:${m}`,
					label: `${m} with llama.cpp adapters at scale 0 (endpoint base)`,
					adapter: false,
					choice: {
						engine: { kind: 'endpoint' as const, baseUrl: ep.baseUrl },
						model: { source: 'endpoint' as const, modelId: m, adapter: { convention: 'llamacpp' as const, id: 0, scale: 0 } }
					}
				},
				{
					key: `endpoint-llamacpp:${m}`,
					label: `${m} with llama.cpp adapter 0 at scale 1 (endpoint)`,
					adapter: true,
					choice: {
						engine: { kind: 'endpoint' as const, baseUrl: ep.baseUrl },
						model: { source: 'endpoint' as const, modelId: m, adapter: { convention: 'llamacpp' as const, id: 0, scale: 1 } }
					}
				}
			])
		: [];
	return [...local, ...derived, ...remote];
}

/** Catalog facts, VRAM and the exact record behind a variant's weights. */
export function modelLookup(catalog: () => readonly CatalogEntry[], derived: () => readonly DerivedModelRow[]): ModelLookup {
	const entryOf = (spec: VariantSpec): CatalogEntry | undefined => {
		const m = spec.model;
		const id = m.source === 'derived' ? m.baseModelId : m.modelId;
		return catalog().find((e) => e.id === id);
	};
	return {
		facts(spec): ModelFacts {
			const e = entryOf(spec);
			const template = (e?.record.overrides as { conv_template?: unknown } | undefined)?.conv_template;
			return {
				family: e?.family ?? null,
				quantization: e?.quantization ?? null,
				chatTemplate: typeof template === 'string' ? template : e ? e.family : null
			};
		},
		vramMB(spec) {
			if (spec.engine.kind === 'endpoint') return 0;
			return entryOf(spec)?.vramMB ?? null;
		},
		record(spec) {
			const m = spec.model;
			if (m.source === 'derived') return { derived: derived().find((d) => d.id === m.modelId)?.record ?? null, ...m };
			if (m.source === 'endpoint') return { baseUrl: spec.engine.baseUrl, ...m };
			return entryOf(spec)?.record ?? m;
		}
	};
}

/** The saved recipes at their latest version. */
export async function recipeOptions(db: TuneDb): Promise<RecipeChoice[]> {
	const out: RecipeChoice[] = [];
	for (const r of await listRecipes(db)) {
		const v = await getLatestVersion(db, r.id);
		if (v) out.push({ versionId: v.id, name: `${r.name} (v${v.version})`, content: v.content });
	}
	return out;
}
