// `npm run bench`: every performance figure the issues ask for, measured (never asserted in tests).
// Each step writes JSON into bench-results/; this script gathers them into bench-results/summary.json
// and prints it. A step that fails is reported as {error} and the others still run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

const OUT = 'bench-results';
mkdirSync(OUT, { recursive: true });
const summary = { measuredAt: new Date().toISOString(), machine: machineInfo() };

function machineInfo() {
	return {
		os: `${process.platform} ${process.arch}`,
		node: process.version,
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model,
		memoryGiB: Math.round(totalmem() / 2 ** 30)
	};
}

function step(name, cmd, args, resultFiles) {
	console.log(`\n=== bench: ${name}`);
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
	for (const [key, file] of Object.entries(resultFiles)) {
		summary[key] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { error: `${name} wrote no ${file} (exit ${r.status})` };
	}
}

// 1. Page entry chunk size (the budget: ≤ 80 KB gzip).
step('build', 'npx', ['vite', 'build'], {});
try {
	const html = readFileSync('dist/index.html', 'utf8');
	const entry = /<script type="module" crossorigin src="\/?([^"]+)"/.exec(html)?.[1];
	const css = [...html.matchAll(/<link rel="stylesheet" crossorigin href="\/?([^"]+)"/g)].map((m) => m[1]);
	const gz = (f) => gzipSync(readFileSync(join('dist', f))).length;
	summary.entryChunk = {
		file: entry,
		gzipBytes: gz(entry),
		gzipKB: +(gz(entry) / 1024).toFixed(1),
		cssGzipBytes: css.reduce((a, f) => a + gz(f), 0),
		// The entry's static imports load with it (modulepreload): counted too, to be honest about the budget.
		withPreloadsGzipKB: +(
			(gz(entry) + [...html.matchAll(/<link rel="modulepreload" crossorigin href="\/?([^"]+)"/g)].reduce((a, m) => a + gz(m[1]), 0)) /
			1024
		).toFixed(1),
		budgetKB: 80
	};
} catch (e) {
	summary.entryChunk = { error: String(e) };
}

// 2. Derivation in Node against a plain copy of the same bytes.
step('derive (node)', 'node', ['--import', 'tsx', 'scripts/bench-derive.ts'], {
	deriveNode: join(OUT, 'derive-node.json')
});

// 2b. Fidelity of the benchmark adapter on the three derivation routes (q0f16, q4f16_1 with and without originals).
step('derive fidelity (node)', 'node', ['--import', 'tsx', 'scripts/bench-fidelity.ts'], {
	deriveFidelity: join(OUT, 'derive-fidelity.json')
});

// 3. Browser benchmarks (history with 10,000 runs, derivation in the worker).
step('browser benchmarks (vitest)', 'npx', ['vitest', 'run', '--project', 'bench-browser'], {
	history: join(OUT, 'history.json'),
	deriveBrowser: join(OUT, 'derive-browser.json'),
	compare: join(OUT, 'compare.json')
});

// 4. Streaming 2,000 tokens at 200 tokens/s through the built app: longest main-thread task.
step('streaming (playwright)', 'npx', ['playwright', 'test', '-c', 'playwright.bench.config.ts'], {
	streaming: join(OUT, 'streaming.json'),
	sideBySide: join(OUT, 'side-by-side.json')
});

writeFileSync(join(OUT, 'summary.json'), JSON.stringify(summary, null, 2));
console.log('\n' + JSON.stringify(summary, null, 2));
