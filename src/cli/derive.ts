// Node CLI: `npm run derive -- --base <MLC folder> --adapter <PEFT folder> --out <folder>
// [--original <HF folder>] [--scale <s>] [--base-id <id>] [--threads <n>] [--overlay <base URL>] [--json]`. Writes into <out>.partial-XXXX and
// renames at the end; on failure prints ONE line, exits non-zero and removes the partial folder.

import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { DeriveAbortedError, deriveModel, type DeriveResult, fidelityVerdict, METHOD_LABELS } from '../domain/merge/index.ts';
import { readSafetensorsHeader } from '../domain/weights/index.ts';
import {
	type FileByteSource,
	fileSource,
	folderDeriveIo,
	openOriginalFolder,
	readRegularFile,
	sha256WithPrefix
} from './node-byte-source.ts';
import { createThreadedKernel, defaultThreads, threadsFor } from './thread-kernel.ts';

/** A problem with the command line or the input folders, reported as one line. */
export class CliError extends Error {
	override name = 'CliError';
	constructor(
		message: string,
		readonly exitCode = 1
	) {
		super(message);
	}
}

export interface CliArgs {
	base: string;
	adapter: string;
	out: string;
	original?: string;
	scale: number;
	baseId?: string;
	/** Merge threads; default: one fewer than the cores (defaultThreads). */
	threads?: number;
	/** Base folder URL (ends in /): write an overlay whose untouched shards are read from there. */
	overlay?: string;
	json: boolean;
}

const USAGE =
	'usage: npm run derive -- --base <MLC folder> --adapter <PEFT folder> --out <folder> [--original <HF folder>] [--scale <s>] [--base-id <id>] [--threads <n>] [--overlay <base URL>] [--json]';

const HELP = `Merges a PEFT LoRA adapter into a web-llm (MLC) model and writes a complete derived MLC folder.
${USAGE}
  --base      MLC model folder (tensor-cache.json, shards, mlc-chat-config.json, tokenizer files)
  --adapter   PEFT folder (adapter_config.json + adapter_model.safetensors; pickle files are refused)
  --out       output folder; must not exist; written as <out>.partial-* and renamed when complete
  --original  the base's original Hugging Face safetensors folder; for 4-bit bases (q4f16_1, q4f32_1) it gives the
              better route (re-quantization); without it the delta is rounded stochastically into the base's 4-bit grid
  --scale     adapter scale multiplier (default 1)
  --base-id   model id of the base (default: the base folder's name)
  --threads   merge threads at most (default: one fewer than the cores); fewer when the adapter is too small
              for another thread to pay off (one per 128 M merged elements beyond the first)
  --overlay   write the small form for a base hosted at this http(s) URL: tensor-cache.json names <base URL>/<shard>
              for every untouched tensor and <out> holds only the changed shards (default: a self-contained folder)
  --json      print the result as one JSON line`;

/** Parses argv (without node and the script). @throws CliError (exit code 2) on bad usage */
export function parseArgs(argv: string[]): CliArgs {
	const values = new Map<string, string>();
	let json = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--json') {
			json = true;
			continue;
		}
		if (!['--base', '--adapter', '--out', '--original', '--scale', '--base-id', '--threads', '--overlay'].includes(a)) {
			throw new CliError(`unknown argument ${a}; ${USAGE}`, 2);
		}
		const v = argv[++i];
		if (v === undefined || v.startsWith('--')) throw new CliError(`${a} needs a value; ${USAGE}`, 2);
		values.set(a.slice(2), v);
	}
	for (const k of ['base', 'adapter', 'out']) {
		if (!values.has(k)) throw new CliError(`--${k} is required; ${USAGE}`, 2);
	}
	const scale = values.has('scale') ? Number(values.get('scale')) : 1;
	if (!Number.isFinite(scale) || scale <= 0) throw new CliError('--scale must be a positive number', 2);
	const threads = values.has('threads') ? Number(values.get('threads')) : undefined;
	if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 64)) {
		throw new CliError('--threads must be a whole number from 1 to 64', 2);
	}
	const overlay = values.get('overlay');
	if (overlay !== undefined && !/^https?:\/\/[^/]/i.test(overlay)) {
		throw new CliError('--overlay must be the http(s) URL of the folder that hosts the base model', 2);
	}
	return {
		base: values.get('base')!,
		adapter: values.get('adapter')!,
		out: values.get('out')!,
		original: values.get('original'),
		scale,
		baseId: values.get('base-id'),
		...(threads === undefined ? {} : { threads }),
		...(overlay === undefined ? {} : { overlay: overlay.endsWith('/') ? overlay : `${overlay}/` }),
		json
	};
}

