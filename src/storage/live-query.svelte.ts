// Bridge from Dexie's liveQuery to Svelte runes: `current` updates whenever the queried tables
// change (in this tab or another). Inputs read after an `await` are not tracked by Dexie, so pass
// them through `deps`: when a rune read in `deps` changes, the query re-subscribes. Call destroy().
import { liveQuery, type Subscription } from 'dexie';
import { untrack } from 'svelte';

export class LiveQueryState<T> {
	/** Latest result; undefined until the first result arrives. */
	current = $state.raw<T | undefined>(undefined);
	/** The query's last error, cleared by the next result. */
	error = $state.raw<unknown>(undefined);
	loading = $state(true);

	#querier: () => T | Promise<T>;
	#sub: Subscription | undefined;
	#stopDeps: (() => void) | undefined;

	constructor(querier: () => T | Promise<T>, deps?: () => unknown) {
		this.#querier = querier;
		if (!deps) {
			this.#subscribe();
			return;
		}
		this.#stopDeps = $effect.root(() => {
			$effect(() => {
				deps();
				untrack(() => this.#subscribe());
			});
		});
	}

	#subscribe(): void {
		this.#sub?.unsubscribe();
		this.loading = true;
		this.#sub = liveQuery(this.#querier).subscribe({
			next: (value) => {
				this.current = value;
				this.error = undefined;
				this.loading = false;
			},
			error: (e: unknown) => {
				this.error = e;
				this.loading = false;
			}
		});
	}

	/** Stops listening; `current` keeps its last value. */
	destroy(): void {
		this.#stopDeps?.();
		this.#sub?.unsubscribe();
		this.#sub = undefined;
	}
}

/**
 * A live, reactive query result (`.current`, `.error`, `.loading`, `.destroy()`).
 * @param querier a Dexie query; every table it reads is watched.
 * @param deps reads the runes the query depends on (e.g. `() => [filter.text, page]`).
 */
export function stateQuery<T>(querier: () => T | Promise<T>, deps?: () => unknown): LiveQueryState<T> {
	return new LiveQueryState(querier, deps);
}
