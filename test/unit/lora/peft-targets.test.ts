// PEFT's module selection and pattern keys, and their hostile forms. Semantics follow
// check_target_module_exists (peft/tuners/tuners_utils.py): a string target_modules must fullmatch the
// module name; a list matches an exact name (layers_to_transform then not consulted) or a name ending in
// "." + entry, which must then sit in a layer of layers_to_transform. Adapters whose tensors PEFT could
// not have created are refused. Pattern keys run on RE2 (no backtracking): "(a+)+$" cannot hang.

import { describe, expect, it } from 'vitest';
import { inspectAdapter, matchPatternKey, parseAdapterConfig, PeftConfigError, peftTargetsModule } from '../../../src/domain/lora/index.ts';
import { bytesSource, readSafetensorsHeader, writeSafetensors } from '../../../src/domain/weights/index.ts';

const cfg = (extra: object) => parseAdapterConfig({ peft_type: 'LORA', r: 2, lora_alpha: 4, ...extra });

describe('peftTargetsModule (PEFT check_target_module_exists)', () => {
	it('a list matches by name suffix after a dot, not by substring', () => {
		const c = cfg({ target_modules: ['q_proj'] });
		expect(peftTargetsModule(c, 'model.layers.0.self_attn.q_proj')).toBe(true);
		expect(peftTargetsModule(c, 'model.layers.0.self_attn.xq_proj')).toBe(false);
	});
	it('layers_to_transform restricts suffix matches to those layers', () => {
		const c = cfg({ target_modules: ['q_proj'], layers_to_transform: [1] });
		expect(peftTargetsModule(c, 'model.layers.1.self_attn.q_proj')).toBe(true);
		expect(peftTargetsModule(c, 'model.layers.0.self_attn.q_proj')).toBe(false);
	});
	it('layers_pattern names the layer list the index is read from', () => {
		const c = cfg({ target_modules: ['q_proj'], layers_to_transform: [0], layers_pattern: 'blocks' });
		expect(peftTargetsModule(c, 'model.layers.0.self_attn.q_proj')).toBe(false);
	});
	it('an exact name in the list is taken whatever layers_to_transform says', () => {
		const c = cfg({ target_modules: ['model.layers.0.self_attn.q_proj'], layers_to_transform: [1] });
		expect(peftTargetsModule(c, 'model.layers.0.self_attn.q_proj')).toBe(true);
	});
	it('a string is a full-match regex', () => {
		const c = cfg({ target_modules: '.*\\.(q|v)_proj' });
		expect(peftTargetsModule(c, 'model.layers.3.self_attn.v_proj')).toBe(true);
		expect(peftTargetsModule(c, 'model.layers.3.self_attn.v_proj2')).toBe(false);
	});
});

async function header(modules: string[]) {
	const t = modules.flatMap((m) => [
		{ name: `base_model.model.${m}.lora_A.weight`, dtype: 'F32' as const, shape: [2, 4], data: new Uint8Array(32) },
		{ name: `base_model.model.${m}.lora_B.weight`, dtype: 'F32' as const, shape: [4, 2], data: new Uint8Array(32) }
	]);
	return readSafetensorsHeader(bytesSource(writeSafetensors(t)));
}

describe('adapters whose config and tensors disagree', () => {
	it('refuses tensors for a module target_modules does not name', async () => {
		const r = inspectAdapter(
			cfg({ target_modules: ['q_proj'] }),
			await header(['model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.v_proj'])
		);
		expect(r.problems.join('\n')).toMatch(
			/model\.layers\.0\.self_attn\.v_proj has LoRA tensors, but target_modules \["q_proj"\] exclude it/
		);
		expect(r.modules.map((m) => m.hfModule)).toEqual(['model.layers.0.self_attn.q_proj']);
	});
	it('refuses tensors in a layer outside layers_to_transform', async () => {
		const r = inspectAdapter(
			cfg({ target_modules: ['q_proj'], layers_to_transform: [1] }),
			await header(['model.layers.0.self_attn.q_proj'])
		);
		expect(r.problems.join('\n')).toMatch(/with layers_to_transform \[1\] exclude it/);
	});
});

describe('hostile pattern keys', () => {
	it('a catastrophic-backtracking key "(a+)+$" answers at once', () => {
		const name = `model.layers.0.${'a'.repeat(5000)}b`;
		const t0 = performance.now();
		expect(matchPatternKey(['(a+)+$'], name)).toBeUndefined();
		expect(performance.now() - t0).toBeLessThan(1000);
	});
	it('a key RE2 cannot run (a backreference) is refused with the field named', () => {
		expect(() => cfg({ rank_pattern: { '(q)\\1': 4 } })).toThrow(PeftConfigError);
		expect(() => cfg({ rank_pattern: { '(q)\\1': 4 } })).toThrow(/rank_pattern/);
	});
	it('ordinary keys still match the end of a module name', () => {
		expect(matchPatternKey(['v_proj', 'q_proj'], 'model.layers.2.self_attn.q_proj')).toBe('q_proj');
		expect(matchPatternKey(['layers\\.2\\..*'], 'model.layers.2.self_attn.q_proj')).toBe('layers\\.2\\..*');
	});
});
