// Fidelity of a merge: how far the stored delta st = decoded derived − decoded base is from the intended
// d = s·B·A, per MLC module part, accumulated during the merge pass (no second pass over the data).
// The verdict rests on two figures that 4-bit rounding noise does not distort: the gain
// g = ⟨st, d⟩/⟨d, d⟩ (how much of the adapter the weights carry on average) and the subspace error
// e_sub = ‖Ūᵀ(st − d)V̄‖_F / ‖d‖_F, the error inside the adapter's own row/column spaces (Ū, V̄:
// orthonormal bases of B's columns and A's rows). The full-matrix cosine and relative error are kept,
// labelled: on 4-bit bases they are dominated by rounding noise the same size as the base's own.
// Pure TS: no svelte/dexie/DOM/node:/web-llm imports.

/** Running sums for one module part; all in float64. */
export interface FidelitySums {
	/** Σ stored·intended */
	dot: number;
	/** Σ stored² */
	storedSq: number;
	/** Σ intended² */
	intendedSq: number;
	/** Σ (stored − intended)² */
	diffSq: number;
	elements: number;
	/** ‖Ūᵀ(st − d)V̄‖²_F; absent on exact (q0) merges, where e_sub is taken as the relative error. */
	subSq?: number;
	/** Σ (dequant(Q(W)) − W)² over the touched rows: the base's own 4-bit error, when originals are known. */
	baseErrSq?: number;
	/** Σ W² of the original weights over the touched rows, when known. */
	originalSq?: number;
	/** Σ scale²/12: the rounding noise a plain 4-bit model has on these rows (stochastic route). */
	plainNoiseSq?: number;
}

export function emptySums(): FidelitySums {
	return { dot: 0, storedSq: 0, intendedSq: 0, diffSq: 0, elements: 0 };
}

const OPTIONAL_SUMS = ['subSq', 'baseErrSq', 'originalSq', 'plainNoiseSq'] as const;

export function addSums(into: FidelitySums, s: FidelitySums): void {
	into.dot += s.dot;
	into.storedSq += s.storedSq;
	into.intendedSq += s.intendedSq;
	into.diffSq += s.diffSq;
	into.elements += s.elements;
	for (const k of OPTIONAL_SUMS) if (s[k] !== undefined) into[k] = (into[k] ?? 0) + s[k];
}

/** Whether every sum is a finite number (a NaN/Inf weight or an overflowing delta makes them not). */
export function sumsFinite(s: FidelitySums): boolean {
	return [s.dot, s.storedSq, s.intendedSq, s.diffSq, ...OPTIONAL_SUMS.map((k) => s[k] ?? 0)].every(Number.isFinite);
}

export interface ModuleFidelity {
	/** MLC tensor module, e.g. "model.layers.0.self_attn.qkv_proj". */
	mlcModule: string;
	/** Fused part ("q", "k", "gate" ...) or null. */
	part: string | null;
	hfModule: string;
	/** g = ⟨st, d⟩/⟨d, d⟩; 1 when the intended delta is zero. */
	gain: number;
	/** e_sub = ‖Ūᵀ(st − d)V̄‖_F/‖d‖_F (the relative error on exact merges); 0 when d is zero. */
	subspaceError: number;
	/** Full-matrix cos(stored, intended); 1 when both are zero. */
	cosine: number;
	/** Full-matrix ‖stored − intended‖ / ‖intended‖; when the intended delta is zero, ‖stored‖ instead. */
	relError: number;
	/** ‖dequant(Q(W)) − W‖/‖W‖ on the touched rows (the base's own 4-bit error), when originals are known. */
	baseQuantRelError?: number;
	/** ‖st − d‖ / (plain 4-bit rounding noise) on the touched rows (stochastic route). */
	extraNoise?: number;
	elements: number;
}

export interface FidelitySummary {
	modules: number;
	minGain: number;
	maxGain: number;
	maxSubspaceError: number;
	/** Full-matrix figures: on 4-bit bases the rest is 4-bit rounding noise, the same size as the base's own. */
	minCosine: number;
	medianCosine: number;
	maxRelError: number;
	/** The base's own 4-bit error over all touched rows, when originals are known; else null. */
	baseQuantRelError: number | null;
	/** Added weight noise relative to a plain 4-bit model's rounding noise (stochastic route); else null. */
	extraNoise: number | null;
}

