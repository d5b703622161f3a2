// How a derived (LoRA-merged) model is named to the user: its base, "+ LoRA" and the first 8 hex
// digits of the adapter hash (and the scale when not 1), plus a one-line fidelity note.
// Pure TS: no svelte/dexie/DOM/worker/web-llm imports.

/** The part of a derived-model row a label needs. */
export interface DerivedLabelInput {
	baseModelId: string;
	/** SHA-256 hex of the adapter. */
	adapterId: string;
	scale: number;
}

/** The fidelity summary of a merge (see domain/merge FidelityReport); gain and subspace error on newer rows. */
export interface FidelitySummaryLike {
	modules: number;
	minCosine: number;
	medianCosine: number;
	maxRelError: number;
	minGain?: number;
	maxGain?: number;
	maxSubspaceError?: number;
}

/** e.g. "SmolLM2-360M-Instruct-q0f16-MLC + LoRA 1a2b3c4d" (", scale 0.5" when scaled). */
export function derivedLabel(d: DerivedLabelInput): string {
	const scale = d.scale === 1 ? '' : `, scale ${d.scale}`;
	return `${d.baseModelId} + LoRA ${d.adapterId.slice(0, 8).toLowerCase()}${scale}`;
}

/**
 * e.g. "LoRA merged into 14 modules: gain 0.99–1.01, max subspace error 0.05" — the figures that say whether
 * the adapter is carried (the full-matrix cosine only measures 4-bit rounding noise on 4-bit bases). Rows
 * derived before gain existed: "…: min cosine 0.99998, max rel. error 2.1e-2". Null without a summary.
 */
export function fidelityNote(summary: FidelitySummaryLike | null | undefined): string | null {
	if (!summary) return null;
	const modules = summary.modules === 1 ? '1 module' : `${summary.modules} modules`;
	const { minGain, maxGain, maxSubspaceError } = summary;
	if (Number.isFinite(minGain) && Number.isFinite(maxGain) && Number.isFinite(maxSubspaceError))
		return `LoRA merged into ${modules}: gain ${minGain!.toFixed(2)}–${maxGain!.toFixed(2)}, max subspace error ${maxSubspaceError!.toFixed(2)}`;
	if (!Number.isFinite(summary.minCosine)) return null;
	return `LoRA merged into ${modules}: min cosine ${summary.minCosine.toFixed(5)}, max rel. error ${summary.maxRelError.toExponential(1)}`;
}

/**
 * Only for rows derived before gain and subspace error were recorded (newer rows get fidelityVerdict):
 * below this median cosine those rows warn, as they always did.
 */
export const LOW_FIDELITY_MEDIAN_COSINE = 0.9;

/** A warning when the merge kept too little of the intended change, else null. */
export function fidelityWarning(summary: FidelitySummaryLike | null | undefined): string | null {
	if (!summary || !Number.isFinite(summary.medianCosine)) return null;
	if (summary.medianCosine >= LOW_FIDELITY_MEDIAN_COSINE) return null;
	return (
		`The stored weights carry only part of the adapter (median cosine ${summary.medianCosine.toFixed(2)}): ` +
		'answers from this model understate the fine-tune. Derive from an unquantized base (q0f16 or q0f32) ' +
		'for a faithful comparison.'
	);
}
