// PEFT adapter inspection and compatibility against MLC bases.
// Covers: adapter_config validation (malformed input → PeftConfigError); PEFT pattern matching
// (first key matching the end of the module name wins); scaling alpha/r, rsLoRA alpha/√r; inspector
// ranks/targets/layers/dtypes/size; refusals with reasons (DoRA, aLoRA, layer_replication, lm_head on
// tied, modules_to_save, bias, lora_bias without bias tensor, missing A/B pair, wrong shapes, vocabulary
// change, unknown module, unsupported model type, non-LoRA); warnings (4-bit base, other base model);
// base suggestion from base_model_name_or_path; HF→MLC row ranges.

import { describe, expect, test } from 'vitest';
import {
	checkCompatibility,
	inspectAdapter,
	mapHfModule,
	matchPatternKey,
	moduleScaling,
	parseAdapterConfig,
	parseMlcModelShape,
	PeftConfigError,
	suggestBaseModels
} from '../../../src/domain/lora/index.ts';
import { bytesSource, parseTensorCache, readSafetensorsHeader, writeSafetensors } from '../../../src/domain/weights/index.ts';
import {
	buildHfOriginal,
	buildMlcFolder,
	buildPeftAdapter,
	type PeftOptions,
	tinyArch,
	type TinyArch
} from '../../factories/tiny-models.ts';

const baseCfg = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj'] };

describe('parseAdapterConfig', () => {
	test.each([
		['not an object', 42, /JSON object/],
		['array', [], /JSON object/],
		['other PEFT type', { ...baseCfg, peft_type: 'IA3' }, /Only LoRA/],
		['missing r', { ...baseCfg, r: undefined }, /"r" must be a positive integer/],
		['fractional r', { ...baseCfg, r: 2.5 }, /"r"/],
		['negative alpha', { ...baseCfg, lora_alpha: -1 }, /lora_alpha/],
		['string bool', { ...baseCfg, use_rslora: 'yes' }, /use_rslora/],
		['bad bias', { ...baseCfg, bias: 'some' }, /bias/],
		['bad pattern value', { ...baseCfg, rank_pattern: { q_proj: 0 } }, /rank_pattern/],
		['bad pattern regex', { ...baseCfg, alpha_pattern: { '(': 2 } }, /regular expression/],
		['bad targets', { ...baseCfg, target_modules: 3 }, /target_modules/]
	])('%s → PeftConfigError', (_, json, message) => {
		expect(() => parseAdapterConfig(json)).toThrow(PeftConfigError);
		expect(() => parseAdapterConfig(json)).toThrow(message);
	});

	test('reads the fields that decide merging', () => {
		const c = parseAdapterConfig({ ...baseCfg, use_rslora: true, base_model_name_or_path: 'x/y', layers_to_transform: 3 });
		expect(c).toMatchObject({ r: 8, loraAlpha: 16, useRslora: true, baseModelNameOrPath: 'x/y', layersToTransform: [3] });
	});
});

describe('patterns and scaling', () => {
	test.each([
		[['q_proj'], 'model.layers.0.self_attn.q_proj', 'q_proj'],
		[['proj'], 'model.layers.0.self_attn.q_proj', undefined],
		[['layers.1.self_attn.q_proj', 'q_proj'], 'model.layers.1.self_attn.q_proj', 'layers.1.self_attn.q_proj'],
		[['q_proj', 'layers.1.self_attn.q_proj'], 'model.layers.1.self_attn.q_proj', 'q_proj'],
		[['.*\\.1\\..*q_proj'], 'model.layers.1.self_attn.q_proj', '.*\\.1\\..*q_proj'],
		[['model.layers.0.self_attn.q_proj'], 'model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.q_proj']
	])('keys %j on %s → %s', (keys, module, want) => {
		expect(matchPatternKey(keys, module)).toBe(want);
	});

	test.each([
		[{}, false, 8, 16, 2],
		[{}, true, 8, 16, 16 / Math.sqrt(8)],
		[{ rank_pattern: { q_proj: 4 } }, false, 4, 16, 4],
		[{ rank_pattern: { q_proj: 4 }, alpha_pattern: { 'self_attn.q_proj': 2 } }, true, 4, 2, 1]
	])('%j rslora=%s → rank %d alpha %d scaling %d', (extra, rslora, rank, alpha, scaling) => {
		const c = parseAdapterConfig({ ...baseCfg, use_rslora: rslora, ...extra });
		const s = moduleScaling(c, 'model.layers.0.self_attn.q_proj');
		expect(s.rank).toBe(rank);
		expect(s.alpha).toBe(alpha);
		expect(s.scaling).toBeCloseTo(scaling, 12);
	});
});

