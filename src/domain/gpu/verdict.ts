// Decides whether a catalog model can run on the probed GPU, and picks a sensible default.
// Pure: no DOM, WebGPU or web-llm imports.

import type { CatalogEntry } from '../catalog/types.ts';
import type { GpuProbe, GpuVerdict } from './types.ts';

/** Advice shown when the browser has no WebGPU. */
export const NO_WEBGPU_ADVICE =
	'Use Chrome or Edge 113+, Safari 26+, or Firefox 141+ on Windows; elsewhere enable WebGPU in the browser flags (chrome://flags/#enable-unsafe-webgpu, about:config dom.webgpu.enabled); or use the OpenAI-compatible endpoint engine instead.';

/**
 * Can this model run here?
 * Rule: any model whose id contains "f16" needs shader-f16, whatever its record declares.
 * @param probe the WebGPU probe result
 * @param entry a catalog entry
 */
export function verdictFor(probe: GpuProbe, entry: CatalogEntry): GpuVerdict {
	if (!probe.available) return { runnable: false, reasons: [`WebGPU is not available: ${probe.reason}`] };
	const reasons: string[] = [];
	const features = new Set(probe.features);
	if (entry.needsShaderF16 && !features.has('shader-f16')) {
		reasons.push('needs the shader-f16 GPU feature, which this GPU/browser lacks (pick a q4f32_1 or q0f32 model)');
	}
	for (const f of entry.record.required_features ?? []) {
		if (f !== 'shader-f16' && !features.has(f)) reasons.push(`needs the GPU feature ${f}`);
	}
	const need = entry.record.buffer_size_required_bytes;
	if (need !== undefined) {
		const limit = Math.min(probe.limits.maxBufferSize, probe.limits.maxStorageBufferBindingSize);
		if (need > limit) reasons.push(`needs GPU buffers of ${need} bytes; this GPU allows ${limit}`);
	}
	return { runnable: reasons.length === 0, reasons };
}

/**
 * A small runnable text model to start with: runnable here, not vision, low-resource first,
 * then the least GPU memory, then the id.
 * @returns null when nothing is runnable (e.g. no WebGPU)
 */
export function pickDefaultModel(probe: GpuProbe, entries: readonly CatalogEntry[]): CatalogEntry | null {
	const candidates = entries.filter((e) => !e.vision && verdictFor(probe, e).runnable);
	candidates.sort(
		(a, b) =>
			Number(b.lowResource) - Number(a.lowResource) ||
			(a.vramMB ?? Number.POSITIVE_INFINITY) - (b.vramMB ?? Number.POSITIVE_INFINITY) ||
			a.id.localeCompare(b.id)
	);
	return candidates[0] ?? null;
}
