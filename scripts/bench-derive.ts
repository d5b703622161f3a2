// Node benchmark of the derivation, as whole processes: a synthetic SmolLM2-360M-shaped q0f16 MLC model
// (~724 MB, ~32 MiB shards, random f16 weights) with rank-16 adapters on all seven linear modules and on
// q_proj + v_proj only. Alternating rounds of: a plain copy of the base (cp -r), `derive --threads 1` and
// `--threads 2` (node scripts/cli.mjs derive, what `npm run derive` runs; once per round through npm too),
// and, when a llama-export-lora binary is found (env LLAMA_EXPORT_LORA, else PATH), llama.cpp's
// export-lora -t 1 / -t 2 on the same weights written as GGUF; and node's and the command's start-up. Each
// round runs the copy first and the rest in a new order. Medians, ranges and peak RSS (GNU time, when /usr/bin/time exists) per command, ratios to the copy of
// the same round; plus the kernel alone. JSON to stdout and bench-results/derive-node.json.
// Run: node --import tsx scripts/bench-derive.ts [--reps N] [--keep]

import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bytesSource, f32ToBf16Bits, f32ToF16Bits, readSafetensorsHeader, writeSafetensors } from '../src/domain/weights/index.ts';
import {
	D,
	H,
	HKV,
	HQ,
	I,
	RANK,
	createF16Filler,
	syntheticAdapter,
	syntheticModelConfig,
	syntheticShards
} from '../test/factories/synthetic-smollm2.ts';

const LAYERS = 32;
const fillRandomF16 = createF16Filler();
const TIME = '/usr/bin/time';

export interface Param {
	name: string;
	shape: number[];
	bytes: Uint8Array;
}

/** Writes the q0f16 MLC base of `layers` layers (values from `fill`); calls onParam with every param's bytes (for the GGUF twin). */
export function buildBase(dir: string, onParam?: (p: Param) => void, layers = LAYERS, fill = fillRandomF16): number {
	const shards: unknown[] = [];
	let total = 0;
	for (const { entry, chunks } of syntheticShards(layers, fill)) {
		const buf = new Uint8Array(entry.nbytes);
		let at = 0;
		chunks.forEach((c, i) => {
			buf.set(c, at);
			at += c.length;
			const rec = entry.records[i] as { name: string; shape: number[] };
			onParam?.({ name: rec.name, shape: rec.shape, bytes: c });
		});
		writeFileSync(join(dir, entry.dataPath), buf);
		shards.push(entry);
		total += entry.nbytes;
	}
	writeModelFiles(dir, shards, 'q0f16', layers);
	return total;
}

/** The rest of a synthetic MLC folder: tensor-cache.json over `shards`, mlc-chat-config.json and a tokenizer. */
export function writeModelFiles(dir: string, shards: unknown[], quantization: 'q0f16' | 'q4f16_1', layers: number): void {
	writeFileSync(join(dir, 'tensor-cache.json'), JSON.stringify({ metadata: {}, records: shards }));
	writeFileSync(
		join(dir, 'mlc-chat-config.json'),
		JSON.stringify({ model_type: 'llama', quantization, tokenizer_files: ['tokenizer.json'], model_config: syntheticModelConfig(layers) })
	);
	writeFileSync(join(dir, 'tokenizer.json'), '{}');
}

export interface AdapterTensor {
	name: string;
	shape: number[];
	data: Uint8Array;
}

