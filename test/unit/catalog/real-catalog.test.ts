// Covers the catalog built from web-llm's REAL prebuiltAppConfig (web-llm imports fine in Node):
// the virtual module served by our Vite plugin equals web-llm's list, loadCatalog() keeps every
// chat model and no embedding model, and spot checks of well-known entries.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { groupByFamily, loadCatalog, loadCatalogVersion } from '../../../src/domain/catalog/index.ts';

const all = prebuiltAppConfig.model_list;

describe('loadCatalog on the real web-llm list', () => {
	test('every non-embedding record, in order', async () => {
		const entries = await loadCatalog();
		const expected = all.filter((r) => r.model_type !== 1 && !r.model_id.includes('embed')).map((r) => r.model_id);
		expect(entries.map((e) => e.id)).toEqual(expected);
		expect(entries.length).toBeGreaterThan(100);
	});

	test('version matches the installed package', async () => {
		const { createRequire } = await import('node:module');
		const pkg = createRequire(import.meta.url)('@mlc-ai/web-llm/package.json') as {
			version: string;
		};
		expect(await loadCatalogVersion()).toBe(pkg.version);
	});

	test('SmolLM2-360M q4f32_1 is parsed from its record', async () => {
		const entries = await loadCatalog();
		const raw = all.find((r) => r.model_id === 'SmolLM2-360M-Instruct-q4f32_1-MLC');
		const e = entries.find((x) => x.id === 'SmolLM2-360M-Instruct-q4f32_1-MLC');
		expect(raw && e).toBeTruthy();
		expect(e).toMatchObject({
			family: 'SmolLM2',
			paramSize: '360M',
			quantization: 'q4f32_1',
			vramMB: raw?.vram_required_MB,
			contextWindowTokens: raw?.overrides?.context_window_size,
			needsShaderF16: false
		});
	});

	test('every entry has a family, a quantization and a parameter size', async () => {
		const entries = await loadCatalog();
		for (const e of entries) {
			expect(e.family, e.id).not.toBe('');
			expect(e.quantization, e.id).not.toBeNull();
			expect(e.paramSize, e.id).not.toBeNull();
		}
		const families = groupByFamily(entries).map((g) => g.family);
		for (const f of ['SmolLM2', 'Qwen2.5', 'Qwen3', 'Llama-3.2']) expect(families).toContain(f);
	});
});
