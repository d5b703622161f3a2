import { defineConfig } from '@playwright/test';
import base from './playwright.config.ts';

// Browser benchmarks that need the built app (streaming through the UI); run by `npm run bench` only.
export default defineConfig({
	...base,
	testDir: 'test/bench',
	testMatch: '**/*.bench.spec.ts',
	reporter: [['list']]
});