const MAX_CONFIG_BYTES = 16 * 2 ** 20;
const MAX_ADAPTER_BYTES = 2 * 2 ** 30 - 1;

/** Reads adapter_config.json and opens adapter_model.safetensors (read per tensor, never whole). */
async function openAdapterFolder(dir: string): Promise<{ configBytes: Uint8Array; tensors: FileByteSource }> {
	if (!existsSync(dir)) throw new CliError(`adapter folder ${dir} does not exist`);
	if (statSync(dir).isFile()) {
		if (/\.(bin|pt|pth|pkl|ckpt)$/i.test(dir)) throw pickleError();
		throw new CliError(`--adapter must be a PEFT folder holding adapter_config.json and adapter_model.safetensors`);
	}
	const names = readdirSync(dir);
	if (!names.includes('adapter_model.safetensors')) {
		if (names.some((n) => /\.(bin|pt|pth|pkl|ckpt)$/i.test(n))) throw pickleError();
		throw new CliError(
			`${dir} has no adapter_model.safetensors; save the adapter with PEFT's save_pretrained (safetensors is the default)`
		);
	}
	if (!names.includes('adapter_config.json')) throw new CliError(`${dir} has no adapter_config.json`);
	return {
		configBytes: await readRegularFile(resolve(dir, 'adapter_config.json'), MAX_CONFIG_BYTES),
		tensors: fileSource(resolve(dir, 'adapter_model.safetensors'), MAX_ADAPTER_BYTES)
	};
}

function pickleError(): CliError {
	return new CliError(
		'the adapter is a pickle file (.bin/.pt), which can run arbitrary code when loaded; convert it to adapter_model.safetensors (PEFT save_pretrained with safe_serialization=True) and try again'
	);
}

/**
 * The merge work an adapter asks for: out × in of every LoRA module (B [out, r], A [r, in]), from the header
 * alone; 0 when the header is unreadable (deriveModel then reports why).
 */
async function mergedElements(tensors: FileByteSource): Promise<number> {
	try {
		const { entries } = await readSafetensorsHeader(tensors);
		let n = 0;
		for (const [name, b] of entries) {
			const a = name.endsWith('lora_B.weight') ? entries.get(name.replace(/lora_B\.weight$/, 'lora_A.weight')) : undefined;
			if (a && b.shape.length === 2 && a.shape.length === 2) n += b.shape[0] * a.shape[1];
		}
		return n;
	} catch {
		return 0;
	}
}

/**
 * Runs a derivation from folders; returns the result and the merge threads it used (threadsFor: fewer than
 * asked when the adapter is too small for more to pay off). @throws on any failure (partial output removed)
 */
export async function runDerive(args: CliArgs, signal?: AbortSignal): Promise<DeriveResult & { threads: number }> {
	const out = resolve(args.out);
	if (existsSync(out)) throw new CliError(`${out} already exists; choose a new --out folder`);
	if (!existsSync(resolve(args.base, 'tensor-cache.json'))) {
		throw new CliError(`${args.base} is not an MLC model folder (no tensor-cache.json)`);
	}
	const adapter = await openAdapterFolder(args.adapter);
	const opened: FileByteSource[] = [adapter.tensors];
	let configJson: unknown;
	try {
		configJson = JSON.parse(new TextDecoder().decode(adapter.configBytes));
	} catch {
		adapter.tensors.close();
		throw new CliError('adapter_config.json is not valid JSON');
	}
	let original;
	try {
		original = args.original ? await openOriginalFolder(resolve(args.original), opened) : undefined;
	} catch (e) {
		for (const s of opened) s.close();
		throw e;
	}
	const partial = `${out}.partial-${randomBytes(4).toString('hex')}`;
	const io = folderDeriveIo(resolve(args.base), partial, original);
	const threads = threadsFor(args.threads ?? defaultThreads(), await mergedElements(adapter.tensors));
	const threaded = createThreadedKernel(threads);
	try {
		const result = await deriveModel(io, {
			baseModelId: args.baseId ?? basename(resolve(args.base)),
			adapter: {
				configJson,
				tensors: adapter.tensors,
				// the same digest as adapterSha256(config, tensors), hashed while streaming the file
				sha256: await sha256WithPrefix(adapter.configBytes, adapter.tensors)
			},
			scale: args.scale,
			signal,
			kernel: threaded.kernel,
			createdBy: 'tune-or-prompt derive (node cli)',
			...(args.overlay === undefined ? {} : { overlayOf: args.overlay })
		});
		await io.close();
		renameSync(partial, out);
		return { ...result, threads };
	} catch (e) {
		await io.close();
		rmSync(partial, { recursive: true, force: true });
		throw e;
	} finally {
		await threaded.close();
		for (const s of opened) s.close();
	}
}

