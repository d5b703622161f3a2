// What the decision knows about a variant's weights beyond its results: GPU memory and download size
// from the catalog, the derived model's bytes and derive time, the adapter's bytes and whether it is
// DoRA, the derived model of the same adapter at another scale, and the GPU in words.
// Imports domain only.
import type { AdapterRow, DerivedModelRow } from '../../domain/bundle/rows.ts';
import type { CatalogEntry } from '../../domain/catalog/types.ts';
import type { VariantFacts } from '../../domain/decision/types.ts';
import type { VariantSpec } from '../../domain/experiment/types.ts';
import type { ModelChoice } from '../../domain/experiment/variants.ts';
import type { GpuProbe } from '../../domain/gpu/types.ts';

export interface DecisionFactsInput {
	catalog: () => readonly CatalogEntry[];
	derived: () => readonly DerivedModelRow[];
	adapters: () => readonly AdapterRow[];
	probe: () => GpuProbe | null;
}

export function decisionFacts(input: DecisionFactsInput): {
	facts: (spec: VariantSpec) => VariantFacts;
	derivedAt: (spec: VariantSpec, scale: number) => ModelChoice | null;
	isDora: (spec: VariantSpec) => boolean;
	gpu: () => string | null;
} {
	const adapterOf = (spec: VariantSpec) =>
		spec.model.source === 'derived' ? input.adapters().find((a) => a.id === (spec.model as { adapterId: string }).adapterId) : undefined;
	return {
		facts(spec) {
			const m = spec.model;
			if (spec.engine.kind === 'endpoint')
				return { gpuMemoryMB: 0, baseBytes: null, adapterBytes: null, derivedBytes: null, deriveMs: null };
			const baseId = m.source === 'derived' ? m.baseModelId : m.modelId;
			const entry = input.catalog().find((e) => e.id === baseId);
			const derived = m.source === 'derived' ? input.derived().find((d) => d.id === m.modelId) : undefined;
			return {
				gpuMemoryMB: entry?.vramMB ?? null,
				baseBytes: entry?.downloadSizeBytesEstimate ?? null,
				adapterBytes: adapterOf(spec)?.sizeBytes ?? null,
				derivedBytes: derived?.sizeBytes ?? null,
				deriveMs: derived?.deriveMs ?? null
			};
		},
		derivedAt(spec, scale) {
			const m = spec.model;
			if (m.source !== 'derived') return null;
			const d = input.derived().find((row) => row.baseModelId === m.baseModelId && row.adapterId === m.adapterId && row.scale === scale);
			if (!d) return null;
			return {
				engine: spec.engine,
				model: { source: 'derived', modelId: d.id, baseModelId: d.baseModelId, adapterId: d.adapterId, scale: d.scale }
			};
		},
		isDora(spec) {
			return adapterOf(spec)?.config.use_dora === true;
		},
		gpu() {
			const p = input.probe();
			if (!p) return null;
			if (!p.available) return `no WebGPU (${p.reason})`;
			const a = p.adapter;
			return [a.vendor, a.architecture, a.device, a.description].filter((x) => x).join(' ') || 'WebGPU adapter (no description)';
		}
	};
}