export interface FidelityReport {
	summary: FidelitySummary;
	modules: ModuleFidelity[];
}

/** Gain, subspace error, cosine and relative error from sums (see ModuleFidelity for the zero cases). */
export function fidelityOf(s: FidelitySums): {
	gain: number;
	subspaceError: number;
	cosine: number;
	relError: number;
	baseQuantRelError?: number;
	extraNoise?: number;
} {
	const extra: { baseQuantRelError?: number; extraNoise?: number } = {};
	if (s.baseErrSq !== undefined && s.originalSq !== undefined && s.originalSq > 0) {
		extra.baseQuantRelError = Math.sqrt(s.baseErrSq / s.originalSq);
	}
	if (s.plainNoiseSq !== undefined && s.plainNoiseSq > 0) extra.extraNoise = Math.sqrt(s.diffSq / s.plainNoiseSq);
	if (s.intendedSq === 0) {
		return { gain: 1, subspaceError: 0, cosine: s.storedSq === 0 ? 1 : 0, relError: Math.sqrt(s.storedSq), ...extra };
	}
	const denom = Math.sqrt(s.storedSq * s.intendedSq);
	const cosine = denom === 0 ? 0 : s.dot / denom;
	const relError = Math.sqrt(s.diffSq / s.intendedSq);
	return {
		gain: s.dot / s.intendedSq,
		subspaceError: s.subSq === undefined ? relError : Math.sqrt(s.subSq / s.intendedSq),
		cosine: Math.max(-1, Math.min(1, cosine)),
		relError,
		...extra
	};
}

/** Builds the report with its summary (gain range, largest subspace error, full-matrix figures). */
export function buildFidelityReport(modules: ModuleFidelity[], totals?: FidelitySums): FidelityReport {
	const cos = modules.map((m) => m.cosine).sort((a, b) => a - b);
	const mid = cos.length >> 1;
	const median = cos.length === 0 ? 1 : cos.length % 2 ? cos[mid] : (cos[mid - 1] + cos[mid]) / 2;
	const t = totals ? fidelityOf(totals) : undefined;
	return {
		summary: {
			modules: modules.length,
			minGain: modules.reduce((m, x) => Math.min(m, x.gain), modules.length ? Infinity : 1),
			maxGain: modules.reduce((m, x) => Math.max(m, x.gain), modules.length ? -Infinity : 1),
			maxSubspaceError: modules.reduce((m, x) => Math.max(m, x.subspaceError), 0),
			minCosine: cos.length ? cos[0] : 1,
			medianCosine: median,
			maxRelError: modules.reduce((m, x) => Math.max(m, x.relError), 0),
			baseQuantRelError: t?.baseQuantRelError ?? null,
			extraNoise: t?.extraNoise ?? null
		},
		modules
	};
}

export type FidelityLevel = 'carried' | 'note' | 'warning';

/** What the fidelity figures mean for the comparison: carried, a mild note, or a warning with the reason. */
export interface FidelityVerdict {
	level: FidelityLevel;
	message: string;
}

const fmt = (x: number) => x.toFixed(2);

/**
 * Verdict on a summary: "carried" when 0.9 ≤ g ≤ 1.1 for every module and the largest e_sub ≤ 0.2;
 * a warning when some g < 0.8 or e_sub > 0.5; a note otherwise.
 */
export function fidelityVerdict(s: Pick<FidelitySummary, 'minGain' | 'maxGain' | 'maxSubspaceError'>): FidelityVerdict {
	const gains = `gain ${fmt(s.minGain)}–${fmt(s.maxGain)}`;
	const sub = `largest subspace error ${fmt(s.maxSubspaceError)}`;
	if (s.minGain < 0.8 || s.maxSubspaceError > 0.5) {
		const why =
			s.minGain < 0.8
				? `a module keeps only ${Math.round(Math.max(0, s.minGain) * 100)}% of its delta (${gains})`
				: `the stored change differs from the adapter inside its own subspace (${sub})`;
		return {
			level: 'warning',
			message: `The stored weights do not carry the adapter: ${why}. Answers from this model understate the fine-tune; derive from an unquantized base (q0f16 or q0f32) or from the original weights.`
		};
	}
	if (s.minGain >= 0.9 && s.maxGain <= 1.1 && s.maxSubspaceError <= 0.2) {
		return { level: 'carried', message: `The adapter is carried (${gains}, ${sub}).` };
	}
	return {
		level: 'note',
		message: `The adapter is mostly carried (${gains}, ${sub}); small differences from the trained fine-tune are possible.`
	};
}

