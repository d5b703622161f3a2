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

/** The fidelity summary of a merge (see domain/merge FidelityReport). */
export interface FidelitySummaryLike {
	modules: number;
	minCosine: number;
	medianCosine: number;
	maxRelError: number;
}

/** e.g. "SmolLM2-360M-Instruct-q0f16-MLC + LoRA 1a2b3c4d" (", scale 0.5" when scaled). */
export function derivedLabel(d: DerivedLabelInput): string {
	const scale = d.scale === 1 ? '' : `, scale ${d.scale}`;
	return `${d.baseModelId} + LoRA ${d.adapterId.slice(0, 8).toLowerCase()}${scale}`;
}

/** e.g. "LoRA merged into 14 modules: min cosine 0.99998, max rel. error 2.1e-2"; null without a summary. */
export function fidelityNote(summary: FidelitySummaryLike | null | undefined): string | null {
	if (!summary || !Number.isFinite(summary.minCosine)) return null;
	const modules = summary.modules === 1 ? '1 module' : `${summary.modules} modules`;
	return `LoRA merged into ${modules}: min cosine ${summary.minCosine.toFixed(5)}, max rel. error ${summary.maxRelError.toExponential(1)}`;
}

/**
 * Below this median cosine the stored weights carry too little of the adapter for a fair
 * "fine-tune vs prompt" comparison (4-bit bases with small adapters land here; see the issue-3 note).
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
