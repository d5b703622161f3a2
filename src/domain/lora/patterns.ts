// Per-module rank, alpha and scaling of a LoRA adapter, including rsLoRA and rank/alpha patterns, and
// PEFT's target_modules / layers_to_transform rule. Patterns mirror PEFT's get_pattern_key
// (peft/utils/other.py): keys are tried in insertion order and the first one for which
// re.match(rf"(.*\.)?({key})$", module) matches wins. They are compiled with re2js (RE2: no backtracking,
// linear time), so a hostile key such as "(a+)+$" cannot hang the app; a key RE2 cannot compile
// (backreferences, lookaround) is refused by compilePeftPattern. Pure TS plus re2js.

import { RE2JS } from 're2js';
import type { AdapterConfig } from './adapter-config.ts';
import { PeftConfigError } from './errors.ts';

const MAX_PATTERN_LENGTH = 1000;
const cache = new Map<string, RE2JS>();

/**
 * Compiles a Python-style regex from adapter_config.json with RE2 semantics, anchored as a full match.
 * @throws PeftConfigError when it is too long or not a regex RE2 accepts
 */
export function compilePeftPattern(source: string, field: string): RE2JS {
	const hit = cache.get(source);
	if (hit) return hit;
	if (source.length > MAX_PATTERN_LENGTH) {
		throw new PeftConfigError(
			`adapter_config.json: a "${field}" pattern is ${source.length} characters long (at most ${MAX_PATTERN_LENGTH}); shorten it.`
		);
	}
	let re: RE2JS;
	try {
		re = RE2JS.compile(source);
	} catch (e) {
		throw new PeftConfigError(
			`adapter_config.json: "${field}" pattern ${JSON.stringify(source.slice(0, 80))} is not a regular expression this app can run safely (${(e as Error).message}); use a plain module-name pattern.`
		);
	}
	if (cache.size > 500) cache.clear();
	cache.set(source, re);
	return re;
}

/** The pattern key that applies to `moduleName` (e.g. "model.layers.0.self_attn.q_proj"), if any. */
export function matchPatternKey(keys: readonly string[], moduleName: string): string | undefined {
	for (const key of keys) {
		compilePeftPattern(key, 'rank_pattern/alpha_pattern'); // validates the key alone
		if (compilePeftPattern(`(?:.*\\.)?(?:${key})`, 'rank_pattern/alpha_pattern').matches(moduleName)) return key;
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

/**
 * Whether PEFT would have put a LoRA layer on `moduleName`, following check_target_module_exists
 * (peft/tuners/tuners_utils.py): a string target_modules must fullmatch the name ("all-linear": every
 * linear layer but the output head); a list matches a name equal to an entry (then layers_to_transform is
 * not consulted) or ending in "." + entry, and in that case, when layers_to_transform is set, the layer
 * index found by `.*\.<layers_pattern>\.(\d+)\.` (any segment when layers_pattern is empty) must be in it.
 * A config without target_modules accepts every module.
 */
export function peftTargetsModule(
	config: Pick<AdapterConfig, 'targetModules' | 'layersToTransform' | 'layersPattern'>,
	moduleName: string
): boolean {
	const t = config.targetModules;
	if (t === null) return true;
	if (typeof t === 'string') {
		if (t.toLowerCase() === 'all-linear') return moduleName !== 'lm_head' && !moduleName.endsWith('embed_tokens');
		return compilePeftPattern(t, 'target_modules').matches(moduleName);
	}
	if (t.includes(moduleName)) return true;
	if (!t.some((key) => moduleName.endsWith(`.${key}`))) return false;
	const layers = config.layersToTransform;
	if (layers === null || layers.length === 0) return true;
	const patterns = config.layersPattern.length === 0 ? ['[^.]*'] : config.layersPattern;
	for (const p of patterns) {
		const m = compilePeftPattern(`.*\\.${p}\\.(\\d+)\\..*`, 'layers_pattern').matcher(moduleName);
		if (m.matches()) return layers.includes(Number(m.group(1)));
	}
	return false;
}
