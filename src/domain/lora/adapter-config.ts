// Parses and validates a PEFT adapter_config.json into a typed AdapterConfig (webllm-lora-facts.md §6).
// Malformed input throws PeftConfigError; unsupported-but-valid features are reported by
// unsupportedFeatures() so the inspector can show them. Pure TS: no svelte/dexie/DOM/node:/web-llm.

import { PeftConfigError } from './errors.ts';
import { compilePeftPattern } from './patterns.ts';

export type LoraBiasMode = 'none' | 'all' | 'lora_only';

/** The fields of adapter_config.json that decide how an adapter merges. */
export interface AdapterConfig {
	peftType: 'LORA';
	taskType: string | null;
	baseModelNameOrPath: string | null;
	r: number;
	loraAlpha: number;
	useRslora: boolean;
	/** Regex keys matched against the end of a module name (first match wins), see patterns.ts. */
	rankPattern: Record<string, number>;
	alphaPattern: Record<string, number>;
	/** A plain list means "module name ends with one of these"; a string is a full-match regex. */
	targetModules: string[] | string | null;
	fanInFanOut: boolean;
	bias: LoraBiasMode;
	loraBias: boolean;
	useDora: boolean;
	modulesToSave: string[];
	layerReplication: boolean;
	aloraInvocationTokens: boolean;
	trainableTokenIndices: boolean;
	layersToTransform: number[] | null;
	/** layers_pattern: names of the layer list (e.g. "layers"); empty = any segment. */
	layersPattern: string[];
	initLoraWeights: string | boolean;
}

type Json = Record<string, unknown>;

function fail(field: string, expected: string, got: unknown): never {
	throw new PeftConfigError(
		`adapter_config.json: "${field}" must be ${expected}, got ${JSON.stringify(got)}. ` +
			'Re-save the adapter with PEFT (model.save_pretrained) and try again.'
	);
}

function bool(o: Json, key: string): boolean {
	const v = o[key];
	if (v === undefined || v === null) return false;
	if (typeof v !== 'boolean') fail(key, 'true or false', v);
	return v;
}

function positiveNumber(o: Json, key: string, integer: boolean): number {
	const v = o[key];
	const ok = typeof v === 'number' && Number.isFinite(v) && v > 0 && (!integer || Number.isInteger(v));
	if (!ok) fail(key, integer ? 'a positive integer' : 'a positive number', v);
	return v as number;
}

function pattern(o: Json, key: string, integer: boolean): Record<string, number> {
	const v = o[key];
	if (v === undefined || v === null) return {};
	if (typeof v !== 'object' || Array.isArray(v)) fail(key, 'an object of pattern → number', v);
	const out: Record<string, number> = {};
	for (const [k, n] of Object.entries(v as Json)) {
		const ok = typeof n === 'number' && Number.isFinite(n) && n > 0 && (!integer || Number.isInteger(n));
		if (!ok) fail(`${key}.${k}`, integer ? 'a positive integer' : 'a positive number', n);
		compilePeftPattern(k, key);
		compilePeftPattern(`(?:.*\\.)?(?:${k})`, key);
		out[k] = n as number;
	}
	return out;
}

function nonEmpty(v: unknown): boolean {
	if (v === undefined || v === null || v === false) return false;
	if (Array.isArray(v)) return v.length > 0;
	if (typeof v === 'object') return Object.keys(v as Json).length > 0;
	return true;
}

/**
 * Validates adapter_config.json (already JSON-parsed).
 * @throws PeftConfigError when the value is not an object, peft_type is not LORA, or a field has the wrong type.
 */
