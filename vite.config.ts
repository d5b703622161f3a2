import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_LAUNCH } from './test/browser-launch.ts';
import { webllmCatalog } from './scripts/vite-plugin-webllm-catalog.ts';

export default defineConfig({
	plugins: [svelte(), webllmCatalog()],
	worker: { format: 'es' },
	build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					environment: 'node',
					include: ['test/unit/**/*.test.ts', 'test/storage/**/*.test.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['test/browser/**/*.test.ts'],
					testTimeout: 60_000,
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({ launchOptions: CHROMIUM_LAUNCH }),
						instances: [{ browser: 'chromium' }]
					}
				}
			},
			{
				// Benchmarks in the real browser; run only by `npm run bench`, never by `npm test`.
				extends: true,
				test: {
					name: 'bench-browser',
					include: ['test/bench/**/*.bench-browser.ts'],
					testTimeout: 600_000,
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({ launchOptions: CHROMIUM_LAUNCH }),
						instances: [{ browser: 'chromium' }]
					}
				}
			}
		]
	}
});
