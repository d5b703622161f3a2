// One input, every variant answers: a lane per variant streams its answer (state refreshed once per
// animation frame), each with its own stop. All lanes stream at once when the residency plan says
// the models fit together, otherwise one after the other, automatically, with the reason kept.
// Side-by-side answers are not stored (batches are); no DOM or db imports.
import { EngineError } from '../../domain/engine/errors.ts';
import type { AnswerStats } from '../../domain/engine/types.ts';
import type { ResidencyPlan } from '../../domain/engine/residency-plan.ts';
import type { RunMode, VariantRow } from '../../domain/experiment/types.ts';
import { buildMessages } from '../../domain/recipes/messages.ts';
import type { EnginePool } from './engine-pool.ts';
import { describe } from '../run-controller.svelte.ts';

export type LaneStatus = 'waiting' | 'running' | 'done' | 'stopped' | 'failed';

export class Lane {
	output = $state('');
	status = $state<LaneStatus>('waiting');
	stats = $state.raw<AnswerStats | null>(null);
	error = $state.raw<{ message: string; advice: string } | null>(null);
	readonly abort = new AbortController();
	#full = '';
	#queued = false;

	constructor(
		readonly variant: VariantRow,
		readonly label: string,
		readonly frame: (cb: () => void) => void
	) {}

	stop(): void {
		this.abort.abort();
	}

	append(delta: string): void {
		this.#full += delta;
		if (this.#queued) return;
		this.#queued = true;
		this.frame(() => {
			this.#queued = false;
			this.output = this.#full;
		});
	}

	finish(status: LaneStatus, text?: string): void {
		if (text !== undefined) this.#full = text || this.#full;
		this.output = this.#full;
		this.status = status;
	}
}

const defaultFrame = (cb: () => void) =>
	typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : setTimeout(cb, 16);

export class SideBySide {
	lanes = $state.raw<Lane[]>([]);
	mode = $state<RunMode | null>(null);
	modeReason = $state('');
	busy = $derived(this.lanes.some((l) => l.status === 'waiting' || l.status === 'running'));

	readonly #pool: EnginePool;
	readonly #frame: (cb: () => void) => void;

	constructor(pool: EnginePool, frame: (cb: () => void) => void = defaultFrame) {
		this.#pool = pool;
		this.#frame = frame;
	}

	/** Every variant answers `values`; resolves when all lanes have ended. */
	async run(variants: readonly { row: VariantRow; label: string }[], values: Record<string, string>, plan: ResidencyPlan): Promise<void> {
		if (this.busy) return;
		const lanes = variants.map((v) => new Lane(v.row, v.label, this.#frame));
		this.lanes = lanes;
		this.mode = plan.mode;
		this.modeReason = plan.reason;
		// eslint-disable-next-line svelte/prefer-svelte-reactivity -- a local de-duplication
		const localIds = [...new Set(lanes.filter((l) => l.variant.spec.engine.kind === 'webllm').map((l) => l.variant.spec.model.modelId))];
		if (plan.mode === 'together' && localIds.length > 0) {
			try {
				const engine = await this.#pool.engineFor(lanes.find((l) => l.variant.spec.engine.kind === 'webllm')!.variant.spec);
				if (localIds.length > 1 && engine.loadMany) await engine.loadMany(localIds);
				else if (localIds.length === 1) await engine.load(localIds[0]);
				else throw new EngineError('out-of-memory', 'this engine keeps one model at a time', '');
			} catch (e) {
				if (!(e instanceof EngineError && e.code === 'out-of-memory')) {
					for (const l of lanes) l.error = describe(e);
					for (const l of lanes) l.finish('failed');
					return;
				}
				this.mode = 'sequential';
				this.modeReason = `One after the other: the models did not fit in GPU memory together (${e.message}).`;
			}
		}
		if (this.mode === 'together') await Promise.all(lanes.map((l) => this.#runLane(l, values, localIds)));
		else for (const l of lanes) await this.#runLane(l, values, [], true);
	}

	stopAll(): void {
		for (const l of this.lanes) l.stop();
	}

	async #runLane(lane: Lane, values: Record<string, string>, resident: string[], loadFirst = false): Promise<void> {
		if (lane.abort.signal.aborted) return lane.finish('stopped');
		const spec = lane.variant.spec;
		try {
			const messages = buildMessages(spec.recipe, values);
			const engine = await this.#pool.engineFor(spec);
			if (loadFirst && spec.engine.kind === 'webllm') await engine.load(spec.model.modelId, { signal: lane.abort.signal });
			lane.status = 'running';
			const result = await engine.generate(
				{
					modelId: spec.model.modelId,
					messages,
					sampling: spec.sampling,
					...(spec.model.source === 'endpoint' && spec.model.adapter ? { adapter: spec.model.adapter } : {}),
					...(resident.length && spec.engine.kind === 'webllm' ? { resident } : {})
				},
				{ signal: lane.abort.signal, onDelta: (d) => lane.append(d) }
			);
			lane.stats = result.stats;
			lane.finish(result.finishReason === 'abort' || lane.abort.signal.aborted ? 'stopped' : 'done', result.text);
		} catch (e) {
			if (lane.abort.signal.aborted) return lane.finish('stopped');
			lane.error = describe(e);
			lane.finish('failed');
		}
	}
}
