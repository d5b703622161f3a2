// `npm run derive` / `npm run stats`: runs src/cli/<name>.ts as plain JavaScript. The first run (and any
// run after a source file changed) bundles the command and its merge worker with esbuild into
// node_modules/.cache/tune-or-prompt-cli/; later runs only stat the bundle's inputs and import it.
// Why: loading the TypeScript through tsx costs ~0.45 s and ~30 MiB per run, more than the merge of a
// small adapter. Without esbuild the command still runs, through tsx.
// Usage: node scripts/cli.mjs <derive|stats> [args…]

import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// TUNE_OR_PROMPT_CLI_CACHE: another folder for the bundles (a read-only node_modules, tests)
const CACHE = process.env.TUNE_OR_PROMPT_CLI_CACHE || join(ROOT, 'node_modules', '.cache', 'tune-or-prompt-cli');
/** Each command's entry and the extra entries it starts at run time (worker threads, found next to the bundle). */
const COMMANDS = {
	derive: { entry: 'src/cli/derive.ts', workers: ['src/cli/merge-thread-worker.ts'] },
	stats: { entry: 'src/cli/stats.ts', workers: [] }
};

/** [mtime, size] of a file, or null when it is gone. */
function stamp(path) {
	try {
		const s = statSync(path);
		return [s.mtimeMs, s.size];
	} catch {
		return null;
	}
}

/** True when the bundle was built from the files as they are now. */
function fresh(manifestPath) {
	let manifest;
	try {
		manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
	} catch {
		return false;
	}
	return Object.entries(manifest.inputs).every(([file, was]) => {
		const now = stamp(join(ROOT, file));
		return now !== null && now[0] === was[0] && now[1] === was[1];
	});
}

/** Bundles the command (its entry exports main) and its workers into outDir, with the manifest of their inputs. */
async function build(name, outDir, manifestPath) {
	const esbuild = await import('esbuild');
	const { entry, workers } = COMMANDS[name];
	// a private folder per build, renamed into place: concurrent first runs never see half a bundle
	const tmp = `${outDir}.tmp-${process.pid}`;
	const result = await esbuild.build({
		absWorkingDir: ROOT,
		entryPoints: [{ in: entry, out: name }, ...workers.map((w) => ({ in: w, out: w.replace(/^.*\//, '').replace(/\.ts$/, '') }))],
		bundle: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		outdir: tmp,
		outExtension: { '.js': '.mjs' },
		// bundled CommonJS dependencies call require(); give the ESM bundle one
		banner: { js: "import { createRequire as __cliRequire } from 'node:module'; const require = __cliRequire(import.meta.url);" },
		// the tsx path builds its worker with esbuild at run time; the bundle starts the sibling .mjs instead
		external: ['esbuild'],
		metafile: true,
		logLevel: 'silent'
	});
	await esbuild.stop();
	const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((f) => [f, stamp(join(ROOT, f))]));
	writeFileSync(join(tmp, 'manifest.json'), JSON.stringify({ esbuild: esbuild.version, inputs }));
	mkdirSync(dirname(outDir), { recursive: true });
	try {
		renameSync(tmp, outDir);
	} catch {
		if (fresh(manifestPath)) {
			// a run started at the same time put the same bundle there first: keep it (others may be loading it)
			rmSync(tmp, { recursive: true, force: true });
			return;
		}
		// an outdated bundle is in the way: move it aside, then put ours in its place
		const old = `${outDir}.old-${process.pid}`;
		renameSync(outDir, old);
		renameSync(tmp, outDir);
		rmSync(old, { recursive: true, force: true });
	}
}

async function main() {
	const [name, ...argv] = process.argv.slice(2);
	if (!Object.hasOwn(COMMANDS, name)) {
		process.stderr.write(`usage: node scripts/cli.mjs <${Object.keys(COMMANDS).join('|')}> [args…]\n`);
		process.exitCode = 2;
		return;
	}
	const outDir = join(CACHE, name);
	const manifestPath = join(outDir, 'manifest.json');
	let mod;
	try {
		if (!fresh(manifestPath)) await build(name, outDir, manifestPath);
		mod = await import(pathToFileURL(join(outDir, `${name}.mjs`)).href);
	} catch {
		// no esbuild, or a cache we cannot write: run the TypeScript through tsx
		const { register } = await import('tsx/esm/api');
		register();
		mod = await import(pathToFileURL(join(ROOT, COMMANDS[name].entry)).href);
	}
	await mod.main(argv);
}

await main();
