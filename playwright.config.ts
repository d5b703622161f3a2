import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './test/browser-launch.ts';
import { APP_PORT, TEST_SERVER_PORT } from './test/e2e/ports.ts';

export { TEST_SERVER_PORT };

// End-to-end: the built app (vite build + vite preview) and the OpenAI-compatible test server, each
// on a port of its own (test/e2e/ports.ts), never the 4173 of `npm start`. The tests always start
// both servers themselves (reuseExistingServer: false): with --strictPort a busy port fails loudly
// instead of the tests running against a server they did not start.
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
			reuseExistingServer: false,
			timeout: 180_000
		},
		{
			command: `node --import tsx test/server/openai-test-server.ts --port ${TEST_SERVER_PORT}`,
			url: `http://localhost:${TEST_SERVER_PORT}/health`,
			reuseExistingServer: false,
			timeout: 30_000
		}
	]
});
