import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_LAUNCH } from './test/browser-launch.ts';
import { webllmCatalog } from './scripts/vite-plugin-webllm-catalog.ts';
import { VitePWA } from 'vite-plugin-pwa';

// Offline + installable: precache the app shell including the worker chunk (web-llm, ~6 MB) and
// wasm/js assets; the service worker is registered from src/main.ts in production builds only.
const pwa = VitePWA({
	disable: Boolean(process.env.VITEST),
	registerType: 'autoUpdate',
	injectRegister: false,
	strategies: 'generateSW',
	includeAssets: ['apple-touch-icon.png'],
	manifest: {
		name: 'Tune or Prompt',
		short_name: 'TuneOrPrompt',
		description: 'Should I fine-tune, or is prompt engineering enough? Measured on your own GPU, in the browser.',
		start_url: '.',
		scope: '.',
		display: 'standalone',
		background_color: '#ffffff',
		theme_color: '#2457d6',
		icons: [
			{ src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
			{ src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
			{ src: 'icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
		]
	},
	workbox: {
		globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest,wasm,json}'],
		maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
		navigateFallback: 'index.html',
		cleanupOutdatedCaches: true
	}
});

export default defineConfig({
	plugins: [svelte(), webllmCatalog(), pwa],
	// Known up front so the dev server never re-optimizes (and reloads the test page) mid-run.
	optimizeDeps: { include: ['workbox-window', 'dexie', 'marked', 'dompurify', 'eventsource-parser'] },
	worker: { format: 'es', plugins: () => [webllmCatalog()] },
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
					// A persistent profile gets a disk-backed storage quota; the default incognito-like
					// context keeps Cache Storage in memory and runs out with a 725 MB model (three copies).
					fileParallelism: false,
					browser: {
						enabled: true,
						headless: true,
						provider: playwright({
							launchOptions: CHROMIUM_LAUNCH,
							persistentContext: 'node_modules/.cache/bench-browser-profile'
						}),
						instances: [{ browser: 'chromium' }]
					}
				}
			}
		]
	}
});
