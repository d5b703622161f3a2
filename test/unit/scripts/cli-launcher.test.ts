// scripts/cli.mjs, what `npm run derive` and `npm run stats` run: it bundles a command once into its cache
// folder and runs the bundle; a bundle whose recorded inputs no longer match the files is rebuilt, and
// the bundled command behaves as the TypeScript one. Spawned for real, with a cache folder of its own.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const cache = mkdtempSync(join(tmpdir(), 'cli-launcher-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const env = { ...process.env, TUNE_OR_PROMPT_CLI_CACHE: cache };
const launch = (...args: string[]) => spawnSync(process.execPath, ['scripts/cli.mjs', ...args], { encoding: 'utf8', env, timeout: 60_000 });
const viaTsx = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', ...args], { encoding: 'utf8', timeout: 60_000 });
const manifest = (name: string) =>
	JSON.parse(readFileSync(join(cache, name, 'manifest.json'), 'utf8')) as { inputs: Record<string, [number, number]> };

test('an unknown command is refused with the usage line and exit code 2', () => {
	const r = launch('nope');
	expect(r.status).toBe(2);
	expect(r.stderr.trim()).toBe('usage: node scripts/cli.mjs <derive|stats> [args…]');
});

test('the first run builds the bundle and its worker; the bundled command prints what the TypeScript one prints', () => {
	const r = launch('derive', '--help');
	expect(r.status).toBe(0);
	expect(r.stdout).toBe(viaTsx('src/cli/derive.ts', '--help').stdout);
	for (const f of ['derive.mjs', 'merge-thread-worker.mjs']) expect(existsSync(join(cache, 'derive', f)), f).toBe(true);
	const inputs = manifest('derive').inputs;
	for (const f of ['src/cli/derive.ts', 'src/cli/merge-thread-worker.ts', 'src/domain/merge/derive.ts']) {
		const s = statSync(f);
		expect(inputs[f], f).toEqual([s.mtimeMs, s.size]);
	}
	// a usage error: one line, exit 2, as from the TypeScript
	const bad = launch('stats');
	expect([bad.status, bad.stderr]).toEqual([2, viaTsx('src/cli/stats.ts').stderr]);
});

test('a fresh bundle is reused as it is; one whose inputs changed is rebuilt', () => {
	launch('stats', '--help');
	const bundle = join(cache, 'stats', 'stats.mjs');
	const builtAt = statSync(bundle).mtimeMs;
	expect(launch('stats', '--help').status).toBe(0);
	expect(statSync(bundle).mtimeMs).toBe(builtAt);
	// record a different size for one input, as if the file had been edited since
	const m = manifest('stats');
	m.inputs['src/cli/stats.ts'][1] += 1;
	writeFileSync(join(cache, 'stats', 'manifest.json'), JSON.stringify(m));
	expect(launch('stats', '--help').status).toBe(0);
	expect(manifest('stats').inputs['src/cli/stats.ts'][1]).toBe(statSync('src/cli/stats.ts').size);
});

test('runs started together on an empty cache all build, and all run the command', async () => {
	const empty = mkdtempSync(join(tmpdir(), 'cli-launcher-race-'));
	try {
		const run = () =>
			new Promise<{ code: number | null; stdout: string }>((resolve) => {
				const child = spawn(process.execPath, ['scripts/cli.mjs', 'stats', '--help'], {
					env: { ...process.env, TUNE_OR_PROMPT_CLI_CACHE: empty }
				});
				let stdout = '';
				child.stdout.on('data', (d) => (stdout += d));
				child.on('exit', (code) => resolve({ code, stdout }));
			});
		const results = await Promise.all([run(), run(), run(), run()]);
		const help = viaTsx('src/cli/stats.ts', '--help').stdout;
		for (const r of results) expect(r).toEqual({ code: 0, stdout: help });
		expect(existsSync(join(empty, 'stats', 'stats.mjs'))).toBe(true);
	} finally {
		rmSync(empty, { recursive: true, force: true });
	}
}, 60_000);
