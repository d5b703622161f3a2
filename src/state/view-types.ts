// Plain view models the components render, built by the state classes from catalog, probe and
// cache data. Types only; imports nothing at run time.

export interface ModelVerdictView {
	/** false when this GPU cannot run the model; `reason` says why. */
	runnable: boolean;
	reason?: string;
	/** e.g. "fits", "tight": short note shown next to the model. */
	note?: string;
}

export interface ModelOption {
	id: string;
	family: string;
	label: string;
	/** e.g. "1.5B". */
	parameters?: string;
	quantization: string;
	downloadBytes?: number;
	vramMB?: number;
	contextWindow?: number;
	cached: boolean;
	verdict: ModelVerdictView;
}

export interface CachedModelView {
	id: string;
	/** A friendly name, e.g. "SmolLM2 360M · q4f16_1"; the id when nothing better is known. */
	label: string;
	/** Secondary text (the model id) when the label is not the id. */
	detail?: string;
	sizeBytes?: number;
}

export interface StorageEstimateView {
	usageBytes: number;
	quotaBytes: number;
}

export interface EndpointSettings {
	baseUrl: string;
	apiKey: string;
	model: string;
}