/** Writes the PEFT adapter (all seven modules, or those matching `only`); returns its tensors (BF16). */
export async function buildAdapter(dir: string, only?: RegExp, layers = LAYERS): Promise<AdapterTensor[]> {
	let x = 12345;
	const rand = (n: number) => {
		const f = new Float32Array(n);
		for (let i = 0; i < n; i++) {
			x = (x * 1103515245 + 12345) >>> 0;
			f[i] = (x / 2 ** 32 - 0.5) * 0.02;
		}
		return new Uint8Array(f32ToBf16Bits(f).buffer);
	};
	const { config, safetensors } = syntheticAdapter(layers, 'BF16', rand);
	const header = await readSafetensorsHeader(bytesSource(safetensors));
	const tensors = [...header.entries.values()]
		.filter((e) => !only || only.test(e.name))
		.map((e) => ({ name: e.name, shape: e.shape, data: safetensors.subarray(e.begin, e.end) }));
	const modules = (config.target_modules as string[]).filter((m) => !only || only.test(`.${m}.`));
	mkdirSync(dir);
	writeFileSync(
		join(dir, 'adapter_model.safetensors'),
		only ? writeSafetensors(tensors.map((t) => ({ ...t, dtype: 'BF16' as const }))) : safetensors
	);
	writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify({ ...config, target_modules: modules }));
	return tensors;
}

// --- GGUF (v3) for llama-export-lora: the same values, llama tensor names, f16 ---------------------------

type KV = [string, 'u32' | 'f32' | 'str', number | string];
interface GgufTensor {
	name: string;
	/** numpy order ([rows, cols]); GGUF stores ne innermost first */
	shape: number[];
	type: 'F16';
	bytes: Uint8Array[];
}

function writeGguf(path: string, kvs: KV[], tensors: GgufTensor[]): void {
	const parts: Buffer[] = [];
	const u32 = (v: number) => {
		const b = Buffer.alloc(4);
		b.writeUInt32LE(v);
		parts.push(b);
	};
	const u64 = (v: number) => {
		const b = Buffer.alloc(8);
		b.writeBigUInt64LE(BigInt(v));
		parts.push(b);
	};
	const str = (s: string) => {
		const b = Buffer.from(s, 'utf8');
		u64(b.length);
		parts.push(b);
	};
	const ALIGN = 32;
	const pad = (n: number) => (ALIGN - (n % ALIGN)) % ALIGN;
	u32(0x46554747);
	u32(3);
	u64(tensors.length);
	u64(kvs.length);
	for (const [k, t, v] of kvs) {
		str(k);
		// value types: 4 uint32, 6 float32, 8 string
		if (t === 'u32') {
			u32(4);
			u32(v as number);
		} else if (t === 'f32') {
			u32(6);
			const b = Buffer.alloc(4);
			b.writeFloatLE(v as number);
			parts.push(b);
		} else {
			u32(8);
			str(v as string);
		}
	}
	let offset = 0;
	for (const t of tensors) {
		str(t.name);
		u32(t.shape.length);
		for (const d of [...t.shape].reverse()) u64(d);
		u32(1); // GGML_TYPE_F16
		u64(offset);
		const n = t.bytes.reduce((a, b) => a + b.length, 0);
		offset += n + pad(n);
	}
	const head = Buffer.concat(parts);
	const fd = openSync(path, 'w');
	try {
		writeSync(fd, head);
		writeSync(fd, Buffer.alloc(pad(head.length)));
		for (const t of tensors) {
			let n = 0;
			for (const b of t.bytes) n += writeSync(fd, b);
			writeSync(fd, Buffer.alloc(pad(n)));
		}
	} finally {
		closeSync(fd);
	}
}

