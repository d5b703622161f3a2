// Fidelity of a merge: how far the stored delta (decoded derived − decoded base) is from the intended
// ΔW = s·B·A, per MLC module part, accumulated during the merge pass (no second pass over the data).
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

/** Running sums for one module part; all in float64. */
export interface FidelitySums {
	/** Σ stored·intended */
	dot: number;
	/** Σ stored² */
	storedSq: number;
	/** Σ intended² */
	intendedSq: number;
	/** Σ (stored − intended)² */
	diffSq: number;
	elements: number;
}

export function emptySums(): FidelitySums {
	return { dot: 0, storedSq: 0, intendedSq: 0, diffSq: 0, elements: 0 };
}

export function addSums(into: FidelitySums, s: FidelitySums): void {
	into.dot += s.dot;
	into.storedSq += s.storedSq;
	into.intendedSq += s.intendedSq;
	into.diffSq += s.diffSq;
	into.elements += s.elements;
}

export interface ModuleFidelity {
	/** MLC tensor module, e.g. "model.layers.0.self_attn.qkv_proj". */
	mlcModule: string;
	/** Fused part ("q", "k", "gate" ...) or null. */
	part: string | null;
	hfModule: string;
	/** cos(stored, intended); 1 when both are zero. */
	cosine: number;
	/** ‖stored − intended‖ / ‖intended‖; when the intended delta is zero, ‖stored‖ instead. */
	relError: number;
	elements: number;
}

export interface FidelitySummary {
	modules: number;
	minCosine: number;
	medianCosine: number;
	maxRelError: number;
}

export interface FidelityReport {
	summary: FidelitySummary;
	modules: ModuleFidelity[];
}

/** Cosine and relative error from sums (see ModuleFidelity for the zero cases). */
export function fidelityOf(s: FidelitySums): { cosine: number; relError: number } {
	if (s.intendedSq === 0) {
		return { cosine: s.storedSq === 0 ? 1 : 0, relError: Math.sqrt(s.storedSq) };
	}
	const denom = Math.sqrt(s.storedSq * s.intendedSq);
	const cosine = denom === 0 ? 0 : s.dot / denom;
	return { cosine: Math.max(-1, Math.min(1, cosine)), relError: Math.sqrt(s.diffSq / s.intendedSq) };
}

/** Builds the report with its summary (min/median cosine, max relative error). */
export function buildFidelityReport(modules: ModuleFidelity[]): FidelityReport {
	const cos = modules.map((m) => m.cosine).sort((a, b) => a - b);
	const mid = cos.length >> 1;
	const median = cos.length === 0 ? 1 : cos.length % 2 ? cos[mid] : (cos[mid - 1] + cos[mid]) / 2;
	return {
		summary: {
			modules: modules.length,
			minCosine: cos.length ? cos[0] : 1,
			medianCosine: median,
			maxRelError: modules.reduce((m, x) => Math.max(m, x.relError), 0)
		},
		modules
	};
}