test('HF→MLC row ranges for fused q|k|v and gate|up', () => {
	const shape = parseMlcModelShape({
		model_type: 'qwen2',
		quantization: 'q0f16',
		model_config: {
			hidden_size: 64,
			intermediate_size: 128,
			num_hidden_layers: 2,
			num_attention_heads: 4,
			num_key_value_heads: 2,
			head_dim: 16,
			vocab_size: 96,
			tie_word_embeddings: true
		}
	});
	const rows = (m: string) => {
		const t = mapHfModule(shape, m)!;
		return [t.mlcModule, t.rowStart, t.rowEnd];
	};
	expect(rows('model.layers.1.self_attn.q_proj')).toEqual(['model.layers.1.self_attn.c_attn', 0, 64]);
	expect(rows('model.layers.1.self_attn.k_proj')).toEqual(['model.layers.1.self_attn.c_attn', 64, 96]);
	expect(rows('model.layers.1.self_attn.v_proj')).toEqual(['model.layers.1.self_attn.c_attn', 96, 128]);
	expect(rows('model.layers.0.mlp.up_proj')).toEqual(['model.layers.0.mlp.gate_up_proj', 128, 256]);
	expect(mapHfModule(shape, 'lm_head')).toBeUndefined();
	expect(mapHfModule(shape, 'model.layers.2.self_attn.q_proj')).toBeUndefined();
});

async function setup(arch: TinyArch, peft: PeftOptions, quant: 'q0f16' | 'q4f16_1' = 'q0f16') {
	const base = buildMlcFolder(arch, quant, buildHfOriginal(arch, { dtype: 'F32' }));
	const adapter = buildPeftAdapter(arch, peft);
	const header = await readSafetensorsHeader(bytesSource(adapter.files.get('adapter_model.safetensors')!));
	const report = inspectAdapter(parseAdapterConfig(adapter.config), header);
	const verdict = checkCompatibility(report, {
		modelId: `${arch.kind}-${quant}`,
		mlcConfig: base.mlcConfig,
		tensorCache: parseTensorCache(base.tensorCache)
	});
	return { report, verdict, adapter, base };
}

test('inspector reports ranks, alphas, targets, layers, dtypes and size', async () => {
	const { report, verdict, adapter } = await setup(tinyArch('llama'), {
		targets: ['q_proj', 'down_proj'],
		rank: 4,
		alpha: 8,
		dtype: 'BF16',
		layers: [1],
		rankPattern: { down_proj: 2 }
	});
	expect(report.targets).toEqual(['down_proj', 'q_proj']);
	expect(report.layers).toEqual([1]);
	expect(report.dtypes).toEqual(['BF16']);
	expect(report.modules.map((m) => [m.shortName, m.rank, m.scaling])).toEqual([
		['down_proj', 2, 4],
		['q_proj', 4, 2]
	]);
	const expectedBytes = adapter.modules.reduce((n, m) => n + 2 * m.rank * (m.inFeatures + m.outFeatures), 0);
	expect(report.tensorBytes).toBe(expectedBytes);
	expect(report.baseModelNameOrPath).toBe('tiny/llama');
	expect(verdict.ok).toBe(true);
	expect(verdict.warnings).toEqual([]);
});

const tied = tinyArch('llama');
const untied = tinyArch('llama', { tied: false });
test.each([
	['DoRA', tied, { extraConfig: { use_dora: true } }, /DoRA/],
	['activated LoRA', tied, { extraConfig: { alora_invocation_tokens: [1, 2] } }, /activated LoRA/],
	['layer replication', tied, { extraConfig: { layer_replication: [[0, 2]] } }, /layer_replication/],
	['modules_to_save lm_head on tied', tied, { extraConfig: { modules_to_save: ['lm_head'] } }, /ties lm_head/],
	['trained biases', tied, { extraConfig: { bias: 'all' } }, /bias "all"/],
	['lora_bias without bias tensor', tied, { extraConfig: { lora_bias: true } }, /no bias tensor/],
	['vocabulary change', tied, { targets: ['embed_tokens'] as const, arch: tinyArch('llama', { vocab: 128 }) }, /vocabulary/],
	['wrong model size', tied, { arch: tinyArch('llama', { hidden: 96, heads: 6 }) }, /different model size|shape/]
])('%s is refused with a reason', async (_, arch, extra, reason) => {
	const { arch: adapterArch, targets, ...rest } = extra as { arch?: TinyArch; targets?: readonly ['embed_tokens'] } & Partial<PeftOptions>;
	const base = buildMlcFolder(arch, 'q0f16', buildHfOriginal(arch, { dtype: 'F32' }));
	const adapter = buildPeftAdapter(adapterArch ?? arch, {
		targets: targets ? [...targets] : ['q_proj'],
		rank: 2,
		alpha: 2,
		dtype: 'F32',
		...rest
	});
	const header = await readSafetensorsHeader(bytesSource(adapter.files.get('adapter_model.safetensors')!));
	const verdict = checkCompatibility(inspectAdapter(parseAdapterConfig(adapter.config), header), {
		modelId: 'tiny',
		mlcConfig: base.mlcConfig,
		tensorCache: parseTensorCache(base.tensorCache)
	});
	expect(verdict.ok).toBe(false);
	expect(verdict.reasons.join('\n')).toMatch(reason);
});

