// deriveModel: merges a PEFT LoRA adapter into an MLC base model, streaming shard by shard through an
// I/O-agnostic DeriveIo. q0f16 → merged in f32, stored f16; q0f32 → merged tensors stored as raw f32;
// q4 → re-quantized from the original weights, or without them rounded stochastically into the base's
// 4-bit grid. Untouched tensors keep their bytes. Non-finite results are refused before any write. Writes shards,
// tensor-cache.json, config/tokenizer copies, and derived-model.json LAST. With opts.overlayOf it writes an
// overlay (overlay.ts): only the changed tensors are read and stored, the rest point at the base's shards.
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

import {
	AdapterIncompatibleError,
	checkCompatibility,
	inspectAdapter,
	isQuantized4,
	parseAdapterConfig,
	type MlcModelShape
} from '../lora/index.ts';
import {
	type ByteSource,
	parseTensorCache,
	readSafetensorsHeader,
	scanJsonStructure,
	type TensorCache,
	type TensorCacheRecord,
	type TensorCacheShard
} from '../weights/index.ts';
import { derivedModelId } from './derived-id.ts';
import { BaseModelError, DeriveAbortedError, NonFiniteWeightsError } from './errors.ts';
import { addSums, buildFidelityReport, emptySums, fidelityOf, type FidelitySums, type ModuleFidelity, sumsFinite } from './fidelity.ts';
import { clipParts, defaultMergeKernel, type MergeKernel, type RowEncoding } from './kernel.ts';
import { dropDeltas, fillDeltas, loadDeltas, type ModuleDelta } from './lora-deltas.ts';
import { planOverlay, type OverlayPlan } from './overlay.ts';
import { requantizeModule } from './requantize.ts';
import type { DeriveIo, DeriveOptions, DeriveResult, DerivedManifest } from './types.ts';

export const MANIFEST_FILE = 'derived-model.json';
/**
 * Default piece size of the streaming path (DeriveOptions.pieceBytes). On the SmolLM2-360M-shaped benchmark
 * with 2 threads, peak RSS was about 108, 111, 122 and 129 MiB with pieces of 1, 2, 4 and 8 MiB, at no
 * measurable change in time: 2 MiB still gives each thread over a millisecond of work per piece.
 */
export const STREAM_PIECE_BYTES = 2 * 2 ** 20;

/** Receives one output shard piece by piece (see StreamingDeriveIo). */
export interface ShardWriter {
	/**
	 * Takes `bytes`, to be written after the previous piece; resolves once the previous piece is written, so the
	 * caller may reuse a piece's buffer when the NEXT write() (or close()) has resolved, not before.
	 */
	write(bytes: Uint8Array): Promise<void>;
	/** Resolves once every piece is written. */
	close(): Promise<void>;
}

/**
 * A DeriveIo that can also stream (the Node CLI): changed shards go out tensor by tensor, so writing overlaps
 * the merge and no shard-sized buffer is needed; untouched shards are copied file to file, never read into memory.
 * The bytes written are the same as through write().
 */
export interface StreamingDeriveIo extends DeriveIo {
	openWriter(name: string): Promise<ShardWriter>;
	/**
	 * Writes the first nbytes of the base file `name` unchanged under the same name. May resolve before the copy
	 * is done, if the copy is finished before any write() resolves.
	 */
	copyBase(name: string, nbytes: number): Promise<void>;
}

/** Whether a source reads into the caller's buffers (the CLI's files): no allocation per read. */
function hasReadInto(src: ByteSource): src is ByteSource & Required<Pick<ByteSource, 'readInto'>> {
	return typeof src.readInto === 'function';
}

function streamingOf(io: DeriveIo): StreamingDeriveIo | null {
	const s = io as Partial<StreamingDeriveIo>;
	return typeof s.openWriter === 'function' && typeof s.copyBase === 'function' ? (io as StreamingDeriveIo) : null;
}
const MAX_JSON_BYTES = 256 * 2 ** 20;
const MAX_JSON_DEPTH = 64;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

