// The derive CLI, spawned for real on temp folders (node scripts/cli.mjs derive, what npm run derive runs).
// Covers: success writes a complete folder (derived-model.json present, no partial folder left);
// 4-bit bases with --original (re-quantized) and without (stochastic rounding, labelled); --overlay
// (only the changed shards, the rest named at the base URL); failures
// (DoRA, pickle adapter, existing --out, bad usage) exit
// non-zero with ONE line on stderr, no stack trace, and no output or partial folder left behind.

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { runDeriveCli as cli, tempFolders } from '../../helpers/derive-cli.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';

const { root, folder } = tempFolders('derive-cli-');

const arch = tinyArch('qwen2');
const original = buildHfOriginal(arch, { dtype: 'BF16' });
const q0 = folder('base-q0f16', buildMlcFolder(arch, 'q0f16', original).files);
const q4 = folder('base-q4f16_1', buildMlcFolder(arch, 'q4f16_1', original).files);
const orig = folder('original', original.files);
const good = buildPeftAdapter(arch, { targets: ['q_proj', 'up_proj'], rank: 2, alpha: 4, dtype: 'F16' });
const adapterDir = folder('adapter', good.files);
const doraDir = folder(
	'dora',
	new Map([...good.files, ['adapter_config.json', new TextEncoder().encode(JSON.stringify({ ...good.config, use_dora: true }))]])
);
const pickleDir = folder(
	'pickle',
	new Map([
		['adapter_config.json', good.files.get('adapter_config.json')!],
		['adapter_model.bin', new Uint8Array([0x80, 2])]
	])
);

function leftovers(prefix: string): string[] {
	return readdirSync(root).filter((n) => n.startsWith(prefix));
}

test('--help prints the usage and every option, exit 0, writes nothing', () => {
	const r = cli('--help');
	expect(r.code).toBe(0);
	expect(r.stderr).toBe('');
	for (const flag of ['--base', '--adapter', '--out', '--original', '--scale', '--threads']) expect(r.stdout).toContain(flag);
});

test('derives a complete folder', () => {
	const out = join(root, 'out-ok');
	const r = cli('--base', q0, '--adapter', adapterDir, '--out', out, '--json');
	expect(r.stderr).toBe('');
	expect(r.code).toBe(0);
	const summary = JSON.parse(r.stdout);
	expect(summary.modelId).toMatch(/^base-q0f16\+lora-[0-9a-f]{12}$/);
	// a tiny adapter is far below the work that pays for a second thread
	expect(summary.threads).toBe(1);
	expect(existsSync(join(out, 'derived-model.json'))).toBe(true);
	const manifest = JSON.parse(readFileSync(join(out, 'derived-model.json'), 'utf8'));
	expect(manifest.fidelity.summary.modules).toBe(good.modules.length);
	expect(leftovers('out-ok')).toEqual(['out-ok']);
});

