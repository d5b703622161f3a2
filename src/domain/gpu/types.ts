// What the WebGPU probe found, as plain data (gathered by src/util/browser/gpu-probe.ts).
// Pure types: no DOM or web-llm imports.

export interface GpuAdapterInfo {
	vendor: string;
	architecture: string;
	device: string;
	description: string;
}

export type GpuProbe =
	| {
			available: true;
			adapter: GpuAdapterInfo;
			isFallbackAdapter: boolean;
			features: string[];
			limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
	  }
	| {
			available: false;
			/** Why WebGPU is missing, e.g. "navigator.gpu is undefined". */
			reason: string;
			/** What the user can do. */
			advice: string;
	  };

export interface GpuVerdict {
	runnable: boolean;
	/** Why not (empty when runnable). */
	reasons: string[];
}
