// The derive CLI against hostile input, spawned for real: inputs that are not regular files (a FIFO, a
// symlink to /dev/zero), a scale that makes the merged weights non-finite, a duplicated tensor name, and
// Ctrl-C (SIGINT) in the middle of a derivation. Each exits non-zero with ONE line on stderr, no stack
// trace, no NaN fidelity line and no output or partial folder left.

import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runDeriveCli as cli, tempFolders } from '../../helpers/derive-cli.ts';
import { buildHfOriginal, buildMlcFolder, buildPeftAdapter, tinyArch } from '../../factories/tiny-models.ts';

const { root, folder } = tempFolders('derive-hostile-');

const arch = tinyArch('llama');
const original = buildHfOriginal(arch, { dtype: 'BF16' });
const base = folder('base', buildMlcFolder(arch, 'q0f16', original).files);
const good = buildPeftAdapter(arch, { targets: ['q_proj'], rank: 2, alpha: 4, dtype: 'F32' });
const adapterDir = folder('adapter', good.files);

function expectOneLineRefusal(r: { code: number | null; stdout: string; stderr: string }, message: RegExp, prefix: string) {
	expect(r.code).toBe(1);
	const lines = r.stderr.trim().split('\n');
	expect(lines).toHaveLength(1);
	expect(lines[0]).toMatch(/^derive: /);
	expect(lines[0]).toMatch(message);
	expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
	expect(r.stdout).not.toMatch(/NaN/);
	expect(readdirSync(root).filter((n) => n.startsWith(prefix))).toEqual([]);
}

it('refuses an adapter file that is a FIFO, without blocking on it', () => {
	const dir = join(root, 'adapter-fifo');
	mkdirSync(dir);
	writeFileSync(join(dir, 'adapter_config.json'), good.files.get('adapter_config.json')!);
	const mk = spawnSync('mkfifo', [join(dir, 'adapter_model.safetensors')]);
	if (mk.status !== 0) throw new Error('mkfifo is needed for this test');
	expectOneLineRefusal(
		cli('--base', base, '--adapter', dir, '--out', join(root, 'out-fifo')),
		/named pipe \(FIFO\); model and adapter files must be regular files/,
		'out-fifo'
	);
});

it('refuses a base file that is a symlink to /dev/zero', () => {
	const dir = join(root, 'base-zero');
	cpSync(base, dir, { recursive: true });
	rmSync(join(dir, 'tokenizer.json'));
	symlinkSync('/dev/zero', join(dir, 'tokenizer.json'));
	expectOneLineRefusal(
		cli('--base', dir, '--adapter', adapterDir, '--out', join(root, 'out-zero')),
		/symbolic link to something that is not a regular file/,
		'out-zero'
	);
});

it('refuses a scale that makes the merged weights non-finite, printing no fidelity', () => {
	expectOneLineRefusal(
		cli('--base', base, '--adapter', adapterDir, '--out', join(root, 'out-inf'), '--scale', '1e30'),
		/would not be finite/,
		'out-inf'
	);
});

it('refuses an adapter whose safetensors header names a tensor twice', () => {
	const dir = join(root, 'adapter-dup');
	mkdirSync(dir);
	writeFileSync(join(dir, 'adapter_config.json'), good.files.get('adapter_config.json')!);
	const entry = '{"dtype":"F32","shape":[2,64],"data_offsets":[0,512]}';
	const name = good.modules[0].keyA;
	const json = new TextEncoder().encode(`{"${name}":${entry},"${name}":${entry}}`);
	const file = new Uint8Array(8 + json.byteLength + 512);
	new DataView(file.buffer).setUint32(0, json.byteLength, true);
	file.set(json, 8);
	writeFileSync(join(dir, 'adapter_model.safetensors'), file);
	expectOneLineRefusal(cli('--base', base, '--adapter', dir, '--out', join(root, 'out-dup')), /twice/, 'out-dup');
});

it('Ctrl-C (SIGINT) during a derivation stops it, removes the partial folder and exits 130', async () => {
	const big = tinyArch('llama', { layers: 48 });
	const bigBase = folder('base-big', buildMlcFolder(big, 'q4f32_1', buildHfOriginal(big, { dtype: 'F32' })).files);
	const bigAdapter = folder(
		'adapter-big',
		buildPeftAdapter(big, {
			targets: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
			rank: 8,
			alpha: 16,
			dtype: 'F32'
		}).files
	);
	const child = spawn(process.execPath, [
		'scripts/cli.mjs',
		'derive',
		'--base',
		bigBase,
		'--adapter',
		bigAdapter,
		'--out',
		join(root, 'out-sig'),
		'--threads',
		'1'
	]);
	let stderr = '';
	child.stderr.on('data', (d) => (stderr += d));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const t0 = Date.now();
	while (!readdirSync(root).some((n) => n.startsWith('out-sig.partial-'))) {
		if (Date.now() - t0 > 30_000) throw new Error('the derivation never started');
		await new Promise((r) => setTimeout(r, 5));
	}
	child.kill('SIGINT');
	const code = await exited;
	expect(code).toBe(130);
	expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^derive: The derivation was cancelled/)]);
	expect(readdirSync(root).filter((n) => n.startsWith('out-sig'))).toEqual([]);
	expect(existsSync(join(root, 'out-sig'))).toBe(false);
}, 60_000);
