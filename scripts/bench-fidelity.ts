// Fidelity of the benchmark adapter (rank 16 on all seven linear modules, SmolLM2-360M shapes; the one
// bench-derive.ts times) on the three routes: q0f16 (exact merge), q4f16_1 re-quantized from the original
// weights, and q4f16_1 without them (stochastic rounding into the base's grid). The same synthetic weights
// are written three ways: the q0f16 MLC base, the original Hugging Face checkpoint (unfused q/k/v and
// gate/up, F16) and a q4f16_1 MLC base quantized from it with the project's mlc-llm group quantization.
// Each route runs `node scripts/cli.mjs derive --json` (what `npm run derive` runs). Fidelity depends on a
// module's shape and values, not on the layer count, so a few layers stand for all 32. Twice: on the
// benchmark's base weights and on Gaussian weights.
// JSON to stdout and bench-results/derive-fidelity.json. Run: node --import tsx scripts/bench-fidelity.ts [--layers N]

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fidelityVerdict, type FidelitySummary } from '../src/domain/merge/index.ts';
import { f16BitsToF32, f32ToF16Bits, quantizeQ4, writeSafetensors, type SafetensorsWriteTensor } from '../src/domain/weights/index.ts';
import { D, H, HKV, HQ, I, RANK } from '../test/factories/synthetic-smollm2.ts';
import { buildAdapter, buildBase, type Param, writeModelFiles } from './bench-derive.ts';

const args = process.argv.slice(2);
const layersAt = args.indexOf('--layers');
const LAYERS = layersAt >= 0 ? Number(args[layersAt + 1]) : 2;

const f16Bytes = (bits: Uint16Array) => new Uint8Array(bits.buffer, bits.byteOffset, bits.byteLength);
const rowsOf = (p: Param, from: number, to: number) => p.bytes.subarray(from * p.shape[1] * 2, to * p.shape[1] * 2);

/** The MLC params as the Hugging Face checkpoint names them: fused qkv / gate_up split by rows. */
function originalTensors(params: Param[]): SafetensorsWriteTensor[] {
	const out: SafetensorsWriteTensor[] = [];
	const add = (name: string, shape: number[], data: Uint8Array) => out.push({ name, dtype: 'F16', shape, data });
	const q = HQ * D,
		kv = HKV * D;
	for (const p of params) {
		const m = /^model\.layers\.(\d+)\.(self_attn|mlp)\.(qkv_proj|gate_up_proj)\.weight$/.exec(p.name);
		if (m?.[3] === 'qkv_proj') {
			const at = `model.layers.${m[1]}.self_attn`;
			add(`${at}.q_proj.weight`, [q, H], rowsOf(p, 0, q));
			add(`${at}.k_proj.weight`, [kv, H], rowsOf(p, q, q + kv));
			add(`${at}.v_proj.weight`, [kv, H], rowsOf(p, q + kv, q + 2 * kv));
		} else if (m?.[3] === 'gate_up_proj') {
			const at = `model.layers.${m[1]}.mlp`;
			add(`${at}.gate_proj.weight`, [I, H], rowsOf(p, 0, I));
			add(`${at}.up_proj.weight`, [I, H], rowsOf(p, I, 2 * I));
		} else add(p.name, p.shape, p.bytes);
	}
	return out;
}

/** The q4f16_1 MLC base: every matrix quantized (q_weight uint32, q_scale f16), vectors as f16; one shard per param. */
function writeQ4Base(dir: string, params: Param[]): number {
	mkdirSync(dir);
	const shards: unknown[] = [];
	let total = 0;
	const shard = (records: { name: string; shape: number[]; dtype: string; bytes: Uint8Array }[]) => {
		const dataPath = `params_shard_${shards.length}.bin`;
		const nbytes = records.reduce((a, r) => a + r.bytes.length, 0);
		const buf = new Uint8Array(nbytes);
		let at = 0;
		const recs = records.map((r) => {
			buf.set(r.bytes, at);
			const rec = { name: r.name, shape: r.shape, dtype: r.dtype, format: 'f32-to-bf16', nbytes: r.bytes.length, byteOffset: at };
			at += r.bytes.length;
			return rec;
		});
		writeFileSync(join(dir, dataPath), buf);
		shards.push({ dataPath, format: 'raw-shard', nbytes, records: recs });
		total += nbytes;
	};
	for (const p of params) {
		if (p.shape.length !== 2) {
			shard([{ name: p.name, shape: p.shape, dtype: 'float16', bytes: p.bytes }]);
			continue;
		}
		const [rows, cols] = p.shape;
		const bits = new Uint16Array(p.bytes.slice().buffer);
		const { qWeight, qScale } = quantizeQ4(f16BitsToF32(bits), rows, cols, 'float16');
		const name = p.name.replace(/\.weight$/, '');
		shard([
			{ name: `${name}.q_weight`, shape: [rows, qWeight.length / rows], dtype: 'uint32', bytes: new Uint8Array(qWeight.buffer) },
			{ name: `${name}.q_scale`, shape: [rows, qScale.length / rows], dtype: 'float16', bytes: f16Bytes(f32ToF16Bits(qScale)) }
		]);
	}
	writeModelFiles(dir, shards, 'q4f16_1', LAYERS);
	return total;
}

