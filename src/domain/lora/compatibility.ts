// Compatibility verdict of an inspected adapter against a chosen MLC base model, and a base
// suggestion from base_model_name_or_path. Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

import { q4Shapes, type TensorCache, type TensorCacheRecord } from '../weights/index.ts';
import type { AdapterReport } from './inspect.ts';
import { isQuantized4, mapHfModule, type MlcModelShape, type MlcTarget, parseMlcModelShape, UnsupportedBaseError } from './mlc-model.ts';

export interface BaseModelInfo {
	modelId: string;
	/** Parsed mlc-chat-config.json. */
	mlcConfig: unknown;
	tensorCache: TensorCache;
}

export interface CompatibilityVerdict {
	ok: boolean;
	reasons: string[];
	warnings: string[];
	/** Set when the base parsed: the shape used for mapping. */
	shape: MlcModelShape | null;
	/** One entry per adapter module that maps onto the base (same order as report.modules). */
	targets: MlcTarget[];
	/** 4-bit base: the original Hugging Face weights give the better route (re-quantization; facts §4); without them, stochastic rounding. */
	needsOriginal: boolean;
}

/** All records of a tensor cache by name. */
export function recordsByName(cache: TensorCache): Map<string, TensorCacheRecord> {
	const out = new Map<string, TensorCacheRecord>();
	for (const shard of cache.records) for (const r of shard.records) out.set(r.name, r);
	return out;
}