test('4-bit base with --original is re-quantized; without it, rounded stochastically and labelled so', () => {
	const ok = cli('--base', q4, '--adapter', adapterDir, '--out', join(root, 'out-q4'), '--original', orig);
	expect(ok.code).toBe(0);
	expect(existsSync(join(root, 'out-q4', 'derived-model.json'))).toBe(true);
	expect(ok.stdout).toMatch(/method: re-quantized from the original weights/);
	expect(ok.stdout).toMatch(/fidelity over \d+ modules: gain [\d.]+–[\d.]+, max subspace error [\d.]+/);
	expect(ok.stdout).toMatch(/the rest is 4-bit rounding noise, the same size as the base's own \(base's own 4-bit error/);
	const no = cli('--base', q4, '--adapter', adapterDir, '--out', join(root, 'out-q4-no'));
	expect(no.code).toBe(0);
	expect(no.stdout).toMatch(/method: stochastic rounding into the base's 4-bit grid; adds weight noise/);
	expect(no.stdout).toMatch(/extra weight noise [\d.]+× a plain 4-bit model's rounding noise/);
	const manifest = JSON.parse(readFileSync(join(root, 'out-q4-no', 'derived-model.json'), 'utf8'));
	expect(manifest.method).toBe('stochastic-rounding');
});

test.each([
	['DoRA adapter', () => ['--base', q0, '--adapter', doraDir, '--out', join(root, 'out-dora')], 'out-dora', /DoRA/, 1],
	[
		'pickle adapter',
		() => ['--base', q0, '--adapter', pickleDir, '--out', join(root, 'out-pickle')],
		'out-pickle',
		/pickle.*safetensors/,
		1
	],
	['missing --out', () => ['--base', q0, '--adapter', adapterDir], 'none', /--out is required/, 2],
	['bad scale', () => ['--base', q0, '--adapter', adapterDir, '--out', join(root, 'out-s'), '--scale', '-1'], 'out-s', /--scale/, 2],
	[
		'base is not an MLC folder',
		() => ['--base', adapterDir, '--adapter', adapterDir, '--out', join(root, 'out-nb')],
		'out-nb',
		/not an MLC model folder/,
		1
	]
])('%s: exit code, one line, nothing left', (_, args, prefix, message, code) => {
	const r = cli(...args());
	expect(r.code).toBe(code);
	const lines = r.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^derive: /);
	expect(lines[0]).toMatch(message);
	expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
	expect(leftovers(prefix)).toEqual([]);
});

test('an existing --out folder is never overwritten', () => {
	const out = join(root, 'out-exists');
	mkdirSync(out);
	const r = cli('--base', q0, '--adapter', adapterDir, '--out', out);
	expect(r.code).toBe(1);
	expect(r.stderr).toMatch(/already exists/);
	expect(readdirSync(out)).toEqual([]);
});

test('--overlay writes only the changed shards; untouched tensors are read from the base URL', () => {
	const full = join(root, 'out-full');
	const small = join(root, 'out-overlay');
	expect(cli('--base', q0, '--adapter', adapterDir, '--out', full).code).toBe(0);
	const r = cli('--base', q0, '--adapter', adapterDir, '--out', small, '--overlay', 'https://models.example/base-q0f16');
	expect(r.stderr).toBe('');
	expect(r.code).toBe(0);
	type Shard = { dataPath: string; records: { name: string }[] };
	const cache = (dir: string) => JSON.parse(readFileSync(join(dir, 'tensor-cache.json'), 'utf8')) as { records: Shard[] };
	const overlay = cache(small).records;
	const external = overlay.filter((s) => s.dataPath.startsWith('https://models.example/base-q0f16/'));
	const local = overlay.filter((s) => !s.dataPath.includes('://'));
	// Every tensor of the self-contained folder is named exactly once in the overlay, as a base or a new record.
	const names = (shards: Shard[]) => shards.flatMap((s) => s.records.map((t) => t.name)).sort();
	expect(names(overlay)).toEqual(names(cache(full).records));
	expect(external.length).toBeGreaterThan(0);
	// The adapter touches q_proj and up_proj; MLC fuses q/k/v into c_attn and gate/up into gate_up_proj, so
	// those two weights of each of the two layers are the only tensors stored in <out>.
	expect(local.flatMap((s) => s.records.map((t) => t.name)).sort()).toEqual(
		[0, 1].flatMap((l) => [`model.layers.${l}.mlp.gate_up_proj.weight`, `model.layers.${l}.self_attn.c_attn.weight`]).sort()
	);
	// Only the local shard files are written, so the overlay folder stores fewer shard bytes.
	const shardBytes = (dir: string) =>
		readdirSync(dir)
			.filter((f) => f.endsWith('.bin'))
			.reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
	expect(shardBytes(small)).toBeLessThan(shardBytes(full));
	expect(readdirSync(small).filter((f) => f.endsWith('.bin'))).toEqual(local.map((s) => s.dataPath).sort());
});

test('--overlay needs an http(s) URL', () => {
	const r = cli('--base', q0, '--adapter', adapterDir, '--out', join(root, 'out-bad-overlay'), '--overlay', '/not/a/url');
	expect(r.code).toBe(2);
	expect(r.stderr.trim()).toMatch(/^derive: --overlay must be the http\(s\) URL/);
	expect(leftovers('out-bad-overlay')).toEqual([]);
});