async function readJson(io: DeriveIo, name: string): Promise<{ json: unknown; bytes: Uint8Array }> {
	const src = await io.openBase(name);
	if (!src) throw new BaseModelError(`The base model folder has no ${name}; download the whole model folder.`);
	if (src.sizeBytes > MAX_JSON_BYTES) {
		throw new BaseModelError(
			`${name} of the base model has ${src.sizeBytes} bytes, more than the ${MAX_JSON_BYTES} a model's JSON needs; re-download the model.`
		);
	}
	const bytes = await src.read(0, src.sizeBytes);
	const text = decoder.decode(bytes);
	if (scanJsonStructure(text, MAX_JSON_DEPTH).maxDepth > MAX_JSON_DEPTH) {
		throw new BaseModelError(`${name} of the base model nests deeper than ${MAX_JSON_DEPTH} levels; re-download the model.`);
	}
	try {
		return { json: JSON.parse(text), bytes };
	} catch {
		throw new BaseModelError(`${name} of the base model is not valid JSON; re-download the model.`);
	}
}

async function readAll(src: ByteSource): Promise<Uint8Array> {
	return src.read(0, src.sizeBytes);
}

function rowEncoding(r: TensorCacheRecord): RowEncoding {
	if (r.dtype === 'float16') return 'f16';
	if (r.dtype === 'float32') return r.format === 'f32-to-bf16' ? 'bf16' : 'f32';
	throw new BaseModelError(`Base tensor ${r.name} has dtype ${r.dtype}; expected float16 or float32.`);
}

/** Labels of the derivation routes, as shown to the user. */
export const METHOD_LABELS: Record<DerivedManifest['method'], string> = {
	merged: 'exact merge into unquantized weights',
	'requantized-from-original': "re-quantized from the original weights (the base's own 4-bit rounding)",
	'stochastic-rounding': "stochastic rounding into the base's 4-bit grid; adds weight noise"
};

const F16_MAX = 65504;
const F32_MAX = 3.4028234663852886e38;

/**
 * An upper bound on |s·B·A| over the whole delta: |s| · max_i Σ_k |B_ik| · max |A|.
 * Cheap (one pass over A and B), used to refuse overflowing adapters before anything is written.
 */
export function deltaBound(d: Pick<ModuleDelta, 'a' | 'b' | 'rank' | 'scale'>): number {
	let maxA = 0;
	// indexed loops: a for-of over a typed array is several times slower, and this runs over every A and B
	for (let i = 0; i < d.a.length; i++) maxA = Math.max(maxA, Math.abs(d.a[i]));
	let maxRow = 0;
	for (let i = 0; i < d.b.length; i += d.rank) {
		let row = 0;
		for (let k = 0; k < d.rank; k++) row += Math.abs(d.b[i + k]);
		maxRow = Math.max(maxRow, row);
	}
	return Math.abs(d.scale) * maxRow * maxA;
}

const RESERVED_OUTPUT = new Set(['tensor-cache.json', 'mlc-chat-config.json', MANIFEST_FILE]);

function checkAbort(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw new DeriveAbortedError();
}

/**
 * Derives a model: base MLC weights with the adapter merged in.
 * @throws AdapterIncompatibleError (with every reason), OriginalMismatchError, NonFiniteWeightsError,
 *   BaseModelError, AdapterTensorError, PeftConfigError, DeriveAbortedError
 */
