// ESLint (flat config): recommended JavaScript, TypeScript and Svelte rules, browser or Node globals by folder,
// and the folder tree's dependency direction as no-restricted-imports (test/unit/architecture/layers.test.ts checks
// the same on the source text, dynamic import() included):
// components → state → (storage | workers/*-client | engines) → domain.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Relative imports that reach into one of these top-level folders of src/ (no folder below src/ reuses these names). */
const into = (...folders) => `(^|/)(${folders.join('|')})/`;

const WEBLLM = { regex: '^@mlc-ai/', message: 'web-llm is imported only by the web-llm worker modules (src/workers/llm*.ts).' };
const NO_STATE_OR_COMPONENTS = {
	regex: `${into('state', 'components')}|(^|/)App\\.svelte$`,
	message: 'Code below state/ imports neither state/ nor components/.'
};
const DOMAIN_ONLY = [
	{
		regex: into('storage', 'engines', 'workers', 'util', 'cli'),
		message: 'domain/ imports only domain code.'
	},
	{
		// Pure-JS libraries made for the job, and the build-time virtual modules (plain JSON).
		regex: '^(?!\\.|re2js$|@cfworker/json-schema$|papaparse$|diff$|virtual:)',
		message: 'domain/ uses no Svelte, Dexie, DOM helpers, web-llm or node: — only re2js, @cfworker/json-schema, papaparse, diff.'
	}
];
const COMPONENTS_ONLY = [
	{
		regex: `${into('storage', 'workers', 'engines')}|^dexie$`,
		message: 'Components present and dispatch: they go through state/, never to storage, workers, engines or Dexie.'
	}
];

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default defineConfig(
	{
		ignores: [
			'dist/',
			'dist-*/',
			'bench-results/',
			'test-results/',
			'playwright-report/',
			'.vitest-reports/',
			'.vitest-attachments/',
			'.gl/',
			'.whl/',
			'test/fixtures/'
		]
	},
	js.configs.recommended,
	ts.configs.recommended,
	svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser } }
	},
	{
		files: ['scripts/**', 'src/cli/**', 'test/server/**', '*.config.{js,ts}', 'test/**/*.config.ts'],
		languageOptions: { globals: { ...globals.node } }
	},
	{
		// Tests run in Node (Vitest, Playwright) or in Chromium (Vitest browser mode).
		files: ['test/**'],
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig }
		}
	},
	{
		// TypeScript checks names itself (svelte-check for .svelte files); no-undef does not know types or ambient globals.
		files: ['**/*.svelte'],
		rules: { 'no-undef': 'off' }
	},
	{
		// Names starting with _ are unused on purpose (interface-shaped parameters, properties left out by destructuring).
		rules: {
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }
			]
		}
	},
	// Dependency direction (one rule value per file: later entries replace earlier ones, so each lists all that apply).
	{ files: ['src/**'], rules: restrict(WEBLLM) },
	{ files: ['src/components/**'], rules: restrict(WEBLLM, ...COMPONENTS_ONLY) },
	{
		files: ['src/storage/**', 'src/workers/**', 'src/engines/**', 'src/util/**', 'src/cli/**'],
		rules: restrict(WEBLLM, NO_STATE_OR_COMPONENTS)
	},
	{
		files: ['src/workers/llm-handler.ts', 'src/workers/llm-cache.ts', 'src/workers/llm.worker.ts'],
		rules: restrict(NO_STATE_OR_COMPONENTS)
	},
	{ files: ['src/domain/**'], rules: restrict(WEBLLM, NO_STATE_OR_COMPONENTS, ...DOMAIN_ONLY) }
);
