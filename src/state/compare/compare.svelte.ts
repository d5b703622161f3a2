// The experiment at the centre of the app: its variants, test set, batches, results, manual
// scores and votes, with the results matrix and paired statistics derived from them. Batches run
// through BatchRunner (resumable, one tab per batch); the residency plan decides together or one
// after the other and says why. Imports storage, domain and the batch runner; no DOM or workers.
import { planResidency, gpuBudgetMB, type ResidencyModel, type ResidencyPlan } from '../../domain/engine/residency-plan.ts';
import type { EndpointAdapter } from '../../domain/engine/types.ts';
import type { GpuProbe } from '../../domain/gpu/types.ts';
import { buildMatrix, filterMatrix, statsInput, type MatrixFilter } from '../../domain/experiment/results-table.ts';
import { variantDifferences, type ModelFacts } from '../../domain/experiment/variant-diff.ts';
import type { LabelledSpec, RecipeChoice } from '../../domain/experiment/variants.ts';
import type {
	BatchRow,
	ExperimentRow,
	ManualScoreRow,
	ResultRow,
	TestItemRow,
	TestSetRow,
	VariantRow,
	VariantSpec,
	VoteRow,
	VoteWinner
} from '../../domain/experiment/types.ts';
import { compareResults, type Comparison } from '../../domain/stats/compare.ts';
import { experimentSides, familyPairs, type ExperimentSides, type FamilyPairs } from '../../domain/decision/family-pairs.ts';
import type { SweepTag } from '../../domain/decision/types.ts';
import { liveQuery, type Subscription } from 'dexie';
import type { TuneDb } from '../../storage/db.ts';
import { createBatch, latestBatch, setBatchStatus } from '../../storage/repos/batches.ts';
import { createExperiment, getExperiment, listExperiments, deleteExperiment, updateExperiment } from '../../storage/repos/experiments.ts';
import { manualScoresOf, setManualScore } from '../../storage/repos/manual-scores.ts';
import { resultsOfExperiment } from '../../storage/repos/results.ts';
import { getTestItems, getTestSet, listTestSets } from '../../storage/repos/testsets.ts';
import { getVariants, saveVariant } from '../../storage/repos/variants.ts';
import { setVote, votesOf } from '../../storage/repos/votes.ts';
import { BatchRunner, type BatchProgress } from './batch-runner.ts';
import { recipeOptions } from './setup-options.ts';
import type { EnginePool } from './engine-pool.ts';
import { describe } from '../run-controller.svelte.ts';

/** What the comparison needs to know about a model id (from the catalog and derived models). */
export interface ModelLookup {
	facts(spec: VariantSpec): ModelFacts;
	vramMB(spec: VariantSpec): number | null;
	/** The exact record behind a variant's weights (part of the reuse key). */
	record(spec: VariantSpec): unknown;
}

/** Endpoint engines can check, before a batch, that the server serves a model and its adapter. */
interface ProvenanceChecking {
	checkProvenance(target: { modelId: string; adapter?: EndpointAdapter }): Promise<unknown>;
}

export interface CompareDeps {
	db: TuneDb;
	pool: EnginePool;
	models: ModelLookup;
	probe: () => GpuProbe | null;
	locks?: Pick<LockManager, 'request'>;
}

export class CompareState {
	testSets = $state.raw<TestSetRow[]>([]);
	experiments = $state.raw<ExperimentRow[]>([]);
	experiment = $state.raw<ExperimentRow | null>(null);
	variants = $state.raw<VariantRow[]>([]);
	testSet = $state.raw<TestSetRow | null>(null);
	items = $state.raw<TestItemRow[]>([]);
	results = $state.raw<ResultRow[]>([]);
	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- an immutable value in $state.raw, replaced whole by setManual
	manual = $state.raw<Map<string, ManualScoreRow>>(new Map());
	votes = $state.raw<VoteRow[]>([]);
	batch = $state.raw<BatchRow | null>(null);
	progress = $state.raw<BatchProgress | null>(null);
	running = $state(false);
	/** Set when another tab is running this experiment's batch. */
	lockedElsewhere = $state(false);
	error = $state.raw<{ message: string; advice: string } | null>(null);
	filter = $state<MatrixFilter>({});
	/** Saved recipes at their latest version, for the set-up. */
	recipeChoices = $state.raw<RecipeChoice[]>([]);

	// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a $derived value, rebuilt, never mutated
	labels = $derived(new Map((this.experiment?.variants ?? []).map((v) => [v.variantId, v.label])));
	variantIds = $derived((this.experiment?.variants ?? []).map((v) => v.variantId));
	matrix = $derived(buildMatrix(this.items, this.variantIds, this.results, this.manual));
	visibleRows = $derived(filterMatrix(this.matrix, this.filter));
	/** The primary pair's prompt and adapter sides (and base + plain when the 2×2 is there). */
	sides = $derived.by((): ExperimentSides | null => {
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local lookup inside $derived.by
		const specs = new Map(this.variants.map((v) => [v.id, v.spec]));
		return experimentSides(this.experiment?.variants ?? [], this.experiment?.primary, (id) => specs.get(id));
	});
	pairs = $derived.by((): FamilyPairs => familyPairs(this.experiment?.variants ?? [], this.sides));
	/** Only the experiment's own family of pairs (primary, ablation, sweep points vs their reference). */
	stats = $derived.by((): Comparison => {
		const input = statsInput(this.matrix, this.labels, this.votes);
		return compareResults(input.rows, input.votes, { pairs: this.pairs.all.length ? this.pairs.all : undefined });
	});
	differences = $derived(
		variantDifferences(
			this.variants.map((v) => v.spec),
			(s) => this.#deps.models.facts(s)
		)
	);
	plan = $derived.by((): ResidencyPlan => {
		const probe = this.#deps.probe();
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local "seen" set in $derived.by
		const seen = new Set<string>();
		const models: ResidencyModel[] = [];
		for (const v of this.variants) {
			const id = v.spec.model.modelId;
			if (seen.has(id)) continue;
			seen.add(id);
			models.push({ id, label: this.labels.get(v.id) ?? id, vramMB: this.#deps.models.vramMB(v.spec), engine: v.spec.engine.kind });
		}
		return planResidency(models, { budgetMB: probe ? gpuBudgetMB(probe) : null });
	});

	#deps: CompareDeps;
	#runner: BatchRunner;
	#abort: AbortController | null = null;
	#stopAs: 'paused' | 'cancelled' = 'paused';
	#watch: Subscription | null = null;

	constructor(deps: CompareDeps) {
		this.#deps = deps;
		this.#runner = new BatchRunner({
			db: deps.db,
			engineFor: (v) => deps.pool.engineFor(v.spec),
			modelRecordOf: (v) => deps.models.record(v.spec),
			locks: deps.locks
		});
	}

	async start(): Promise<void> {
		await this.#guard(async () => {
			[this.testSets, this.experiments] = await Promise.all([listTestSets(this.#deps.db), listExperiments(this.#deps.db)]);
			if (!this.experiment && this.experiments[0]) await this.open(this.experiments[0].id);
		});
	}

	/** Re-reads the saved recipes (they change in the playground). */
	async refreshRecipes(): Promise<void> {
		await this.#guard(async () => void (this.recipeChoices = await recipeOptions(this.#deps.db)));
	}

	async refreshTestSets(): Promise<void> {
		this.testSets = await listTestSets(this.#deps.db);
	}

	/** Saves the variants (content-hashed, idempotent) and a new experiment over them, and opens it. */
	async create(name: string, testSetId: string, specs: readonly LabelledSpec[]): Promise<void> {
		await this.#guard(async () => {
			const db = this.#deps.db;
			const rows = [];
			for (const s of specs) rows.push({ label: s.label, row: await saveVariant(db, s.spec) });
			const variants = rows.map((r) => ({ variantId: r.row.id, label: r.label }));
			const exp = await createExperiment(db, {
				name,
				testSetId,
				variants,
				primary: variants.length >= 2 ? [variants[0].variantId, variants[1].variantId] : undefined
			});
			this.experiments = await listExperiments(db);
			await this.open(exp.id);
		});
	}

