// The adapter inspector: from adapter_config.json and the safetensors header (no tensor data),
// reports ranks, alphas, scalings, targets, layers, dtypes and size, plus structural problems.
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

import type { SafetensorsHeader } from '../weights/index.ts';
import { type AdapterConfig, unsupportedFeatures } from './adapter-config.ts';
import { parseAdapterKey } from './adapter-tensors.ts';
import { moduleScaling, peftTargetsModule } from './patterns.ts';

const MODULE_LAYER_RE = /^model\.layers\.(\d+)\./;
const MERGEABLE_DTYPES = new Set(['F32', 'F16', 'BF16']);

/** One LoRA-adapted module of the adapter. */
export interface AdapterModule {
	/** e.g. "model.layers.0.self_attn.q_proj" or "model.embed_tokens". */
	hfModule: string;
	shortName: string;
	layer: number | null;
	kind: 'linear' | 'embedding';
	rank: number;
	alpha: number;
	scaling: number;
	aName: string;
	bName: string;
	aShape: number[];
	bShape: number[];
	/** Input features of the weight (vocabulary size for an embedding). */
	inFeatures: number;
	/** Output features (hidden size for an embedding). */
	outFeatures: number;
	dtype: string;
	/** lora_B.bias when lora_bias is on. */
	biasName: string | null;
}

export interface AdapterReport {
	config: AdapterConfig;
	baseModelNameOrPath: string | null;
	modules: AdapterModule[];
	/** Short module names, sorted (q_proj, v_proj, ...). */
	targets: string[];
	/** Decoder layers touched, sorted. */
	layers: number[];
	dtypes: string[];
	tensorBytes: number;
	paramCount: number;
	minScaling: number;
	maxScaling: number;
	/** Tensors that replace whole modules (modules_to_save) or biases (bias != "none"). */
	fullTensors: string[];
	/** Blocking problems found in the config or the tensors themselves. */
	problems: string[];
	/** Non-blocking remarks. */
	warnings: string[];
}

interface Pair {
	a?: string;
	b?: string;
	embedding: boolean;
	bias?: string;
}

/**
 * Inspects an adapter without reading tensor data.
 * @param config parsed adapter_config.json
 * @param header header of adapter_model.safetensors
 * @returns the report; problems are listed in `problems`, never thrown
 */
