// Decides whether a comparison's models can stay resident on the GPU together or must run one
// after the other, with the reason in words, and estimates a GPU memory budget from the WebGPU
// probe. Pure: no DOM, WebGPU, Svelte or web-llm imports.
//
// Browsers do not expose how much memory a GPU has. WebGPU only reports adapter limits; the one
// used here is maxBufferSize, the largest single buffer the adapter accepts. No driver hands out
// one buffer larger than its memory (D3D12 caps a resource at a fraction of the dedicated memory,
// Metal's maxBufferLength sits below the working-set size, and Chrome rounds limits down into
// buckets), so it is a floor: the real memory is usually larger, never smaller. A plan made on it
// errs towards "one after the other", which costs time, never an out-of-memory.

import type { GpuProbe } from '../gpu/types.ts';
import type { EngineKind } from './types.ts';

/** A model a comparison wants resident. */
export interface ResidencyModel {
	id: string;
	/** How the reason names it, e.g. "Llama 3.2 1B + LoRA 3f2a". */
	label: string;
	/** Estimated GPU memory in MB (web-llm's vram_required_MB); null when unknown. */
	vramMB: number | null;
	/** 'endpoint' models run on a server and cost no local GPU memory, whatever vramMB says. */
	engine?: EngineKind;
}

export interface ResidencyPlan {
	mode: 'together' | 'sequential';
	/** Why, in a sentence the UI can show as is. */
	reason: string;
}

const MB_PER_GB = 1024;
const DEFAULT_MARGIN = 0.2;

/** "1.9 GB", "0.3 GB"; "80 MB" below 0.1 GB. web-llm's MB are MiB, so 1 GB = 1024 MB here. */
function size(mb: number): string {
	return mb >= MB_PER_GB / 10 ? `${(mb / MB_PER_GB).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}

/** "2 × 1.9 GB" when all sizes are equal, else "1.2 GB + 0.9 GB". */
function sum(sizesMB: number[]): string {
	const shown = sizesMB.map(size);
	return shown.every((s) => s === shown[0]) ? `${shown.length} × ${shown[0]}` : shown.join(' + ');
}

function checkMB(what: string, mb: number | null): void {
	if (mb !== null && !(Number.isFinite(mb) && mb >= 0))
		throw new RangeError(`${what} must be a number of MB ≥ 0 or null (unknown), got ${String(mb)}`);
}

/**
 * Together or one after the other? Together when the local models' GPU memory estimates add up to
 * at most budget · (1 − margin). Models with the same id are loaded once, so they count once;
 * endpoint models and models with vramMB 0 cost nothing. One local model (or none) is always
 * "together". An unknown estimate or budget gives "sequential", saying which was unknown.
 * @param models the models the comparison runs
 * @param gpu the GPU memory budget in MB (see gpuBudgetMB), null when unknown
 * @param opts marginFraction: the share of the budget kept free (default 0.2; 0 ≤ m < 1)
 * @throws RangeError on a negative or non-numeric size or margin
 */
export function planResidency(
	models: readonly ResidencyModel[],
	gpu: { budgetMB: number | null },
	opts: { marginFraction?: number } = {}
): ResidencyPlan {
	const margin = opts.marginFraction ?? DEFAULT_MARGIN;
	if (!(Number.isFinite(margin) && margin >= 0 && margin < 1))
		throw new RangeError(`marginFraction must be at least 0 and below 1, got ${String(margin)}`);
	checkMB('The GPU budget', gpu.budgetMB);
	const local = new Map<string, ResidencyModel>();
	for (const m of models) {
		checkMB(`The GPU memory of ${m.label}`, m.vramMB);
		if (m.engine !== 'endpoint' && m.vramMB !== 0 && !local.has(m.id)) local.set(m.id, m);
	}
	const list = [...local.values()];
	if (list.length === 0) return { mode: 'together', reason: "Together: none of these models uses this GPU's memory." };
	if (list.length === 1) return { mode: 'together', reason: `Together: only ${list[0].label} runs on this GPU.` };
	const unknown = list.filter((m) => m.vramMB === null).map((m) => m.label);
	if (unknown.length > 0)
		return {
			mode: 'sequential',
			reason: `One after the other: the GPU memory needed by ${unknown.join(', ')} is unknown.`
		};
	const sizes = list.map((m) => m.vramMB as number);
	if (gpu.budgetMB === null)
		return {
			mode: 'sequential',
			reason: `One after the other: this browser does not say how much GPU memory there is, so ${sum(sizes)} are not loaded together.`
		};
	const total = sizes.reduce((a, b) => a + b, 0);
	const percent = Math.round(margin * 100);
	const withMargin = percent > 0 ? ` (with a ${percent} % safety margin)` : '';
	if (total <= gpu.budgetMB * (1 - margin))
		return {
			mode: 'together',
			reason: `Together: ${sum(sizes)} fits in this GPU's ${size(gpu.budgetMB)} budget.`
		};
	return {
		mode: 'sequential',
		reason: `One after the other: ${sum(sizes)} exceeds this GPU's budget of ${size(gpu.budgetMB)}${withMargin}.`
	};
}

/**
 * A GPU memory budget in MB from the WebGPU probe: the adapter's maxBufferSize, a floor on its
 * memory (browsers do not expose total VRAM; see the header of this file).
 * @param probe what src/util/browser/gpu-probe.ts found
 * @returns MB (MiB), or null without WebGPU or without a usable limit
 */
export function gpuBudgetMB(probe: GpuProbe): number | null {
	if (!probe.available) return null;
	const bytes = probe.limits.maxBufferSize;
	if (!(Number.isFinite(bytes) && bytes > 0)) return null;
	return bytes / (1024 * 1024);
}