	/** Opens an experiment; a batch a closed tab left running resumes here. */
	async open(experimentId: string): Promise<void> {
		this.#watch?.unsubscribe();
		this.lockedElsewhere = false;
		await this.#guard(async () => {
			const db = this.#deps.db;
			const exp = await getExperiment(db, experimentId);
			if (!exp) throw new Error('This experiment no longer exists (deleted in another tab?).');
			// Everything read at once, then shown at once (no half-updated matrix in between).
			const [variants, testSet, items, results, votes, batch] = await Promise.all([
				getVariants(
					db,
					exp.variants.map((v) => v.variantId)
				),
				exp.testSetId ? getTestSet(db, exp.testSetId) : undefined,
				exp.testSetId ? getTestItems(db, exp.testSetId) : [],
				resultsOfExperiment(db, exp.id),
				votesOf(db, exp.id),
				latestBatch(db, exp.id)
			]);
			const manual = await manualScoresOf(
				db,
				results.map((r) => r.id)
			);
			this.experiment = exp;
			this.variants = variants.filter((v): v is VariantRow => v !== undefined);
			this.testSet = testSet ?? null;
			this.items = items;
			this.results = results;
			this.manual = manual;
			this.votes = votes;
			this.batch = batch ?? null;
			this.progress = null;
		});
		if (this.batch?.status === 'running' && !this.running) void this.resume();
	}

	async remove(experimentId: string): Promise<void> {
		await this.#guard(async () => {
			await deleteExperiment(this.#deps.db, experimentId);
			if (this.experiment?.id === experimentId) this.experiment = null;
			this.experiments = await listExperiments(this.#deps.db);
		});
	}

	/**
	 * Adds sweep points to the open experiment (a point whose variant is already there gets the tag and
	 * keeps its label) and runs a batch over just those points: results already computed for the same
	 * variant and item are reused by the batch machinery, none is duplicated.
	 */
	async addSweep(points: readonly (LabelledSpec & { sweep: SweepTag })[]): Promise<void> {
		const exp = this.experiment;
		if (!exp || this.running || points.length === 0) return;
		const ids = await this.#guard(async () => {
			const db = this.#deps.db;
			const variants = exp.variants.map((v) => ({ ...v }));
			const ids: string[] = [];
			for (const p of points) {
				const row = await saveVariant(db, p.spec);
				ids.push(row.id);
				const known = variants.find((v) => v.variantId === row.id);
				if (known) known.sweep = p.sweep;
				else variants.push({ variantId: row.id, label: p.label, sweep: p.sweep });
			}
			await updateExperiment(db, exp.id, { variants });
			return ids;
		});
		if (!ids) return;
		await this.open(exp.id);
		await this.runBatch(false, ids);
	}

	/** Starts a new batch over the variants (default: all) × every item; `fresh` recomputes reusable results. */
	async runBatch(fresh = false, variantIds: readonly string[] = this.variantIds): Promise<void> {
		const exp = this.experiment;
		if (!exp || !exp.testSetId || this.running) return;
		const batch = await this.#guard(() =>
			createBatch(this.#deps.db, {
				experimentId: exp.id,
				testSetId: exp.testSetId!,
				variantIds: [...variantIds],
				itemIds: this.items.map((i) => i.id),
				fresh
			})
		);
		if (!batch) return;
		this.batch = batch;
		await this.#drive(batch.id);
	}

	/** Resumes the latest batch where it stopped. */
	async resume(): Promise<void> {
		if (this.batch && !this.running) await this.#drive(this.batch.id);
	}

	pause(): void {
		this.#stopAs = 'paused';
		this.#abort?.abort();
	}

	async cancel(): Promise<void> {
		this.#stopAs = 'cancelled';
		if (this.#abort) this.#abort.abort();
		else if (this.batch && this.batch.status === 'paused') {
			const batch = this.batch;
			await this.#guard(async () => {
				await setBatchStatus(this.#deps.db, batch.id, 'cancelled');
				this.batch = { ...batch, status: 'cancelled' };
			});
		}
	}

	async setManual(resultId: string, pass: boolean | null, comment: string): Promise<void> {
		await this.#guard(async () => {
			const row = await setManualScore(this.#deps.db, resultId, { pass, comment });
			// eslint-disable-next-line svelte/prefer-svelte-reactivity -- copy-and-replace of the $state.raw map
			this.manual = new Map(this.manual).set(resultId, row);
		});
	}

	async vote(itemId: string, a: string, b: string, winner: VoteWinner): Promise<void> {
		const exp = this.experiment;
		if (!exp) return;
		await this.#guard(async () => {
			await setVote(this.#deps.db, { experimentId: exp.id, itemId, a, b, winner });
			this.votes = await votesOf(this.#deps.db, exp.id);
		});
	}

	destroy(): void {
		this.#abort?.abort();
		this.#watch?.unsubscribe();
	}

	/** Another tab runs this batch: show its results as they are stored, until its batch ends. */
	#watchOtherTab(): void {
		const exp = this.experiment;
		if (!exp) return;
		this.lockedElsewhere = true;
		this.#watch?.unsubscribe();
		const db = this.#deps.db;
		this.#watch = liveQuery(async () => ({
			results: await resultsOfExperiment(db, exp.id),
			batch: await latestBatch(db, exp.id)
		})).subscribe({
			next: ({ results, batch }) => {
				if (this.experiment?.id !== exp.id) return this.#watch?.unsubscribe();
				this.results = results;
				this.batch = batch ?? null;
				if (batch && batch.status !== 'running') {
					this.lockedElsewhere = false;
					this.#watch?.unsubscribe();
				}
			},
			error: (e: unknown) => (this.error = describe(e))
		});
	}

	async #drive(batchId: string): Promise<void> {
		this.running = true;
		this.lockedElsewhere = false;
		this.error = null;
		const abort = new AbortController();
		this.#abort = abort;
		this.#stopAs = 'paused';
		const plan = this.plan;
		try {
			await this.#checkProvenance();
			const outcome = await this.#runner.run(batchId, {
				mode: plan.mode,
				modeReason: plan.reason,
				signal: abort.signal,
				stopAs: () => this.#stopAs,
				onProgress: (p) => (this.progress = p),
				onResult: (r) => (this.results = [...this.results, r])
			});
			if (outcome === 'locked') this.#watchOtherTab();
		} catch (e) {
			this.error = describe(e);
		} finally {
			this.#abort = null;
			this.running = false;
			const exp = this.experiment;
			if (exp) await this.#guard(async () => void (this.batch = (await latestBatch(this.#deps.db, exp.id)) ?? null));
		}
	}

	/** Endpoint variants: the server must serve the named model and adapter, else nothing runs. */
	async #checkProvenance(): Promise<void> {
		for (const v of this.variants) {
			if (v.spec.engine.kind !== 'endpoint' || v.spec.model.source !== 'endpoint') continue;
			const engine = (await this.#deps.pool.engineFor(v.spec)) as Partial<ProvenanceChecking>;
			await engine.checkProvenance?.({ modelId: v.spec.model.modelId, adapter: v.spec.model.adapter });
		}
	}

	async #guard<T>(work: () => Promise<T>): Promise<T | undefined> {
		try {
			this.error = null;
			return await work();
		} catch (e) {
			this.error = describe(e);
			return undefined;
		}
	}
}