interface RouteResult {
	method: string;
	fidelity: FidelitySummary;
	verdict: string;
}

function derive(base: string, adapter: string, out: string, original?: string): RouteResult {
	const r = spawnSync(
		process.execPath,
		[
			'scripts/cli.mjs',
			'derive',
			'--base',
			base,
			'--adapter',
			adapter,
			'--out',
			out,
			'--json',
			...(original ? ['--original', original] : [])
		],
		{ encoding: 'utf8', maxBuffer: 64 << 20 }
	);
	if (r.status !== 0) throw new Error(`derive failed (${r.status}): ${r.stderr}`);
	const j = JSON.parse(r.stdout) as { fidelity: FidelitySummary };
	const manifest = JSON.parse(readFileSync(join(out, 'derived-model.json'), 'utf8')) as { method: string };
	const v = fidelityVerdict(j.fidelity);
	return { method: manifest.method, fidelity: j.fidelity, verdict: `${v.level}${v.message ? `: ${v.message}` : ''}` };
}

/** Gaussian f16 weights (σ 0.02, as trained linear layers roughly are), Box–Muller over a seeded xorshift. */
function gaussianF16Filler(sigma = 0.02, seed = 0x2545f491): (out: Uint16Array) => void {
	let x = seed;
	const uniform = () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return ((x >>> 0) + 0.5) / 2 ** 32;
	};
	return (out) => {
		const f = new Float32Array(out.length);
		for (let i = 0; i < f.length; i++) f[i] = sigma * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
		out.set(f32ToF16Bits(f));
	};
}

/** The three routes on one set of base weights. */
async function routes(root: string, fill?: (out: Uint16Array) => void): Promise<Record<string, RouteResult>> {
	mkdirSync(root);
	const params: Param[] = [];
	mkdirSync(join(root, 'q0f16'));
	buildBase(join(root, 'q0f16'), (p) => params.push(p), LAYERS, fill);
	mkdirSync(join(root, 'original'));
	writeFileSync(join(root, 'original', 'model.safetensors'), writeSafetensors(originalTensors(params)));
	writeQ4Base(join(root, 'q4f16_1'), params);
	params.length = 0;
	const adapter = join(root, 'adapter');
	await buildAdapter(adapter, undefined, LAYERS);
	return {
		q0f16: derive(join(root, 'q0f16'), adapter, join(root, 'out-q0')),
		'q4f16_1 from originals': derive(join(root, 'q4f16_1'), adapter, join(root, 'out-q4-orig'), join(root, 'original')),
		'q4f16_1 without originals': derive(join(root, 'q4f16_1'), adapter, join(root, 'out-q4-stoch'))
	};
}

const root = mkdtempSync(join(tmpdir(), 'bench-fidelity-'));
try {
	const result = {
		adapter: `the benchmark adapter: rank ${RANK}, alpha 32, on q,k,v,o,gate,up,down (BF16, values uniform in ±0.01)`,
		model: `synthetic SmolLM2-360M shapes, ${LAYERS} layers (fidelity is per module: shapes and values, not depth)`,
		// the benchmark's own base draws |w| log-uniformly from 2^-6..2^-3: no values near 0, an uneven density at
		// the 4-bit grid's rounding points; Gaussian weights are what the 4-bit routes are designed for
		benchmarkWeights: await routes(join(root, 'benchmark')),
		gaussianWeights: await routes(join(root, 'gaussian'), gaussianF16Filler())
	};
	mkdirSync('bench-results', { recursive: true });
	writeFileSync('bench-results/derive-fidelity.json', JSON.stringify(result, null, 2));
	process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
	rmSync(root, { recursive: true, force: true });
}