export function parseAdapterConfig(json: unknown): AdapterConfig {
	if (typeof json !== 'object' || json === null || Array.isArray(json)) {
		throw new PeftConfigError('adapter_config.json must hold a JSON object.');
	}
	const o = json as Json;
	if (o.peft_type !== 'LORA') {
		throw new PeftConfigError(
			`Only LoRA adapters can be merged; this adapter's peft_type is ${JSON.stringify(o.peft_type ?? null)}. ` +
				'Train a LoRA adapter (peft_type "LORA") instead.'
		);
	}
	const targets = o.target_modules;
	let targetModules: AdapterConfig['targetModules'] = null;
	if (typeof targets === 'string') targetModules = targets;
	else if (Array.isArray(targets) && targets.every((t) => typeof t === 'string')) {
		targetModules = targets as string[];
	} else if (targets !== undefined && targets !== null) {
		fail('target_modules', 'a string or a list of strings', targets);
	}
	const bias = o.bias ?? 'none';
	if (bias !== 'none' && bias !== 'all' && bias !== 'lora_only') {
		fail('bias', '"none", "all" or "lora_only"', bias);
	}
	const mts = o.modules_to_save ?? [];
	if (!Array.isArray(mts) || !mts.every((m) => typeof m === 'string')) {
		fail('modules_to_save', 'a list of strings or null', mts);
	}
	let layersToTransform: number[] | null = null;
	const ltt = o.layers_to_transform;
	if (typeof ltt === 'number' && Number.isInteger(ltt) && ltt >= 0) layersToTransform = [ltt];
	else if (Array.isArray(ltt) && ltt.every((n) => Number.isInteger(n) && n >= 0)) {
		layersToTransform = ltt as number[];
	} else if (ltt !== undefined && ltt !== null) {
		fail('layers_to_transform', 'a layer index or a list of them', ltt);
	}
	const lp = o.layers_pattern;
	let layersPattern: string[] = [];
	if (typeof lp === 'string') layersPattern = lp === '' ? [] : [lp];
	else if (Array.isArray(lp) && lp.every((x) => typeof x === 'string')) layersPattern = lp as string[];
	else if (lp !== undefined && lp !== null) fail('layers_pattern', 'a string or a list of strings', lp);
	for (const x of layersPattern) compilePeftPattern(x, 'layers_pattern');
	if (typeof targetModules === 'string') compilePeftPattern(targetModules, 'target_modules');
	const init = o.init_lora_weights ?? true;
	if (typeof init !== 'boolean' && typeof init !== 'string') {
		fail('init_lora_weights', 'a boolean or a string', init);
	}
	return {
		peftType: 'LORA',
		taskType: typeof o.task_type === 'string' ? o.task_type : null,
		baseModelNameOrPath: typeof o.base_model_name_or_path === 'string' ? o.base_model_name_or_path : null,
		r: positiveNumber(o, 'r', true),
		loraAlpha: positiveNumber(o, 'lora_alpha', false),
		useRslora: bool(o, 'use_rslora'),
		rankPattern: pattern(o, 'rank_pattern', true),
		alphaPattern: pattern(o, 'alpha_pattern', false),
		targetModules,
		fanInFanOut: bool(o, 'fan_in_fan_out'),
		bias,
		loraBias: bool(o, 'lora_bias'),
		useDora: bool(o, 'use_dora'),
		modulesToSave: mts as string[],
		layerReplication: nonEmpty(o.layer_replication),
		aloraInvocationTokens: nonEmpty(o.alora_invocation_tokens),
		trainableTokenIndices: nonEmpty(o.trainable_token_indices),
		layersToTransform,
		layersPattern,
		initLoraWeights: init
	};
}

/**
 * Config-level features that cannot be merged into a web-llm model, each as a sentence saying why.
 * Model-dependent checks (tied lm_head, biases without a bias tensor) live in compatibility.ts.
 */
export function unsupportedFeatures(c: AdapterConfig): string[] {
	const out: string[] = [];
	if (c.useDora) {
		out.push('DoRA (use_dora) rescales each weight column by a learned magnitude; only plain LoRA can be merged');
	}
	if (c.aloraInvocationTokens) {
		out.push(
			'activated LoRA (alora_invocation_tokens) only applies after an invocation sequence at run time; it cannot be merged into weights'
		);
	}
	if (c.layerReplication) {
		out.push("layer_replication changes the number of layers; the base model's compiled wasm cannot run it");
	}
	if (c.trainableTokenIndices) {
		out.push('trainable_token_indices changes token embeddings outside LoRA; vocabulary changes are not supported');
	}
	if (typeof c.initLoraWeights === 'string' && /pissa|olora|corda|eva|loftq/i.test(c.initLoraWeights)) {
		out.push(
			`init_lora_weights "${c.initLoraWeights}" changes the base weights; save the adapter converted to plain LoRA (path_initial_model_for_weight_conversion) first`
		);
	}
	return out;
}