export async function deriveModel(io: DeriveIo, opts: DeriveOptions): Promise<DeriveResult> {
	const scale = opts.scale ?? 1;
	if (!Number.isFinite(scale) || scale <= 0) throw new RangeError('scale must be a positive number');
	const kernel: MergeKernel = opts.kernel ?? defaultMergeKernel();
	const mlcConfig = await readJson(io, 'mlc-chat-config.json');
	const cacheJson = await readJson(io, 'tensor-cache.json');
	const cache = parseTensorCache(cacheJson.json);
	const config = parseAdapterConfig(opts.adapter.configJson);
	const header = await readSafetensorsHeader(opts.adapter.tensors);
	const report = inspectAdapter(config, header);
	const verdict = checkCompatibility(report, {
		modelId: opts.baseModelId,
		mlcConfig: mlcConfig.json,
		tensorCache: cache
	});
	if (!verdict.ok) throw new AdapterIncompatibleError(verdict.reasons);
	const shape = verdict.shape as MlcModelShape;
	const q4 = isQuantized4(shape.quantization);
	const route = q4 ? (io.original ? 'original' : 'stochastic') : null;
	const tok = (mlcConfig.json as { tokenizer_files?: unknown }).tokenizer_files;
	const tokenizerFiles = Array.isArray(tok) ? tok.filter((t): t is string => typeof t === 'string') : ['tokenizer.json'];
	const shardPaths = new Set(cache.records.map((r) => r.dataPath));
	for (const name of tokenizerFiles) {
		if (RESERVED_OUTPUT.has(name) || shardPaths.has(name)) {
			throw new BaseModelError(
				`mlc-chat-config.json lists ${name} in tokenizer_files, but that is ${shardPaths.has(name) ? 'a weight shard' : 'a model file'}, not a tokenizer; fix tokenizer_files.`
			);
		}
	}
	if (new Set(tokenizerFiles).size !== tokenizerFiles.length) {
		throw new BaseModelError('mlc-chat-config.json lists a tokenizer file twice in tokenizer_files; fix tokenizer_files.');
	}
	checkAbort(opts.signal);
	// Streaming (the CLI): each module's A/B are decoded only while its tensor is merged; bounds are taken on load.
	const streaming = streamingOf(io);
	const bounds = new Map<ModuleDelta, number>();
	const deltas = await loadDeltas(
		report,
		verdict.targets,
		opts.adapter.tensors,
		header,
		scale,
		streaming ? { inspect: (d) => bounds.set(d, deltaBound(d)) } : undefined
	);
	const limit = shape.quantization === 'q0f32' ? F32_MAX : F16_MAX;
	for (const d of [...deltas.values()].flat()) {
		const bound = bounds.get(d) ?? deltaBound(d);
		if (!(bound <= limit)) {
			throw new NonFiniteWeightsError(
				`${d.target.hfModule}: scale × B·A can reach ${bound.toExponential(2)}, beyond the ${shape.quantization === 'q0f32' ? 'float32' : 'float16'} range, ` +
					'so the merged weights would not be finite; the scale, lora_alpha or rank are far too large. Use a smaller --scale or check the adapter.'
			);
		}
	}
	const modelId = derivedModelId(opts.baseModelId, opts.adapter.sha256, scale);

	const sums = new Map<ModuleDelta, FidelitySums>();
	let totalBytes = cache.records.reduce((a, s) => a + s.nbytes, 0);
	let doneBytes = 0;
	const progress = (tensor: string | null) => opts.onProgress?.({ doneBytes, totalBytes, tensor });
	const files: string[] = [];
	const write = async (name: string, bytes: Uint8Array) => {
		await io.write(name, bytes);
		files.push(name);
	};

	// Where each record lives, for 4-bit modules whose q_weight and q_scale sit in different shards.
	const location = new Map<string, { shard: TensorCacheShard; rec: TensorCacheRecord }>();
	for (const shard of cache.records) for (const rec of shard.records) location.set(rec.name, { shard, rec });
	const pending = new Map<string, Uint8Array>();
	const shardSources = new Map<string, ByteSource>();
	const openShard = async (dataPath: string): Promise<ByteSource> => {
		const src = shardSources.get(dataPath) ?? (await io.openBase(dataPath));
		if (!src) throw new BaseModelError(`The base model folder has no ${dataPath}; download the whole model folder.`);
		shardSources.set(dataPath, src);
		return src;
	};
	let checkOriginal = true;
	const quantModule = async (mlcModule: string): Promise<void> => {
		const list = deltas.get(mlcModule)!;
		await fillDeltas(list);
		const qw = location.get(`${mlcModule}.q_weight`)!;
		const qs = location.get(`${mlcModule}.q_scale`)!;
		const readRec = async (l: { shard: TensorCacheShard; rec: TensorCacheRecord }) =>
			(await openShard(l.shard.dataPath)).read(l.rec.byteOffset, l.rec.nbytes);
		const out = await requantizeModule({
			deltas: list,
			cols: list[0].target.inFeatures,
			qWeightRec: qw.rec,
			qScaleRec: qs.rec,
			qWeightBytes: await readRec(qw),
			qScaleBytes: await readRec(qs),
			original: io.original,
			route: route!,
			seed: opts.adapter.sha256,
			dtype: shape.quantization === 'q4f16_1' ? 'float16' : 'float32',
			checkOriginal
		});
		checkOriginal = false;
		dropDeltas(list);
		list.forEach((d, i) => sums.set(d, out.sums[i]));
		pending.set(qw.rec.name, out.qWeight);
		pending.set(qs.rec.name, out.qScale);
	};

	const outShards: TensorCacheShard[] = [];
	let outputShardBytes = 0;
	const dstEncoding = shape.quantization === 'q0f32' ? 'f32' : 'f16';
	type Step = { rec: TensorCacheRecord; out: TensorCacheRecord; kind: 'merge' | 'q4' | 'copy'; mlcModule: string };
	const stepOf = (rec: TensorCacheRecord): Step => {
		const dot = rec.name.lastIndexOf('.');
		const mlcModule = rec.name.slice(0, dot);
		const suffix = rec.name.slice(dot + 1);
		const list = deltas.get(mlcModule);
		if (list && !q4 && suffix === 'weight') {
			const out: TensorCacheRecord =
				dstEncoding === 'f32' ? { ...rec, format: 'raw', nbytes: rec.shape[0] * rec.shape[1] * 4 } : { ...rec };
			return { rec, out, kind: 'merge', mlcModule };
		}
		if (list && q4 && (suffix === 'q_weight' || suffix === 'q_scale')) return { rec, out: rec, kind: 'q4', mlcModule };
		return { rec, out: rec, kind: 'copy', mlcModule };
	};
	// Memory: untouched shards pass through as read; changed shards are assembled in ONE output buffer
	// reused from shard to shard (io.write must not keep `bytes` after it resolves: ours copy or write
	// synchronously), reading base tensors one at a time and merging straight into their place.
	// One shard per call, written before returning: a suspended async frame keeps stale references
	// (V8 generator registers), so no shard buffer may live in the loop's own frame.
	let outBuffer = new Uint8Array(0);
	const deriveShard = async (shard: TensorCacheShard, only?: TensorCacheRecord[]): Promise<TensorCacheShard> => {
		const src = await openShard(shard.dataPath);
		if (src.sizeBytes < shard.nbytes) {
			throw new BaseModelError(
				`${shard.dataPath} has ${src.sizeBytes} bytes but tensor-cache.json says ${shard.nbytes}; re-download the model.`
			);
		}
		const steps = (only ?? shard.records).map(stepOf);
		if (streaming) return streamShard(streaming, src, shard, steps, !only && steps.every((st) => st.kind === 'copy'));
		let outBytes: Uint8Array;
		let outShard: TensorCacheShard;
		if (!only && steps.every((st) => st.kind === 'copy')) {
			const base = await readAll(src);
			for (const rec of shard.records) {
				checkAbort(opts.signal);
				progress(rec.name);
				doneBytes += rec.nbytes;
			}
			outBytes = base.subarray(0, shard.nbytes);
			outShard = shard;
		} else {
			const size = steps.reduce((a, st) => a + st.out.nbytes, 0);
			if (outBuffer.byteLength < size) outBuffer = new Uint8Array(size);
			outBytes = outBuffer.subarray(0, size);
			let offset = 0;
			const records: TensorCacheRecord[] = [];
			for (const step of steps) {
				const { rec, out } = step;
				checkAbort(opts.signal);
				progress(rec.name);
				await produce(src, step, outBytes.subarray(offset, offset + out.nbytes));
				records.push({ ...out, byteOffset: offset });
				offset += out.nbytes;
				doneBytes += rec.nbytes;
			}
			outShard = { dataPath: shard.dataPath, format: 'raw-shard', nbytes: size, records };
		}
		await write(shard.dataPath, outBytes);
		outputShardBytes += outBytes.byteLength;
		return outShard;
	};
	const nonFinite = (hfModule: string, tensor: string) =>
		new NonFiniteWeightsError(
			`${hfModule}: the merged weights are not finite (NaN/Inf in the base tensor ${tensor}, or an overflow in ${dstEncoding}); nothing was written. Check the base model, or use a smaller --scale.`
		);
	/** Fills `place` with the output bytes of one step; returns `place`, or for copies (place null) the bytes read. */
	const produce = async (src: ByteSource, { rec, out, kind, mlcModule }: Step, place: Uint8Array | null): Promise<Uint8Array> => {
		if (kind === 'copy') {
			if (place && hasReadInto(src)) return src.readInto(rec.byteOffset, place);
			const bytes = await src.read(rec.byteOffset, rec.nbytes);
			if (!place) return bytes;
			place.set(bytes);
			return place;
		}
		place ??= new Uint8Array(out.nbytes);
		if (kind === 'merge') {
			const list = deltas.get(mlcModule)!;
			await fillDeltas(list);
			const res = await kernel.merge({
				rows: rec.shape[0],
				cols: rec.shape[1],
				src: await src.read(rec.byteOffset, rec.nbytes),
				srcEncoding: rowEncoding(rec),
				dst: place,
				dstEncoding,
				parts: list
			});
			dropDeltas(list);
			res.forEach((r, i) => {
				if (!sumsFinite(r)) throw nonFinite(list[i].target.hfModule, rec.name);
			});
			list.forEach((d, i) => sums.set(d, res[i]));
		} else {
			if (!pending.has(rec.name)) await quantModule(mlcModule);
			place.set(pending.get(rec.name)!);
			pending.delete(rec.name);
		}
		return place;
	};
	// Streaming form of deriveShard: each piece of a tensor goes to the writer as soon as it is ready, so the write
	// of one overlaps the merge of the next. Pieces alternate between two buffers: by the time one is reused, the
	// write() after it has resolved, so it is on disk.
	const ring = [new Uint8Array(0), new Uint8Array(0)];
	let turn = 0;
	const ringBuffer = (nbytes: number): Uint8Array => {
		turn ^= 1;
		if (ring[turn].byteLength < nbytes) ring[turn] = new Uint8Array(nbytes);
		return ring[turn].subarray(0, nbytes);
	};
	const pieceBytes = opts.pieceBytes ?? STREAM_PIECE_BYTES;
	if (!(Number.isInteger(pieceBytes) && pieceBytes >= 1)) throw new RangeError('pieceBytes must be a positive integer');
	// base rows of a merged piece whose encoding differs in size from the output's (q0f32 from bf16 storage)
	let rowsIn = new Uint8Array(0);
	/**
	 * Streaming: hands one step's output to `sink` in pieces of about pieceBytes (each in a ring buffer, so
	 * sink must follow ShardWriter.write's reuse rule): copies read piece by piece, merges in whole rows with
	 * each piece's fidelity sums carried into the next (the same sums as one job), 4-bit modules whole.
	 */
	const emitPieces = async (src: ByteSource, step: Step, sink: (bytes: Uint8Array, at: number) => Promise<void>): Promise<void> => {
		const { rec, out, kind, mlcModule } = step;
		if (!hasReadInto(src) || kind === 'q4') {
			await sink(await produce(src, step, kind === 'copy' && !hasReadInto(src) ? null : ringBuffer(out.nbytes)), 0);
			return;
		}
		if (kind === 'copy') {
			for (let at = 0; at < rec.nbytes; at += pieceBytes) {
				const n = Math.min(pieceBytes, rec.nbytes - at);
				await sink(await src.readInto(rec.byteOffset + at, ringBuffer(n)), at);
			}
			return;
		}
		const [rows, cols] = rec.shape;
		const inRow = rec.nbytes / rows,
			outRow = out.nbytes / rows;
		const rowsPerPiece = Math.max(1, Math.floor(pieceBytes / Math.max(inRow, outRow)));
		const list = deltas.get(mlcModule)!;
		await fillDeltas(list);
		const running: (FidelitySums | undefined)[] = list.map(() => undefined);
		for (let r0 = 0; r0 < rows; r0 += rowsPerPiece) {
			if (r0 > 0) checkAbort(opts.signal);
			const n = Math.min(rowsPerPiece, rows - r0);
			const place = ringBuffer(n * outRow);
			let rowsSrc = place;
			if (inRow !== outRow) {
				if (rowsIn.byteLength < n * inRow) rowsIn = new Uint8Array(n * inRow);
				rowsSrc = rowsIn.subarray(0, n * inRow);
			}
			// same row sizes: the base rows are read into the output piece and merged in place (every kernel reads
			// a row, or a block of rows, before writing it)
			await src.readInto(rec.byteOffset + r0 * inRow, rowsSrc);
			const { parts, partIndex } = clipParts(list, r0, r0 + n);
			const res = await kernel.merge({
				rows: n,
				cols,
				src: rowsSrc,
				srcEncoding: rowEncoding(rec),
				dst: place,
				dstEncoding,
				parts,
				carry: partIndex.map((i) => running[i])
			});
			res.forEach((r, i) => {
				if (!sumsFinite(r)) throw nonFinite(list[partIndex[i]].target.hfModule, rec.name);
				running[partIndex[i]] = r;
			});
			await sink(place, r0 * outRow);
		}
		dropDeltas(list);
		list.forEach((d, i) => sums.set(d, running[i] ?? emptySums()));
	};
	const streamShard = async (
		io: StreamingDeriveIo,
		src: ByteSource,
		shard: TensorCacheShard,
		steps: Step[],
		untouched: boolean
	): Promise<TensorCacheShard> => {
		if (untouched) {
			for (const rec of shard.records) {
				checkAbort(opts.signal);
				progress(rec.name);
				doneBytes += rec.nbytes;
			}
			await io.copyBase(shard.dataPath, shard.nbytes);
			files.push(shard.dataPath);
			outputShardBytes += shard.nbytes;
			return shard;
		}
		// Changed shards stream through in pieces. (Copying the file and patching the changed tensors in place, for
		// shards with few changed bytes, was measured slower: the patched bytes are written twice, 822 MB for 724.)
		const writer = await io.openWriter(shard.dataPath);
		let offset = 0;
		const records: TensorCacheRecord[] = [];
		for (const step of steps) {
			checkAbort(opts.signal);
			progress(step.rec.name);
			await emitPieces(src, step, (bytes) => writer.write(bytes));
			records.push({ ...step.out, byteOffset: offset });
			offset += step.out.nbytes;
			doneBytes += step.rec.nbytes;
		}
		await writer.close();
		files.push(shard.dataPath);
		outputShardBytes += offset;
		return { dataPath: shard.dataPath, format: 'raw-shard', nbytes: offset, records };
	};
	let plan: OverlayPlan | null = null;
	if (opts.overlayOf === undefined) {
		for (const shard of cache.records) {
			checkAbort(opts.signal);
			outShards.push(await deriveShard(shard));
			progress(null);
		}
	} else {
		const changed = new Set(cache.records.flatMap((s) => s.records.filter((r) => stepOf(r).kind !== 'copy').map((r) => r.name)));
		plan = planOverlay(cache, opts.overlayOf, changed, (r) => stepOf(r).out);
		// Untouched shards are never read, only checked present, so the overlay never names a missing file.
		for (const shard of cache.records) {
			if (shard.records.every((r) => changed.has(r.name))) continue;
			const src = await openShard(shard.dataPath);
			if (src.sizeBytes < shard.nbytes) {
				throw new BaseModelError(
					`${shard.dataPath} has ${src.sizeBytes} bytes but tensor-cache.json says ${shard.nbytes}; re-download the model.`
				);
			}
		}
		totalBytes = plan.readBytes;
		for (const n of plan.newShards) {
			checkAbort(opts.signal);
			await deriveShard(n.from, n.baseRecords);
			progress(null);
		}
		outShards.push(...plan.shards);
	}

	const totals = emptySums();
	for (const d of [...deltas.values()].flat()) addSums(totals, sums.get(d)!);
	const fidelity = buildFidelityReport(
		[...deltas.values()].flat().map((d): ModuleFidelity => ({
			mlcModule: d.target.mlcModule,
			part: d.target.part,
			hfModule: d.target.hfModule,
			...fidelityOf(sums.get(d)!),
			elements: sums.get(d)!.elements
		})),
		totals
	);
	const outCache: TensorCache = { metadata: cache.metadata, records: outShards };
	await write('tensor-cache.json', encoder.encode(JSON.stringify(outCache)));
	await write('mlc-chat-config.json', mlcConfig.bytes);
	for (const name of tokenizerFiles) {
		checkAbort(opts.signal);
		const src = await io.openBase(name);
		if (!src)
			throw new BaseModelError(`The base model folder has no ${name} (listed in tokenizer_files); download the whole model folder.`);
		await write(name, await readAll(src));
	}
	checkAbort(opts.signal);
	const manifest: DerivedManifest = {
		format: 'tune-or-prompt/derived-model@1',
		modelId,
		baseModelId: opts.baseModelId,
		quantization: shape.quantization,
		method: route === 'original' ? 'requantized-from-original' : route === 'stochastic' ? 'stochastic-rounding' : 'merged',
		adapterSha256: opts.adapter.sha256,
		adapterBaseModel: report.baseModelNameOrPath,
		scale,
		targets: report.targets,
		layers: report.layers,
		fidelity,
		createdBy: opts.createdBy ?? 'tune-or-prompt',
		createdAt: new Date().toISOString(),
		...(opts.overlayOf === undefined ? {} : { overlayOf: opts.overlayOf })
	};
	await write(MANIFEST_FILE, encoder.encode(JSON.stringify(manifest, null, 2)));
	return {
		modelId,
		manifest,
		files,
		fidelity,
		baseShardBytes: plan ? plan.readBytes : totalBytes,
		outputShardBytes,
		warnings: verdict.warnings
	};
}
