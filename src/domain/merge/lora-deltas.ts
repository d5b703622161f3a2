// Loads every LoRA module's A/B as float32 (rejecting NaN/Inf) and groups them by MLC tensor,
// in the row-delta form the kernels use: Δ[rows, cols] = scale · B[rows, r] · A[r, cols].
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

import { type AdapterModule, AdapterTensorError, type AdapterReport, type MlcTarget } from '../lora/index.ts';
import {
	type ByteSource,
	readTensorF32,
	type SafetensorsHeader,
	SafetensorsError,
	type TensorScratch,
	tensorScratch
} from '../weights/index.ts';
import type { DeltaPart } from './kernel.ts';

/** One module's delta placed in its MLC tensor. */
export interface ModuleDelta extends DeltaPart {
	target: MlcTarget;
}

async function readFinite(src: ByteSource, header: SafetensorsHeader, name: string, scratch?: TensorScratch): Promise<Float32Array> {
	const entry = header.entries.get(name);
	if (!entry) throw new AdapterTensorError(`Adapter tensor ${name} is missing`);
	try {
		return await readTensorF32(src, entry, { rejectNonFinite: true, scratch });
	} catch (e) {
		if (e instanceof SafetensorsError) {
			throw new AdapterTensorError(`${e.message} Re-export the adapter; NaN or Inf values cannot be merged.`);
		}
		throw e;
	}
}

/** Transposes a row-major [rows, cols] matrix. */
export function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
	const out = new Float32Array(m.length);
	for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = m[i * cols + j];
	return out;
}

/** A module's A and B in the row-delta form (PEFT Embedding: A [r, vocab], B [hidden, r]; ΔW = (B·A)ᵀ = Aᵀ·Bᵀ). */
async function readModule(
	m: AdapterModule,
	tensors: ByteSource,
	header: SafetensorsHeader,
	scratch?: { a: TensorScratch; b: TensorScratch }
): Promise<{ a: Float32Array; b: Float32Array }> {
	const a = await readFinite(tensors, header, m.aName, scratch?.a);
	const b = await readFinite(tensors, header, m.bName, scratch?.b);
	if (m.kind !== 'embedding') return { a, b };
	return { a: transpose(b, m.outFeatures, m.rank), b: transpose(a, m.rank, m.inFeatures) };
}

const EMPTY = new Float32Array(0);
/** Where a lazily loaded delta's A/B come from (see loadDeltas' `lazy`). */
const lazySource = new WeakMap<ModuleDelta, { m: AdapterModule; tensors: ByteSource; header: SafetensorsHeader }>();

/**
 * Reads the deltas of all modules and groups them by MLC module name.
 * @param targets the MLC target of every report module (checkCompatibility's verdict.targets)
 * @param userScale multiplier applied on top of each module's scaling
 * @param lazy when given, each module is decoded, shown to `lazy.inspect` (its A/B valid during the call only)
 *   and its A/B dropped again (a and b empty) so at most one module is held; fillDeltas reads them back when
 *   needed. Same values either way.
 * @throws AdapterTensorError for NaN/Inf values or missing tensors
 */
export async function loadDeltas(
	report: AdapterReport,
	targets: MlcTarget[],
	tensors: ByteSource,
	header: SafetensorsHeader,
	userScale: number,
	lazy?: { inspect(d: ModuleDelta): void }
): Promise<Map<string, ModuleDelta[]>> {
	const byHf = new Map(targets.map((t) => [t.hfModule, t]));
	const out = new Map<string, ModuleDelta[]>();
	// lazy: every module is only inspected now, so all of them are read into the same two buffers (a whole
	// adapter decoded to float32 in fresh arrays was the command's peak memory, as garbage)
	const scratch = lazy ? { a: tensorScratch(), b: tensorScratch() } : undefined;
	for (const m of report.modules) {
		const target = byHf.get(m.hfModule);
		if (!target) continue;
		const { a, b } = await readModule(m, tensors, header, scratch);
		const delta: ModuleDelta = {
			target,
			rowStart: target.rowStart,
			rowEnd: target.rowEnd,
			rank: m.rank,
			scale: m.scaling * userScale,
			a,
			b
		};
		if (lazy) {
			lazy.inspect(delta);
			delta.a = delta.b = EMPTY;
			lazySource.set(delta, { m, tensors, header });
		}
		const list = out.get(target.mlcModule) ?? [];
		list.push(delta);
		list.sort((x, y) => x.rowStart - y.rowStart);
		out.set(target.mlcModule, list);
	}
	return out;
}

/** Reads A/B back into lazily loaded deltas (no-op for the others); dropDeltas empties them again. */
export async function fillDeltas(list: ModuleDelta[]): Promise<void> {
	for (const d of list) {
		const src = lazySource.get(d);
		if (src && d.a === EMPTY) Object.assign(d, await readModule(src.m, src.tensors, src.header));
	}
}

export function dropDeltas(list: ModuleDelta[]): void {
	for (const d of list) if (lazySource.has(d)) d.a = d.b = EMPTY;
}