/** The MLC params as llama.cpp tensors: fused qkv / gate_up split by rows (contiguous byte ranges). */
function ggufBaseTensors(params: Param[]): GgufTensor[] {
	const out: GgufTensor[] = [];
	const add = (name: string, shape: number[], bytes: Uint8Array) => out.push({ name, shape, type: 'F16', bytes: [bytes] });
	const rows = (p: Param, from: number, to: number) => p.bytes.subarray(from * p.shape[1] * 2, to * p.shape[1] * 2);
	for (const p of params) {
		if (p.name === 'model.embed_tokens.weight') add('token_embd.weight', p.shape, p.bytes);
		else if (p.name === 'model.norm.weight') add('output_norm.weight', p.shape, p.bytes);
		else {
			const l = p.name.split('.')[2];
			const blk = `blk.${l}.`;
			const q = HQ * D,
				kv = HKV * D;
			if (p.name.endsWith('qkv_proj.weight')) {
				add(`${blk}attn_q.weight`, [q, H], rows(p, 0, q));
				add(`${blk}attn_k.weight`, [kv, H], rows(p, q, q + kv));
				add(`${blk}attn_v.weight`, [kv, H], rows(p, q + kv, q + 2 * kv));
			} else if (p.name.endsWith('o_proj.weight')) add(`${blk}attn_output.weight`, p.shape, p.bytes);
			else if (p.name.endsWith('gate_up_proj.weight')) {
				add(`${blk}ffn_gate.weight`, [I, H], rows(p, 0, I));
				add(`${blk}ffn_up.weight`, [I, H], rows(p, I, 2 * I));
			} else if (p.name.endsWith('down_proj.weight')) add(`${blk}ffn_down.weight`, p.shape, p.bytes);
			else if (p.name.endsWith('input_layernorm.weight')) add(`${blk}attn_norm.weight`, p.shape, p.bytes);
			else if (p.name.endsWith('post_attention_layernorm.weight')) add(`${blk}ffn_norm.weight`, p.shape, p.bytes);
			else throw new Error(`no GGUF name for ${p.name}`);
		}
	}
	return out;
}

const GGUF_MODULE: Record<string, string> = {
	q_proj: 'attn_q',
	k_proj: 'attn_k',
	v_proj: 'attn_v',
	o_proj: 'attn_output',
	gate_proj: 'ffn_gate',
	up_proj: 'ffn_up',
	down_proj: 'ffn_down'
};

/** The adapter as a llama.cpp LoRA GGUF: A [r, in] → lora_a, B [out, r] → lora_b, bf16 values as f16. */
function writeGgufLora(path: string, tensors: AdapterTensor[], alpha: number): void {
	const bf16ToF16 = (bf16: Uint8Array) => {
		const src = new Uint16Array(bf16.buffer.slice(bf16.byteOffset, bf16.byteOffset + bf16.byteLength));
		const f = new Float32Array(src.length);
		const u = new Uint32Array(f.buffer);
		for (let i = 0; i < src.length; i++) u[i] = src[i] << 16;
		return new Uint8Array(f32ToF16Bits(f).buffer);
	};
	writeGguf(
		path,
		[
			['general.architecture', 'str', 'llama'],
			['general.type', 'str', 'adapter'],
			['adapter.type', 'str', 'lora'],
			['adapter.lora.alpha', 'f32', alpha]
		],
		tensors.map((t) => {
			const m = /layers\.(\d+)\.\w+\.(\w+)\.lora_([AB])\.weight$/.exec(t.name)!;
			return {
				name: `blk.${m[1]}.${GGUF_MODULE[m[2]]}.weight.lora_${m[3].toLowerCase()}`,
				shape: t.shape,
				type: 'F16',
				bytes: [bf16ToF16(t.data)]
			};
		})
	);
}

/** Kernel alone on a down_proj-shaped f16 tensor: rank 16 vs rank 1 (≈ decode + encode + sums only). */
async function kernelSplit(): Promise<Record<string, number>> {
	const { defaultMergeKernel, scalarMergeKernel } = await import('../src/domain/merge/index.ts');
	const rows = H,
		cols = I;
	const src = new Uint16Array(rows * cols);
	fillRandomF16(src);
	const job = (rank: number) => ({
		rows,
		cols,
		src: new Uint8Array(src.buffer),
		srcEncoding: 'f16' as const,
		dst: new Uint8Array(rows * cols * 2),
		dstEncoding: 'f16' as const,
		parts: [
			{
				rowStart: 0,
				rowEnd: rows,
				rank,
				scale: 2,
				a: new Float32Array(rank * cols).fill(0.01),
				b: new Float32Array(rows * rank).fill(0.01)
			}
		]
	});
	const time = async (k: { merge(j: ReturnType<typeof job>): Promise<unknown> }, rank: number, reps: number) => {
		const j = job(rank);
		await k.merge(j);
		const t0 = performance.now();
		for (let i = 0; i < reps; i++) await k.merge(j);
		return (performance.now() - t0) / reps / 1000;
	};
	const elements = rows * cols;
	const simd16 = await time(defaultMergeKernel(), RANK, 10),
		simd1 = await time(defaultMergeKernel(), 1, 10);
	const scalar16 = await time(scalarMergeKernel, RANK, 2);
	return {
		elementsPerJob: elements,
		simdRank16NsPerElement: +((simd16 / elements) * 1e9).toFixed(2),
		simdRank1NsPerElement: +((simd1 / elements) * 1e9).toFixed(2),
		scalarRank16NsPerElement: +((scalar16 / elements) * 1e9).toFixed(2),
		simdGflopPerS: +((2 * RANK * elements) / (simd16 - simd1) / 1e9).toFixed(2)
	};
}