function sameShape(a: number[] | undefined, b: number[]): boolean {
	return a !== undefined && a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Decides whether an adapter can be merged into a base model, with every blocking reason.
 * @returns ok=false with reasons, or ok=true with the MLC target of every adapter module
 */
export function checkCompatibility(report: AdapterReport, base: BaseModelInfo): CompatibilityVerdict {
	const reasons = [...report.problems];
	const warnings = [...report.warnings];
	let shape: MlcModelShape;
	try {
		shape = parseMlcModelShape(base.mlcConfig);
	} catch (e) {
		if (!(e instanceof UnsupportedBaseError)) throw e;
		return { ok: false, reasons: [...reasons, e.message], warnings, shape: null, targets: [], needsOriginal: false };
	}
	const cfg = report.config;
	const records = recordsByName(base.tensorCache);
	const q4 = isQuantized4(shape.quantization);
	const targets: MlcTarget[] = [];
	for (const name of cfg.modulesToSave) {
		if (/(^|\.)lm_head$/.test(name) && shape.tiedEmbeddings) {
			reasons.push('modules_to_save includes lm_head, but this base ties lm_head to the embeddings; a separate head cannot be stored');
		} else {
			reasons.push(`modules_to_save "${name}" replaces a whole module; only LoRA A/B deltas can be merged`);
		}
	}
	if (cfg.bias !== 'none') {
		reasons.push(
			`bias "${cfg.bias}" trains biases; the Llama/Qwen linear layers merged here have no trainable bias tensor to receive them`
		);
	}
	for (const m of report.modules) {
		const t = mapHfModule(shape, m.hfModule);
		if (!t) {
			if (m.hfModule === 'lm_head' && shape.tiedEmbeddings) {
				reasons.push('LoRA on lm_head, but this base ties lm_head to the embeddings: the delta would also change the input embeddings');
			} else if (m.layer !== null && m.layer >= shape.numLayers) {
				reasons.push(`${m.hfModule}: layer ${m.layer} does not exist (the base has ${shape.numLayers} layers)`);
			} else {
				reasons.push(`${m.hfModule}: unknown target module for a ${shape.modelType} model`);
			}
			continue;
		}
		if (m.biasName !== null || cfg.loraBias) {
			reasons.push(
				t.hasBias
					? `${m.hfModule}: lora_bias is not supported yet`
					: `${m.hfModule}: lora_bias trains a bias, but this module has no bias tensor in the base`
			);
		}
		if (t.kind !== m.kind) {
			reasons.push(`${m.hfModule}: the adapter holds ${m.kind} LoRA tensors but the base module is ${t.kind}`);
			continue;
		}
		const rows = t.rowEnd - t.rowStart;
		const expectIn = m.kind === 'embedding' ? shape.vocabSize : t.inFeatures;
		const expectOut = m.kind === 'embedding' ? shape.hiddenSize : rows;
		if (m.kind === 'embedding' && m.inFeatures !== shape.vocabSize) {
			reasons.push(
				`${m.hfModule}: the adapter's vocabulary has ${m.inFeatures} tokens but the base has ${shape.vocabSize}; vocabulary changes are not supported`
			);
			continue;
		}
		if (m.inFeatures !== expectIn || m.outFeatures !== expectOut) {
			reasons.push(
				`${m.hfModule}: the adapter's delta is [${m.outFeatures}, ${m.inFeatures}] but the base expects [${expectOut}, ${expectIn}]; is it for a different model size?`
			);
			continue;
		}
		const cols = t.inFeatures;
		const { words, groups } = q4Shapes(t.totalRows, cols);
		const expected: [string, number[]][] = q4
			? [
					[`${t.mlcModule}.q_weight`, [t.totalRows, words]],
					[`${t.mlcModule}.q_scale`, [t.totalRows, groups]]
				]
			: [[`${t.mlcModule}.weight`, [t.totalRows, cols]]];
		const missing = expected.filter(([n, s]) => !sameShape(records.get(n)?.shape, s));
		if (missing.length > 0) {
			const [n, s] = missing[0];
			const got = records.get(n);
			reasons.push(
				got
					? `${m.hfModule}: base tensor ${n} has shape [${got.shape}], expected [${s}]`
					: `${m.hfModule}: base tensor ${n} is missing from tensor-cache.json`
			);
			continue;
		}
		if (m.kind === 'embedding' && shape.tiedEmbeddings) {
			warnings.push('LoRA on embed_tokens with tied embeddings also changes the output head once merged (as PEFT merge_and_unload does)');
		}
		targets.push(t);
	}
	if (q4) {
		warnings.push(
			`this base is 4-bit (${shape.quantization}); with the model's original Hugging Face weights it is re-quantized (the better route); without them the delta is rounded stochastically into the base's 4-bit grid, which carries the adapter but adds weight noise`
		);
	}
	if (cfg.taskType !== null && cfg.taskType !== 'CAUSAL_LM') {
		warnings.push(`task_type is ${cfg.taskType}, not CAUSAL_LM`);
	}
	const stem = modelStem(report.baseModelNameOrPath);
	if (stem && !base.modelId.toLowerCase().startsWith(stem.toLowerCase())) {
		warnings.push(`the adapter was trained on ${report.baseModelNameOrPath}, but the chosen base is ${base.modelId}`);
	}
	return { ok: reasons.length === 0, reasons, warnings, shape, targets, needsOriginal: q4 };
}

/** "HuggingFaceTB/SmolLM2-360M-Instruct" → "SmolLM2-360M-Instruct"; null for empty or local paths ending in '/'. */
function modelStem(baseModelNameOrPath: string | null): string | null {
	if (!baseModelNameOrPath) return null;
	const stem =
		baseModelNameOrPath
			.replace(/[\\/]+$/, '')
			.split(/[\\/]/)
			.pop() ?? '';
	return stem.length > 0 ? stem : null;
}

/**
 * Catalog ids that fit base_model_name_or_path: ids starting with "<repo name>-" (case-insensitive),
 * unquantized (q0) variants first since they merge exactly.
 * @param baseModelNameOrPath e.g. "HuggingFaceTB/SmolLM2-360M-Instruct"
 * @param modelIds the catalog, e.g. web-llm's prebuilt model ids
 */
export function suggestBaseModels(baseModelNameOrPath: string | null, modelIds: readonly string[]): string[] {
	const stem = modelStem(baseModelNameOrPath);
	if (!stem) return [];
	const prefix = `${stem.toLowerCase()}-`;
	const hits = modelIds.filter((id) => id.toLowerCase().startsWith(prefix));
	const rank = (id: string) => (/-q0f(16|32)-/.test(id) ? 0 : 1);
	return hits
		.map((id, i) => ({ id, i }))
		.sort((x, y) => rank(x.id) - rank(y.id) || x.i - y.i)
		.map((x) => x.id);
}