export function inspectAdapter(config: AdapterConfig, header: SafetensorsHeader): AdapterReport {
	const problems = unsupportedFeatures(config);
	const warnings: string[] = [];
	const pairs = new Map<string, Pair>();
	const fullTensors: string[] = [];
	const unknown: string[] = [];
	let tensorBytes = 0;
	let paramCount = 0;
	const pair = (m: string, embedding: boolean) => {
		let p = pairs.get(m);
		if (!p) pairs.set(m, (p = { embedding }));
		return p;
	};
	for (const e of header.entries.values()) {
		tensorBytes += e.end - e.begin;
		paramCount += e.shape.reduce((a, b) => a * b, 1);
		const key = parseAdapterKey(e.name);
		if (!key) {
			unknown.push(e.name);
			continue;
		}
		switch (key.role) {
			case 'lora_A':
			case 'lora_embedding_A':
				pair(key.module, key.role === 'lora_embedding_A').a = e.name;
				break;
			case 'lora_B':
			case 'lora_embedding_B':
				pair(key.module, key.role === 'lora_embedding_B').b = e.name;
				break;
			case 'lora_B_bias':
				pair(key.module, false).bias = e.name;
				break;
			case 'lora_A_bias':
				problems.push(`${e.name}: lora_A never has a bias in PEFT; the file is not a PEFT LoRA adapter`);
				break;
			case 'dora_magnitude':
				if (!config.useDora) problems.push(`${e.name} is a DoRA magnitude; DoRA adapters cannot be merged`);
				break;
			default:
				fullTensors.push(e.name);
		}
	}
	if (unknown.length > 0) {
		problems.push(
			`unknown tensor names (expected base_model.model.<module>.lora_A.weight etc.): ${unknown.slice(0, 3).join(', ')}${unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}`
		);
	}
	if (fullTensors.length > 0) {
		problems.push(
			`the adapter replaces whole tensors (modules_to_save or trained biases): ${fullTensors.slice(0, 3).join(', ')}; only LoRA A/B pairs can be merged`
		);
	}
	if (config.fanInFanOut) {
		warnings.push(
			'fan_in_fan_out is true, but Llama/Qwen modules are torch.nn.Linear, for which PEFT forces it to false (peft/tuners/lora/model.py dispatch); merged as B·A'
		);
	}
	const modules: AdapterModule[] = [];
	for (const [hfModule, p] of [...pairs].sort(([x], [y]) => x.localeCompare(y, 'en', { numeric: true }))) {
		if (!p.a || !p.b) {
			problems.push(`${hfModule}: lora_${p.a ? 'B' : 'A'} is missing; every LoRA module needs both A and B`);
			continue;
		}
		const a = header.entries.get(p.a)!;
		const b = header.entries.get(p.b)!;
		for (const e of [a, b]) {
			if (!MERGEABLE_DTYPES.has(e.dtype)) problems.push(`${e.name}: dtype ${e.dtype} is not F32, F16 or BF16`);
			if (e.shape.length !== 2) problems.push(`${e.name}: expected a 2-D tensor, got shape [${e.shape}]`);
		}
		if (a.shape.length !== 2 || b.shape.length !== 2) continue;
		if (!peftTargetsModule(config, hfModule)) {
			problems.push(
				`${hfModule} has LoRA tensors, but target_modules ${JSON.stringify(config.targetModules)}` +
					(config.layersToTransform ? ` with layers_to_transform ${JSON.stringify(config.layersToTransform)}` : '') +
					' exclude it, so PEFT would never have created them; the config and the tensors do not belong together (re-save the adapter)'
			);
			continue;
		}
		const { rank, alpha, scaling } = moduleScaling(config, hfModule);
		// Linear: A [r, in], B [out, r]. Embedding: A [r, vocab], B [hidden, r] (peft lora/layer.py Embedding).
		if (a.shape[0] !== rank || b.shape[1] !== rank) {
			problems.push(`${hfModule}: A is [${a.shape}] and B is [${b.shape}] but the config says rank ${rank}`);
			continue;
		}
		const layerMatch = MODULE_LAYER_RE.exec(hfModule);
		modules.push({
			hfModule,
			shortName: hfModule.slice(hfModule.lastIndexOf('.') + 1),
			layer: layerMatch ? Number(layerMatch[1]) : null,
			kind: p.embedding ? 'embedding' : 'linear',
			rank,
			alpha,
			scaling,
			aName: a.name,
			bName: b.name,
			aShape: a.shape,
			bShape: b.shape,
			inFeatures: a.shape[1],
			outFeatures: b.shape[0],
			dtype: a.dtype === b.dtype ? a.dtype : `${a.dtype}/${b.dtype}`,
			biasName: p.bias ?? null
		});
	}
	if (modules.length === 0 && problems.length === 0) problems.push('the adapter holds no LoRA A/B pairs');
	const scalings = modules.map((m) => m.scaling);
	return {
		config,
		baseModelNameOrPath: config.baseModelNameOrPath,
		modules,
		targets: [...new Set(modules.map((m) => m.shortName))].sort(),
		layers: [...new Set(modules.flatMap((m) => (m.layer === null ? [] : [m.layer])))].sort((x, y) => x - y),
		dtypes: [...new Set([...header.entries.values()].map((e) => e.dtype))].sort(),
		tensorBytes,
		paramCount,
		minScaling: scalings.length ? Math.min(...scalings) : 0,
		maxScaling: scalings.length ? Math.max(...scalings) : 0,
		fullTensors,
		problems,
		warnings
	};
}
