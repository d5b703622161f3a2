// Page-side WebGPU probe: adapter info, features (shader-f16 in particular) and buffer limits,
// as plain data for src/domain/gpu. Browser-only; must not import web-llm.

import { NO_WEBGPU_ADVICE, type GpuProbe } from '../../domain/gpu/index.ts';

/**
 * Asks the browser for a WebGPU adapter and reports what it offers.
 * Never throws: a missing WebGPU comes back as { available: false, reason, advice }.
 */
export async function probeGpu(): Promise<GpuProbe> {
	const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
	if (!gpu) {
		return {
			available: false,
			reason: 'navigator.gpu is undefined in this browser',
			advice: NO_WEBGPU_ADVICE
		};
	}
	let adapter: GPUAdapter | null;
	try {
		adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
	} catch (e) {
		const reason = `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}`;
		return { available: false, reason, advice: NO_WEBGPU_ADVICE };
	}
	if (!adapter) {
		return {
			available: false,
			reason: 'no WebGPU adapter was offered (GPU blocklisted or disabled)',
			advice: NO_WEBGPU_ADVICE
		};
	}
	const info = adapter.info;
	return {
		available: true,
		adapter: {
			vendor: info?.vendor ?? '',
			architecture: info?.architecture ?? '',
			device: info?.device ?? '',
			description: info?.description ?? ''
		},
		isFallbackAdapter: Boolean((info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter),
		features: [...adapter.features].map(String).sort(),
		limits: {
			maxBufferSize: adapter.limits.maxBufferSize,
			maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize
		}
	};
}
