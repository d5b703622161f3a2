// Per-module rank, alpha and scaling of a LoRA adapter, including rsLoRA and rank/alpha patterns.
// Mirrors PEFT's get_pattern_key (peft/utils/other.py): keys are tried in insertion order and the
// first one for which re.match(rf"(.*\.)?({key})$", module) matches wins. Pure TS, no imports outside lora.

import type { AdapterConfig } from './adapter-config.ts';

/** The pattern key that applies to `moduleName` (e.g. "model.layers.0.self_attn.q_proj"), if any. */
export function matchPatternKey(keys: readonly string[], moduleName: string): string | undefined {
	for (const key of keys) {
		if (new RegExp(`^(?:.*\\.)?(?:${key})$`).test(moduleName)) return key;
	}
	return undefined;
}

export interface ModuleScaling {
	rank: number;
	alpha: number;
	/** alpha / rank, or alpha / √rank with use_rslora (peft/tuners/lora/layer.py update_layer). */
	scaling: number;
}

/** Rank, alpha and scaling for one module, with rank_pattern and alpha_pattern applied. */
export function moduleScaling(config: AdapterConfig, moduleName: string): ModuleScaling {
	const rKey = matchPatternKey(Object.keys(config.rankPattern), moduleName);
	const aKey = matchPatternKey(Object.keys(config.alphaPattern), moduleName);
	const rank = rKey === undefined ? config.r : config.rankPattern[rKey];
	const alpha = aKey === undefined ? config.loraAlpha : config.alphaPattern[aKey];
	const scaling = config.useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
	return { rank, alpha, scaling };
}