/**
 * Orthonormal basis of the column space of a row-major [rows, cols] matrix by modified Gram–Schmidt in
 * float64, applied twice per column for exactness; columns dependent on earlier ones (residual norm at
 * most 1e-9 of the largest column norm) are dropped, so a rank-deficient matrix gives fewer columns.
 * @returns q: row-major [rows, k]
 */
export function orthonormalColumns(m: ArrayLike<number>, rows: number, cols: number): { q: Float64Array; k: number } {
	const basis: Float64Array[] = [];
	let maxNorm = 0;
	for (let c = 0; c < cols; c++) {
		let n = 0;
		for (let i = 0; i < rows; i++) n += m[i * cols + c] ** 2;
		maxNorm = Math.max(maxNorm, Math.sqrt(n));
	}
	for (let c = 0; c < cols; c++) {
		const v = new Float64Array(rows);
		for (let i = 0; i < rows; i++) v[i] = m[i * cols + c];
		for (let pass = 0; pass < 2; pass++) {
			for (const u of basis) {
				let dot = 0;
				for (let i = 0; i < rows; i++) dot += u[i] * v[i];
				for (let i = 0; i < rows; i++) v[i] -= dot * u[i];
			}
		}
		let n = 0;
		for (let i = 0; i < rows; i++) n += v[i] * v[i];
		n = Math.sqrt(n);
		if (n <= 1e-9 * maxNorm || n === 0) continue;
		for (let i = 0; i < rows; i++) v[i] /= n;
		basis.push(v);
	}
	const k = basis.length;
	const q = new Float64Array(rows * k);
	basis.forEach((u, j) => u.forEach((x, i) => (q[i * k + j] = x)));
	return { q, k };
}

/**
 * Accumulates Ūᵀ R V̄ row by row for a residual R = st − d of a part with B [rows, rank] and A [rank, cols]:
 * one V̄-projection (length ≤ rank) per row, added into a small [kU, kV] matrix.
 */
export class SubspaceAccumulator {
	readonly #u: Float64Array;
	readonly #ku: number;
	readonly #v: Float64Array;
	readonly #kv: number;
	readonly #cols: number;
	readonly #m: Float64Array;
	readonly #y: Float64Array;

	constructor(b: ArrayLike<number>, rows: number, rank: number, a: ArrayLike<number>, cols: number) {
		const u = orthonormalColumns(b, rows, rank);
		// Aᵀ is [cols, rank]: element (j, k) = a[k·cols + j]
		const at = new Float64Array(cols * rank);
		for (let k = 0; k < rank; k++) for (let j = 0; j < cols; j++) at[j * rank + k] = a[k * cols + j];
		const v = orthonormalColumns(at, cols, rank);
		this.#u = u.q;
		this.#ku = u.k;
		this.#v = v.q;
		this.#kv = v.k;
		this.#cols = cols;
		this.#m = new Float64Array(u.k * v.k);
		this.#y = new Float64Array(v.k);
	}

	/** Adds part row `row` of the residual (length cols). */
	addRow(row: number, residual: ArrayLike<number>, offset = 0): void {
		const kv = this.#kv,
			ku = this.#ku,
			v = this.#v,
			y = this.#y;
		y.fill(0);
		for (let j = 0; j < this.#cols; j++) {
			const r = residual[offset + j];
			if (r === 0) continue;
			for (let k = 0; k < kv; k++) y[k] += r * v[j * kv + k];
		}
		for (let p = 0; p < ku; p++) {
			const up = this.#u[row * ku + p];
			if (up === 0) continue;
			for (let k = 0; k < kv; k++) this.#m[p * kv + k] += up * y[k];
		}
	}

	/** ‖Ūᵀ R V̄‖²_F so far. */
	get subSq(): number {
		let s = 0;
		for (const x of this.#m) s += x * x;
		return s;
	}
}