/** The peer: LLAMA_EXPORT_LORA, else llama-export-lora on PATH. */
function findExportLora(): string | null {
	const env = process.env.LLAMA_EXPORT_LORA;
	if (env) return existsSync(env) ? env : null;
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		const p = join(dir, 'llama-export-lora');
		if (dir && existsSync(p)) return p;
	}
	return null;
}

interface Run {
	seconds: number;
	peakRssMiB: number | null;
	/** derive --json: the merge threads it used (fewer than asked for a small adapter) */
	threads?: number;
}

/** One whole process, timed from spawn to exit; peak RSS from GNU time when present. */
function runProcess(cmd: string, args: string[]): Run {
	const gnuTime = existsSync(TIME);
	const t0 = performance.now();
	const r = gnuTime
		? spawnSync(TIME, ['-f', '@@%M', cmd, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 })
		: spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
	const seconds = (performance.now() - t0) / 1000;
	if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
	const m = gnuTime ? /@@(\d+)\s*$/.exec(r.stderr) : null;
	const threads = /"threads":(\d+)/.exec(r.stdout)?.[1];
	return { seconds, peakRssMiB: m ? Number(m[1]) / 1024 : null, ...(threads ? { threads: Number(threads) } : {}) };
}

const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	if (args[0] === '--kernel') {
		process.stdout.write(JSON.stringify(await kernelSplit()));
		return;
	}
	const repsAt = args.indexOf('--reps');
	const reps = repsAt >= 0 ? Number(args[repsAt + 1]) : Number(process.env.BENCH_REPS ?? 5);
	const root = mkdtempSync(join(tmpdir(), 'bench-derive-'));
	try {
		const base = join(root, 'base');
		mkdirSync(base);
		const exportLora = findExportLora();
		const params: Param[] = [];
		const baseBytes = buildBase(base, exportLora ? (p) => params.push(p) : undefined);
		const adapters = {
			all: await buildAdapter(join(root, 'adapter-all')),
			qv: await buildAdapter(join(root, 'adapter-qv'), /\.(q_proj|v_proj)\./)
		};
		if (exportLora) {
			writeGguf(
				join(root, 'base.gguf'),
				[
					['general.architecture', 'str', 'llama'],
					['general.file_type', 'u32', 1],
					['llama.block_count', 'u32', LAYERS],
					['llama.embedding_length', 'u32', H],
					['llama.feed_forward_length', 'u32', I],
					['llama.attention.head_count', 'u32', HQ],
					['llama.attention.head_count_kv', 'u32', HKV]
				],
				ggufBaseTensors(params)
			);
			params.length = 0;
			for (const [k, t] of Object.entries(adapters)) writeGgufLora(join(root, `lora-${k}.gguf`), t, 32);
		}
		const out = join(root, 'out');
		const commands: Record<string, () => Run> = { copy: () => runProcess('cp', ['-r', base, out]) };
		for (const k of Object.keys(adapters)) {
			for (const t of [1, 2]) {
				commands[`derive-${k}-t${t}`] = () =>
					runProcess(process.execPath, [
						'scripts/cli.mjs',
						'derive',
						'--base',
						base,
						'--adapter',
						join(root, `adapter-${k}`),
						'--out',
						out,
						'--threads',
						String(t),
						'--json'
					]);
				if (exportLora) {
					commands[`exportLora-${k}-t${t}`] = () =>
						runProcess(exportLora, [
							'-m',
							join(root, 'base.gguf'),
							'--lora',
							join(root, `lora-${k}.gguf`),
							'-o',
							join(root, 'out.gguf'),
							'-t',
							String(t)
						]);
				}
			}
		}
		// the command as users type it, once per round: npm's own start-up on top of the same derivation
		commands['npm-run-derive-qv-t1'] = () =>
			runProcess('npm', [
				'run',
				'--silent',
				'derive',
				'--',
				'--base',
				base,
				'--adapter',
				join(root, 'adapter-qv'),
				'--out',
				out,
				'--threads',
				'1'
			]);
		// where the time goes that is not the merge: node's own start-up, and the command's (node + bundle, --help)
		commands['startup-node'] = () => runProcess(process.execPath, ['-e', '0']);
		commands['startup-derive'] = () => runProcess(process.execPath, ['scripts/cli.mjs', 'derive', '--help']);
		// warm the page cache and the command's bundle once, then alternate: every round runs each command once
		for (const f of [commands.copy, commands['derive-all-t1']]) {
			f();
			rmSync(out, { recursive: true, force: true });
		}
		const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
		const ratios: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
		// Each round runs the commands in a new order (the copy first, for the ratios): a command otherwise pays,
		// always in the same place, for the file system's work on the previous one's deleted output (measured:
		// the same derive 0.77 s in one place of the round, 1.79 s in another). Outputs are deleted and synced
		// outside the timings.
		let seed = 0x5eed;
		const shuffled = (names: string[]) => {
			const a = [...names];
			for (let i = a.length - 1; i > 0; i--) {
				seed = (seed * 1103515245 + 12345) >>> 0;
				const j = seed % (i + 1);
				[a[i], a[j]] = [a[j], a[i]];
			}
			return a;
		};
		for (let rep = 0; rep < reps; rep++) {
			const copy = commands.copy();
			const copySeconds = copy.seconds;
			rmSync(out, { recursive: true, force: true });
			spawnSync('sync');
			runs.copy.push(copy);
			ratios.copy.push(1);
			for (const name of shuffled(Object.keys(commands).filter((n) => n !== 'copy'))) {
				const r = commands[name]();
				rmSync(out, { recursive: true, force: true });
				rmSync(join(root, 'out.gguf'), { force: true });
				spawnSync('sync');
				runs[name].push(r);
				ratios[name].push(r.seconds / copySeconds);
			}
		}
		const summary = (name: string) => {
			const s = runs[name].map((r) => r.seconds);
			const rss = runs[name].map((r) => r.peakRssMiB).filter((x): x is number => x !== null);
			return {
				medianSeconds: +median(s).toFixed(3),
				rangeSeconds: [+Math.min(...s).toFixed(3), +Math.max(...s).toFixed(3)],
				medianMBPerS: +(baseBytes / 1e6 / median(s)).toFixed(1),
				peakRssMiB: rss.length ? +Math.max(...rss).toFixed(0) : null,
				...(runs[name][0]?.threads ? { threadsUsed: runs[name][0].threads } : {}),
				medianRatioToCopy: +median(ratios[name]).toFixed(2)
			};
		};
		const kernel = JSON.parse(
			spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench-derive.ts', '--kernel'], { encoding: 'utf8' }).stdout
		);
		const med = (name: string) => median(runs[name].map((r) => r.seconds));
		const fastest = (prefix: string) =>
			Math.min(
				...Object.keys(runs)
					.filter((n) => n.startsWith(prefix))
					.flatMap((n) => runs[n].map((r) => r.seconds))
			);
		// elements the kernel merges: out × in of every adapted module (A [r, in], B [out, r])
		const mergedElements = (tensors: AdapterTensor[]) =>
			tensors
				.filter((t) => t.name.endsWith('lora_B.weight'))
				.reduce((a, b) => a + b.shape[0] * tensors.find((t) => t.name === b.name.replace('lora_B', 'lora_A'))!.shape[1], 0);
		const comparison = Object.fromEntries(
			Object.entries(adapters).map(([k, tensors]) => {
				const [t1, t2] = [med(`derive-${k}-t1`), med(`derive-${k}-t2`)];
				const kernelSeconds = (mergedElements(tensors) * kernel.simdRank16NsPerElement) / 1e9;
				const startup = med('startup-derive');
				return [
					k,
					{
						twoThreadsSpeedup: +(t1 / t2).toFixed(2),
						...(exportLora
							? {
									exportLoraOverDerive: {
										t1: +(med(`exportLora-${k}-t1`) / t1).toFixed(2),
										t2: +(med(`exportLora-${k}-t2`) / t2).toFixed(2),
										bestOfEach: +(Math.min(med(`exportLora-${k}-t1`), med(`exportLora-${k}-t2`)) / Math.min(t1, t2)).toFixed(2),
										// this VM's file system has a slow mode (sys time ×3) that hits any run at random: the fastest
										// runs say what each command costs when it is not hit
										fastestRuns: +(fastest(`exportLora-${k}`) / fastest(`derive-${k}`)).toFixed(2)
									},
									peakRssDeriveOverExportLora: {
										t1: +(summary(`derive-${k}-t1`).peakRssMiB! / summary(`exportLora-${k}-t1`).peakRssMiB!).toFixed(2),
										t2: +(summary(`derive-${k}-t2`).peakRssMiB! / summary(`exportLora-${k}-t2`).peakRssMiB!).toFixed(2)
									}
								}
							: {}),
						// one thread: start-up (node + bundle) + kernel (merged elements × the kernel's ns/element) + the rest (I/O, bookkeeping)
						breakdownT1Seconds: {
							startup: +startup.toFixed(3),
							kernel: +kernelSeconds.toFixed(3),
							rest: +(t1 - startup - kernelSeconds).toFixed(3),
							plainCopy: +med('copy').toFixed(3)
						}
					}
				];
			})
		);
		const result = {
			model: 'synthetic SmolLM2-360M shape, q0f16, tied, ~32 MiB shards',
			adapters: {
				all: `rank ${RANK} on q,k,v,o,gate,up,down × ${LAYERS} layers (BF16)`,
				qv: `rank ${RANK} on q,v × ${LAYERS} layers (BF16)`
			},
			baseMB: +(baseBytes / 1e6).toFixed(1),
			rounds: reps,
			commands: Object.fromEntries(Object.keys(commands).map((k) => [k, summary(k)])),
			comparison,
			exportLora: exportLora ?? 'not found: set LLAMA_EXPORT_LORA or put llama-export-lora on PATH to compare',
			peakRss: existsSync(TIME) ? 'GNU time %M of the whole process' : `not measured (${TIME} missing)`,
			kernel,
			note:
				'whole processes, alternating rounds (the copy first, then derive, export-lora and start-ups in a new order each round); medians; ratio: to the plain copy of the same round; ' +
				'comparison: export-lora time / derive time (> 1: derive is faster; medians per thread count, the better of each, and the fastest run of each at any thread count) and derive peak RSS / export-lora peak RSS (< 1: derive needs less). ' +
				"derive-* run node scripts/cli.mjs derive (the bundled command), which `npm run derive` runs; npm-run-derive-qv-t1 adds npm's own start-up.",
			node: process.version
		};
		mkdirSync('bench-results', { recursive: true });
		writeFileSync('bench-results/derive-node.json', JSON.stringify(result, null, 2));
		process.stdout.write(JSON.stringify(result, null, 2) + '\n');
	} finally {
		if (!args.includes('--keep')) rmSync(root, { recursive: true, force: true });
		else process.stderr.write(`kept ${root}\n`);
	}
}

// run as a script; imported (bench-fidelity.ts), only the builders above are used
if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) await main();
