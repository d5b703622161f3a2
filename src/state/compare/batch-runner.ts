// Runs a batch: every variant × every item of a stored BatchRow, resumable. Each result is stored
// the moment it finishes (the database's unique [batch+variant+item] key makes "no duplicates" a
// guarantee), a result with the same reuse key is copied instead of generated unless the batch is
// fresh, and nothing per-token is written. One tab runs a batch (Web Locks); a second gets
// 'locked'. 'together' mode loads every local model at once and falls back to one after the other
// when that load runs out of memory; each result records the mode it ran in.
// Plain TypeScript (no runes) so it runs in Node tests; imports storage and domain only.
import type { Engine } from '../../domain/engine/types.ts';
import { EngineError } from '../../domain/engine/errors.ts';
import { pendingSteps, etaSeconds, type WorkUnit } from '../../domain/experiment/batch-plan.ts';
import { reuseKey } from '../../domain/experiment/reuse-key.ts';
import type { BatchRow, ResultRow, RunMode, TestItemRow, VariantRow } from '../../domain/experiment/types.ts';
import { buildMessages } from '../../domain/recipes/messages.ts';
import { scoreOutput } from '../../domain/scoring/index.ts';
import type { ScoringSpec } from '../../domain/scoring/types.ts';
import type { TuneDb } from '../../storage/db.ts';
import { getBatch, setBatchStatus } from '../../storage/repos/batches.ts';
import { doneKeys, findReusable, putResult } from '../../storage/repos/results.ts';
import { getTestItems, getTestSet } from '../../storage/repos/testsets.ts';
import { getVariants } from '../../storage/repos/variants.ts';

export interface BatchRunnerDeps {
	db: TuneDb;
	/** The engine a variant runs on (one per kind + base URL). */
	engineFor(variant: VariantRow): Promise<Engine>;
	/** The exact model record behind a variant (part of the reuse key). */
	modelRecordOf(variant: VariantRow): unknown;
	/** navigator.locks where available; absent = no cross-tab lock. */
	locks?: Pick<LockManager, 'request'>;
	now?: () => number;
	newId?: () => string;
}

export interface BatchProgress {
	total: number;
	done: number;
	reused: number;
	failed: number;
	mode: RunMode;
	/** Why this mode (e.g. the residency plan's reason or the out-of-memory fallback). */
	modeReason: string;
	etaSeconds: number | null;
}

export type BatchOutcome = 'done' | 'paused' | 'cancelled' | 'locked';

export interface RunBatchOptions {
	/** The planned mode; 'together' may fall back to 'sequential'. */
	mode: RunMode;
	modeReason: string;
	/** Abort to stop; `stopAs` says whether the batch is then paused or cancelled. */
	signal?: AbortSignal;
	stopAs?: () => 'paused' | 'cancelled';
	onProgress?: (p: BatchProgress) => void;
	onResult?: (r: ResultRow) => void;
}

/** Engine failures that end the batch (paused, resumable) instead of being stored as a failed item. */
const STOPPING_CODES = new Set(['device-lost', 'out-of-memory', 'not-resident', 'no-webgpu', 'model-files-missing']);

export class BatchRunner {
	readonly #deps: BatchRunnerDeps;
	constructor(deps: BatchRunnerDeps) {
		this.#deps = deps;
	}

	/** Runs (or resumes) a batch until it is done or stopped. */
	async run(batchId: string, opts: RunBatchOptions): Promise<BatchOutcome> {
		const locks = this.#deps.locks;
		if (!locks) return this.#run(batchId, opts);
		return locks.request(`tune-or-prompt-batch:${batchId}`, { ifAvailable: true }, async (lock) =>
			lock ? this.#run(batchId, opts) : ('locked' as const)
		) as Promise<BatchOutcome>;
	}

