// Vite plugin: serves web-llm's prebuilt model list as the virtual module `virtual:webllm-catalog`
// (records as plain JSON + version) and `virtual:webllm-version` (version only), read in Node at
// build time so the page never imports web-llm (which would ship its 6 MB bundle twice).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Plugin } from 'vite';

const CATALOG_ID = 'virtual:webllm-catalog';
const VERSION_ID = 'virtual:webllm-version';
/** The fields the app reads; everything else (integrity, manifests) stays out of the bundle. */
const KEPT_FIELDS = [
	'model',
	'model_id',
	'model_lib',
	'overrides',
	'vram_required_MB',
	'low_resource_required',
	'buffer_size_required_bytes',
	'required_features',
	'model_type'
] as const;

function webllmVersion(): string {
	const require = createRequire(import.meta.url);
	const pkgPath = require.resolve('@mlc-ai/web-llm/package.json');
	return (JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string }).version;
}

async function webllmRecords(): Promise<Record<string, unknown>[]> {
	const { prebuiltAppConfig } = await import('@mlc-ai/web-llm');
	return prebuiltAppConfig.model_list.map((r) => {
		const out: Record<string, unknown> = {};
		for (const k of KEPT_FIELDS) if (r[k] !== undefined) out[k] = r[k];
		return out;
	});
}

/** The plugin; add it to `plugins` in vite.config.ts. */
export function webllmCatalog(): Plugin {
	return {
		name: 'webllm-catalog',
		resolveId(id) {
			if (id === CATALOG_ID || id === VERSION_ID) return `\0${id}`;
			return null;
		},
		async load(id) {
			if (id === `\0${VERSION_ID}`) return `export const webllmVersion = ${JSON.stringify(webllmVersion())};`;
			if (id !== `\0${CATALOG_ID}`) return null;
			const records = await webllmRecords();
			return [
				`export const webllmVersion = ${JSON.stringify(webllmVersion())};`,
				`export const records = ${JSON.stringify(records)};`
			].join('\n');
		}
	};
}
