// Shared by the derive CLI specs: a temp root with folders built from FileMaps, and the command
// spawned for real, as `npm run derive` runs it (node scripts/cli.mjs derive: the bundled command).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { FileMap } from '../factories/tiny-models.ts';

/** A temp root removed after the file's tests, and a way to write a folder into it. */
export function tempFolders(prefix: string): { root: string; folder(name: string, files: FileMap): string } {
	const root = mkdtempSync(join(tmpdir(), prefix));
	afterAll(() => rmSync(root, { recursive: true, force: true }));
	return {
		root,
		folder(name, files) {
			const dir = join(root, name);
			mkdirSync(dir, { recursive: true });
			for (const [n, b] of files) writeFileSync(join(dir, n), b);
			return dir;
		}
	};
}

/** Runs the derive command to completion (60 s at most). */
export function runDeriveCli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
	const r = spawnSync(process.execPath, ['scripts/cli.mjs', 'derive', ...args], { encoding: 'utf8', timeout: 60_000 });
	return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