/** The fidelity figures of a result as lines: method, verdict, gain and subspace error, full-matrix figures. */
export function fidelityLines(r: Pick<DeriveResult, 'fidelity' | 'manifest'>): string[] {
	const f = r.fidelity.summary;
	const verdict = fidelityVerdict(f);
	const q4 = r.manifest.method !== 'merged';
	const lines = [
		`method: ${METHOD_LABELS[r.manifest.method]}`,
		`fidelity over ${f.modules} modules: gain ${f.minGain.toFixed(3)}–${f.maxGain.toFixed(3)}, max subspace error ${f.maxSubspaceError.toFixed(3)} (${verdict.level})`,
		`full matrix: min cosine ${f.minCosine.toFixed(5)}, median ${f.medianCosine.toFixed(5)}, max rel. error ${f.maxRelError.toExponential(2)}` +
			(q4 ? "; the rest is 4-bit rounding noise, the same size as the base's own" : '') +
			(f.baseQuantRelError !== null ? ` (base's own 4-bit error ${f.baseQuantRelError.toExponential(2)} of the weights)` : '') +
			(f.extraNoise !== null ? `; extra weight noise ${f.extraNoise.toFixed(2)}× a plain 4-bit model's rounding noise` : '')
	];
	if (verdict.level !== 'carried') lines.push(`${verdict.level}: ${verdict.message}`);
	return lines;
}

function oneLine(e: unknown): string {
	const msg = e instanceof Error ? e.message : String(e);
	return msg.replace(/\s+/g, ' ').trim();
}

/** The command: `argv` without node and the script. Sets process.exitCode; prints one line on failure. */
export async function main(argv: string[]): Promise<void> {
	const controller = new AbortController();
	// Ctrl-C: abort; runDerive then removes its partial folder and the command exits 130
	process.once('SIGINT', () => controller.abort());
	if (argv.includes('--help') || argv.includes('-h')) {
		process.stdout.write(`${HELP}\n`);
		return;
	}
	try {
		const args = parseArgs(argv);
		const t0 = performance.now();
		const r = await runDerive(args, controller.signal);
		const seconds = (performance.now() - t0) / 1000;
		if (args.json) {
			process.stdout.write(
				JSON.stringify({
					modelId: r.modelId,
					out: resolve(args.out),
					seconds,
					threads: r.threads,
					files: r.files,
					fidelity: r.fidelity.summary,
					warnings: r.warnings
				}) + '\n'
			);
		} else {
			process.stdout.write(
				`derived ${r.modelId} in ${resolve(args.out)}: ${(r.baseShardBytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(2)} s, ${r.threads} merge thread${r.threads === 1 ? '' : 's'}\n`
			);
			for (const line of fidelityLines(r)) process.stdout.write(`${line}\n`);
			for (const w of r.warnings) process.stdout.write(`warning: ${w}\n`);
		}
	} catch (e) {
		process.stderr.write(`derive: ${oneLine(e)}\n`);
		process.exitCode = e instanceof CliError ? e.exitCode : e instanceof DeriveAbortedError ? 130 : 1;
	}
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
	await main(process.argv.slice(2));
}