	async #run(batchId: string, opts: RunBatchOptions): Promise<BatchOutcome> {
		const { db } = this.#deps;
		const now = this.#deps.now ?? Date.now;
		const batch = await getBatch(db, batchId);
		if (!batch) throw new Error(`Batch ${batchId} no longer exists. Reload the page.`);
		if (batch.status === 'done' || batch.status === 'cancelled') return batch.status;
		const [variants, items, testSet] = await Promise.all([
			getVariants(db, batch.variantIds),
			getTestItems(db, batch.testSetId),
			getTestSet(db, batch.testSetId)
		]);
		const variantById = new Map<string, VariantRow>();
		variants.forEach((v, i) => {
			if (!v) throw new Error(`Variant ${batch.variantIds[i]} of this batch is missing. Start a new batch.`);
			variantById.set(v.id, v);
		});
		const itemById = new Map(items.map((i) => [i.id, i]));
		const scoring: ScoringSpec = testSet?.scoring ?? { assertions: [] };
		await setBatchStatus(db, batchId, 'running', now());

		let mode = opts.mode;
		let modeReason = opts.modeReason;
		const localIds = [
			...new Set([...variantById.values()].filter((v) => v.spec.engine.kind === 'webllm').map((v) => v.spec.model.modelId))
		];
		if (mode === 'together') {
			const fallback = await this.#loadTogether([...variantById.values()]).catch(async (e: unknown) => {
				await setBatchStatus(db, batchId, 'paused', now());
				throw e;
			});
			if (fallback) {
				mode = 'sequential';
				modeReason = fallback;
			}
		}

		const done = await doneKeys(db, batchId);
		const total = batch.variantIds.length * batch.itemIds.length;
		const progress: BatchProgress = { total, done: done.size, reused: 0, failed: 0, mode, modeReason, etaSeconds: null };
		opts.onProgress?.({ ...progress });
		try {
			await this.#steps(batch, done, mode, variantById, itemById, scoring, localIds, progress, opts);
		} catch (e) {
			await setBatchStatus(db, batchId, 'paused', now());
			throw e;
		}
		const outcome: BatchOutcome = opts.signal?.aborted ? (opts.stopAs?.() ?? 'paused') : 'done';
		await setBatchStatus(db, batchId, outcome, now());
		return outcome;
	}

	async #steps(
		batch: BatchRow,
		done: Set<string>,
		mode: RunMode,
		variantById: Map<string, VariantRow>,
		itemById: Map<string, TestItemRow>,
		scoring: ScoringSpec,
		localIds: string[],
		progress: BatchProgress,
		opts: RunBatchOptions
	): Promise<void> {
		const { db } = this.#deps;
		const now = this.#deps.now ?? Date.now;
		const started = now();
		let loadedAlone: string | null = null;
		let finishedHere = 0;
		for (const step of pendingSteps(batch.variantIds, batch.itemIds, done, mode)) {
			if (opts.signal?.aborted) break;
			if (mode === 'sequential') loadedAlone = await this.#loadAlone(variantById.get(step[0].variantId)!, loadedAlone);
			const rows = await Promise.all(
				step.map((unit) =>
					this.#runUnit(
						batch,
						unit,
						variantById.get(unit.variantId)!,
						itemById.get(unit.itemId),
						scoring,
						mode,
						mode === 'together' ? localIds : [],
						opts.signal
					)
				)
			);
			for (const row of rows) {
				if (!row) continue;
				const { row: stored, inserted } = await putResult(db, row);
				if (!inserted) continue;
				finishedHere++;
				progress.done++;
				if (stored.reusedFrom) progress.reused++;
				if (stored.status === 'failed') progress.failed++;
				opts.onResult?.(stored);
			}
			progress.etaSeconds = etaSeconds(progress.total - progress.done, finishedHere, now() - started);
			opts.onProgress?.({ ...progress });
		}
	}

	/** Loads every local model of the batch at once; returns the fallback reason on out-of-memory. */
	async #loadTogether(variants: VariantRow[]): Promise<string | null> {
		const local = variants.filter((v) => v.spec.engine.kind === 'webllm');
		const ids = [...new Set(local.map((v) => v.spec.model.modelId))];
		if (ids.length === 0) return null;
		const engine = await this.#deps.engineFor(local[0]);
		try {
			if (ids.length > 1 && engine.loadMany) await engine.loadMany(ids);
			else if (ids.length === 1) await engine.load(ids[0]);
			else return 'One after the other: this engine cannot keep several models resident.';
			return null;
		} catch (e) {
			if (e instanceof EngineError && e.code === 'out-of-memory')
				return `One after the other: loading ${ids.length} models together ran out of GPU memory (${e.message}).`;
			throw e;
		}
	}

	/** In sequential mode, loads the step's local model when it is not the one loaded last. */
	async #loadAlone(variant: VariantRow, loaded: string | null): Promise<string | null> {
		if (variant.spec.engine.kind !== 'webllm') return loaded;
		const id = variant.spec.model.modelId;
		if (id !== loaded) await (await this.#deps.engineFor(variant)).load(id);
		return id;
	}

	/** One (variant, item): reused, generated, or failed; null when stopped before it finished. */
	async #runUnit(
		batch: BatchRow,
		unit: WorkUnit,
		variant: VariantRow,
		item: TestItemRow | undefined,
		scoring: ScoringSpec,
		mode: RunMode,
		resident: string[],
		signal: AbortSignal | undefined
	): Promise<ResultRow | null> {
		const now = this.#deps.now ?? Date.now;
		const engine = await this.#deps.engineFor(variant);
		const base = {
			id: this.#deps.newId?.() ?? crypto.randomUUID(),
			batchId: batch.id,
			experimentId: batch.experimentId,
			variantId: unit.variantId,
			itemId: unit.itemId,
			model: variant.spec.model,
			engine: { kind: engine.info.kind, version: engine.info.version },
			mode,
			createdAt: now()
		};
		if (!item)
			return {
				...base,
				status: 'failed',
				output: '',
				reuseKey: '',
				error: { code: 'item-missing', message: `Item ${unit.itemId} is no longer in the test set.` }
			};
		const key =
			(await reuseKey({
				engineVersion: engine.info.version,
				modelRecord: this.#deps.modelRecordOf(variant),
				variantId: variant.id,
				itemHash: item.hash,
				seed: variant.spec.sampling.seed
			})) ?? '';
		if (key && !batch.fresh) {
			const earlier = await findReusable(this.#deps.db, key);
			if (earlier)
				return {
					...base,
					status: 'done',
					output: earlier.output,
					stats: earlier.stats,
					reuseKey: key,
					reusedFrom: earlier.id,
					score: scoreOutput(earlier.output, item.expected, scoring)
				};
		}
		let messages;
		try {
			messages = buildMessages(variant.spec.recipe, item.vars);
		} catch (e) {
			return { ...base, status: 'failed', output: '', reuseKey: key, error: { code: 'template', message: (e as Error).message } };
		}
		try {
			const result = await engine.generate(
				{
					modelId: variant.spec.model.modelId,
					messages,
					sampling: variant.spec.sampling,
					...(variant.spec.model.source === 'endpoint' && variant.spec.model.adapter ? { adapter: variant.spec.model.adapter } : {}),
					...(resident.length && variant.spec.engine.kind === 'webllm' ? { resident } : {})
				},
				{ signal, onDelta: () => undefined }
			);
			if (result.finishReason === 'abort' || signal?.aborted) return null;
			return {
				...base,
				status: 'done',
				output: result.text,
				stats: result.stats,
				reuseKey: key,
				score: scoreOutput(result.text, item.expected, scoring)
			};
		} catch (e) {
			if (signal?.aborted) return null;
			// A lost GPU or an evicted model says nothing about this item: stop, keep the slot free, resume later.
			if (e instanceof EngineError && STOPPING_CODES.has(e.code)) throw e;
			const code = e instanceof EngineError ? e.code : 'unknown';
			return { ...base, status: 'failed', output: '', reuseKey: key, error: { code, message: e instanceof Error ? e.message : String(e) } };
		}
	}
}
