// Runs lint (Prettier + ESLint, counted as one test) and every test layer (Node, browser, end to end),
// or only one of them (`lint`, `vitest`, `e2e` as the argument), and prints one plain closing line,
// `N passed, N failed, N skipped`, which is what CI reads (it does not read Vitest's or
// Playwright's own summaries). Exit status is non-zero when anything failed or crashed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const REPORTS = '.vitest-reports';
rmSync(REPORTS, { recursive: true, force: true });
mkdirSync(REPORTS, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
let crashed = false;

function run(label, cmd, args) {
	console.log(`\n=== ${label}: ${cmd} ${args.join(' ')}`);
	const result = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
	return result.status ?? 1;
}

function countVitest(file) {
	if (!existsSync(file)) return false;
	const report = JSON.parse(readFileSync(file, 'utf8'));
	totals.passed += report.numPassedTests ?? 0;
	totals.failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ? countSuiteErrors(report) : 0);
	totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
	return true;
}

// A test file that fails to load has no tests in it; count each such file as one failure.
function countSuiteErrors(report) {
	return (report.testResults ?? []).filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
}

function countPlaywright(file) {
	if (!existsSync(file)) return false;
	const { stats } = JSON.parse(readFileSync(file, 'utf8'));
	totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
	totals.failed += stats.unexpected ?? 0;
	totals.skipped += stats.skipped ?? 0;
	return true;
}

const only = process.argv[2];
if (!only || only === 'lint') {
	const status = run('Lint (Prettier + ESLint)', 'npm', ['run', '--silent', 'lint']);
	if (status === 0) totals.passed += 1;
	else totals.failed += 1;
}
if (!only || only === 'vitest') {
	const status = run('Node + browser (Vitest)', 'npx', [
		'vitest',
		'run',
		'--project',
		'unit',
		'--project',
		'browser',
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${REPORTS}/vitest.json`
	]);
	if (!countVitest(`${REPORTS}/vitest.json`) || (status !== 0 && totals.failed === 0)) crashed = true;
}
if (!only || only === 'e2e') {
	const before = totals.failed;
	const status = run('End to end (Playwright)', 'npx', ['playwright', 'test']);
	if (!countPlaywright(`${REPORTS}/e2e.json`) || (status !== 0 && totals.failed === before)) crashed = true;
}
if (crashed) {
	console.log('\nA test runner exited abnormally without reporting a failing test; counting one failure.');
	totals.failed += 1;
}
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);
