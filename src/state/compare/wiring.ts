// Builds the comparison's state from the app's platform pieces: one engine pool over the shared
// web-llm engine and endpoint engines, the model registry (catalog ∪ derived ∪ endpoint) and the
// Web Locks manager. Loaded lazily with the experiment view so the page entry stays small.
import type { AdapterRow, DerivedModelRow } from '../../domain/bundle/rows.ts';
import type { CatalogEntry } from '../../domain/catalog/types.ts';
import type { Engine } from '../../domain/engine/types.ts';
import type { GpuProbe } from '../../domain/gpu/types.ts';
import type { TuneDb } from '../../storage/db.ts';
import { CompareState } from './compare.svelte.ts';
import { DecisionState } from './decision.svelte.ts';
import { decisionFacts } from './decision-facts.ts';
import { EnginePool } from './engine-pool.ts';
import { modelLookup } from './setup-options.ts';
import { SideBySide } from './side-by-side.svelte.ts';
import { TestSetsState } from './testsets.svelte.ts';

export { modelOptions, recipeOptions } from './setup-options.ts';
export type { ModelOption } from './setup-options.ts';

export interface CompareWiringDeps {
	db: TuneDb;
	local: () => Promise<Engine>;
	remote: (s: { baseUrl: string; apiKey?: string }) => Promise<Engine>;
	savedEndpoint: () => { baseUrl: string; apiKey: string };
	catalog: () => readonly CatalogEntry[];
	derived: () => readonly DerivedModelRow[];
	adapters: () => readonly AdapterRow[];
	/** Derives a library adapter onto a base at a scale; resolves with the derived model's id or null. */
	deriveAt?: (adapterId: string, baseModelId: string, scale: number) => Promise<string | null>;
	probe: () => GpuProbe | null;
}

export function createCompare(deps: CompareWiringDeps): {
	compare: CompareState;
	sideBySide: SideBySide;
	testSets: TestSetsState;
	decision: DecisionState;
	pool: EnginePool;
} {
	const pool = new EnginePool({ local: deps.local, remote: deps.remote, savedEndpoint: deps.savedEndpoint });
	const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
	const compare = new CompareState({ db: deps.db, pool, models: modelLookup(deps.catalog, deps.derived), probe: deps.probe, locks });
	const testSets = new TestSetsState(deps.db, () => compare.refreshTestSets());
	const deriveAt = deps.deriveAt;
	const decision = new DecisionState(compare, {
		db: deps.db,
		...decisionFacts(deps),
		derive: deriveAt
			? async (spec, scale) =>
					spec.model.source === 'derived' && (await deriveAt(spec.model.adapterId, spec.model.baseModelId, scale)) !== null
			: undefined
	});
	return { compare, sideBySide: new SideBySide(pool), testSets, decision, pool };
}
