import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './test/browser-launch.ts';

const APP_PORT = 4173;
export const TEST_SERVER_PORT = 4174;

// End-to-end: the built app (vite build + vite preview) and the OpenAI-compatible test server.
export default defineConfig({
	testDir: 'test/e2e',
	timeout: 90_000,
	workers: 1,
	reporter: [['list'], ['json', { outputFile: '.vitest-reports/e2e.json' }]],
	use: {
		baseURL: `http://localhost:${APP_PORT}`,
		launchOptions: CHROMIUM_LAUNCH,
		trace: 'off'
	},
	webServer: [
		{
			command: `npx vite build && npx vite preview --port ${APP_PORT} --strictPort`,
			url: `http://localhost:${APP_PORT}`,
			reuseExistingServer: !process.env.CI,
			timeout: 180_000
		},
		{
			command: `node --import tsx test/server/openai-test-server.ts --port ${TEST_SERVER_PORT}`,
			url: `http://localhost:${TEST_SERVER_PORT}/health`,
			reuseExistingServer: !process.env.CI,
			timeout: 30_000
		}
	]
});
