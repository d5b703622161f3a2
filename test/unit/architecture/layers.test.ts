// The folder tree's dependency direction, checked on the source text (our stand-in for lint rules):
// components → state → (storage | workers/*-client | engines) → domain; domain imports nothing
// outside itself; web-llm is imported only inside the web-llm worker's own modules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = resolve('src');

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return filesUnder(path);
		return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

/** Every import specifier in a file, resolved to a path under src/ when relative. */
function importsOf(file: string): string[] {
	const text = readFileSync(file, 'utf8');
	const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
	return specs.map((m) => {
		const spec = m[1] ?? m[2];
		return spec.startsWith('.') ? relative(SRC, resolve(dirname(file), spec)) : spec;
	});
}

const under = (folder: string) => filesUnder(join(SRC, folder));
const rel = (file: string) => relative(SRC, file);

/** Libraries domain code may use: linear-time regexes (RE2), an interpreting JSON Schema validator, CSV, word diff. */
const PURE_LIBRARIES = new Set(['re2js', '@cfworker/json-schema', 'papaparse', 'diff']);

describe('layering of src/', () => {
	test('domain imports only domain code (no Svelte, Dexie, DOM helpers, web-llm or node:)', () => {
		const bad = under('domain').flatMap((f) =>
			importsOf(f)
				// virtual:webllm-catalog is plain JSON generated at build time (scripts/vite-plugin-webllm-catalog.ts).
				// Pure-JS libraries made for the job are allowed: no DOM, node: or code generation in them.
				.filter((i) => !i.startsWith('domain/') && !i.startsWith('virtual:') && !PURE_LIBRARIES.has(i))
				.map((i) => `${rel(f)} → ${i}`)
		);
		expect(bad).toEqual([]);
	});

	test('components import no storage, workers, engines, Dexie or web-llm', () => {
		const bad = under('components').flatMap((f) =>
			importsOf(f)
				.filter((i) => /^(storage|workers|engines)\//.test(i) || i === 'dexie' || i.startsWith('@mlc-ai/'))
				.map((i) => `${rel(f)} → ${i}`)
		);
		expect(bad).toEqual([]);
	});

	test('nothing below state imports state or components', () => {
		const lower = ['domain', 'storage', 'workers', 'engines', 'util', 'cli'].flatMap(under);
		const bad = lower.flatMap((f) =>
			importsOf(f)
				.filter((i) => /^(state|components)\//.test(i) || i === 'App.svelte')
				.map((i) => `${rel(f)} → ${i}`)
		);
		expect(bad).toEqual([]);
	});

	test('web-llm is imported only by the web-llm worker modules', () => {
		const importers = filesUnder(SRC)
			.filter((f) => importsOf(f).some((i) => i.startsWith('@mlc-ai/web-llm')))
			.map(rel)
			.sort();
		expect(importers.every((f) => /^workers\/llm[.-]/.test(f) && !f.endsWith('-client.ts'))).toBe(true);
		expect(importers).toContain('workers/llm-handler.ts');
	});
});