async function fromTensors(tensors: { name: string; shape: number[] }[], config: object = baseCfg) {
	const bytes = writeSafetensors(
		tensors.map((t) => ({ ...t, dtype: 'F32' as const, data: new Uint8Array(4 * t.shape.reduce((a, b) => a * b, 1)) }))
	);
	const header = await readSafetensorsHeader(bytesSource(bytes));
	return inspectAdapter(parseAdapterConfig(config), header);
}

test.each([
	['missing B', [{ name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight', shape: [8, 64] }], /lora_B is missing/],
	[
		'rank disagrees with config',
		[
			{ name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight', shape: [4, 64] },
			{ name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight', shape: [64, 4] }
		],
		/rank 8/
	],
	['unknown key', [{ name: 'something.else', shape: [1] }], /unknown tensor names/],
	['DoRA magnitude', [{ name: 'base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector', shape: [64] }], /DoRA/],
	['empty adapter', [], /no LoRA A\/B pairs/]
])('tensor problem: %s', async (_, tensors, reason) => {
	const report = await fromTensors(tensors);
	expect(report.problems.join('\n')).toMatch(reason);
});

test('lm_head LoRA on a tied base and unknown targets are refused; untied lm_head maps', async () => {
	const lm = [
		{ name: 'base_model.model.lm_head.lora_A.weight', shape: [8, 64] },
		{ name: 'base_model.model.lm_head.lora_B.weight', shape: [96, 8] }
	];
	const odd = [
		{ name: 'base_model.model.model.layers.0.self_attn.rotary.lora_A.weight', shape: [8, 64] },
		{ name: 'base_model.model.model.layers.0.self_attn.rotary.lora_B.weight', shape: [64, 8] }
	];
	for (const [arch, tensors, ok, reason] of [
		[tied, lm, false, /ties lm_head/],
		[untied, lm, true, null],
		[tied, odd, false, /unknown target module/]
	] as const) {
		const base = buildMlcFolder(arch, 'q0f16', buildHfOriginal(arch, { dtype: 'F32' }));
		const v = checkCompatibility(await fromTensors([...tensors], { ...baseCfg, target_modules: ['lm_head', 'rotary'] }), {
			modelId: 'tiny',
			mlcConfig: base.mlcConfig,
			tensorCache: parseTensorCache(base.tensorCache)
		});
		expect(v.ok).toBe(ok);
		if (reason) expect(v.reasons.join('\n')).toMatch(reason);
	}
});

test('unsupported model types are refused; 4-bit bases and other base names warn', async () => {
	const arch = tinyArch('qwen3');
	const { verdict } = await setup(arch, { targets: ['q_proj'], rank: 2, alpha: 2, dtype: 'F32' }, 'q4f16_1');
	expect(verdict.ok).toBe(true);
	expect(verdict.needsOriginal).toBe(true);
	expect(verdict.warnings.join('\n')).toMatch(/original Hugging Face weights/);
	expect(verdict.warnings.join('\n')).not.toMatch(/trained on/);
	const base = buildMlcFolder(arch, 'q0f16', buildHfOriginal(arch, { dtype: 'F32' }));
	const { report: qwenReport } = await setup(arch, { targets: ['q_proj'], rank: 2, alpha: 2, dtype: 'F32' });
	const other = checkCompatibility(qwenReport, {
		modelId: 'SmolLM2-360M-Instruct-q0f16-MLC',
		mlcConfig: base.mlcConfig,
		tensorCache: parseTensorCache(base.tensorCache)
	});
	expect(other.warnings.join('\n')).toMatch(/trained on tiny\/qwen3/);
	const report = await fromTensors([]);
	const v = checkCompatibility(report, {
		modelId: 'x',
		mlcConfig: { ...base.mlcConfig, model_type: 'gemma3' },
		tensorCache: parseTensorCache(base.tensorCache)
	});
	expect(v.reasons.join('\n')).toMatch(/model_type "gemma3" is not supported/);
});

test('suggestBaseModels picks catalog ids from base_model_name_or_path, unquantized first', () => {
	const ids = [
		'SmolLM2-360M-Instruct-q4f16_1-MLC',
		'SmolLM2-360M-Instruct-q0f16-MLC',
		'SmolLM2-135M-Instruct-q0f16-MLC',
		'Qwen2.5-0.5B-Instruct-q0f16-MLC'
	];
	expect(suggestBaseModels('HuggingFaceTB/SmolLM2-360M-Instruct', ids)).toEqual([
		'SmolLM2-360M-Instruct-q0f16-MLC',
		'SmolLM2-360M-Instruct-q4f16_1-MLC'
	]);
	expect(suggestBaseModels('Qwen/Qwen2.5-0.5B-Instruct/', ids)).toEqual(['Qwen2.5-0.5B-Instruct-q0f16-MLC']);
	expect(suggestBaseModels(null, ids)).toEqual([]);
	expect(suggestBaseModels('unknown/Model', ids)).toEqual([]);
});
