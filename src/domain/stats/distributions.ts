// Normal and Student-t distribution functions the paired statistics need: the standard normal CDF and
// quantile, log-gamma, the regularized incomplete beta function, and the Student-t CDF and quantile.
// Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.

/** z_{0.975}: the two-sided 95 % normal quantile. */
export const Z95 = 1.959963984540054;

const LANCZOS = [
	0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
	-0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
];

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7; relative error about 1e-15). */
export function logGamma(x: number): number {
	if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`);
	if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
	const z = x - 1;
	let s = LANCZOS[0];
	for (let i = 1; i < 9; i++) s += LANCZOS[i] / (z + i);
	const t = z + 7.5;
	return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
	const tiny = 1e-300;
	let c = 1;
	let d = 1 - ((a + b) * x) / (a + 1);
	if (Math.abs(d) < tiny) d = tiny;
	d = 1 / d;
	let h = d;
	for (let m = 1; m <= 1000; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		if (Math.abs(d) < tiny) d = tiny;
		c = 1 + aa / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		h *= d * c;
		aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		if (Math.abs(d) < tiny) d = tiny;
		c = 1 + aa / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-16) break;
	}
	return h;
}

/** The regularized incomplete beta function I_x(a, b) for a, b > 0 and 0 ≤ x ≤ 1. */
export function regularizedBeta(x: number, a: number, b: number): number {
	if (!(a > 0 && b > 0)) throw new RangeError(`regularizedBeta needs a, b > 0, got a=${a}, b=${b}`);
	if (!(x >= 0 && x <= 1)) throw new RangeError(`regularizedBeta needs 0 ≤ x ≤ 1, got ${x}`);
	if (x === 0 || x === 1) return x;
	const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
	const front = Math.exp(lnFront);
	if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
	return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df > 0 degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
	if (!(df > 0)) throw new RangeError(`Student t needs df > 0, got ${df}`);
	if (t === 0) return 0.5;
	const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
	return t > 0 ? 1 - tail : tail;
}

/**
 * The p-quantile of Student's t with df > 0 degrees of freedom (0 < p < 1), found by bisection on
 * studentTCdf to ~1e-12 relative precision; df = 1 and 2 use their closed forms.
 */
export function studentTQuantile(p: number, df: number): number {
	if (!(p > 0 && p < 1)) throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
	if (!(df > 0)) throw new RangeError(`Student t needs df > 0, got ${df}`);
	if (p === 0.5) return 0;
	if (p < 0.5) return -studentTQuantile(1 - p, df);
	if (df === 1) return Math.tan(Math.PI * (p - 0.5));
	if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
	let lo = 0;
	let hi = 1;
	while (studentTCdf(hi, df) < p) {
		lo = hi;
		hi *= 2;
		if (hi > 1e300) return Infinity;
	}
	for (let i = 0; i < 200 && hi - lo > 1e-13 * hi; i++) {
		const mid = 0.5 * (lo + hi);
		if (studentTCdf(mid, df) < p) lo = mid;
		else hi = mid;
	}
	return 0.5 * (lo + hi);
}

/** erfc(x) for x ≥ 0 via the regularized upper incomplete gamma Q(1/2, x²). */
function erfcNonNegative(x: number): number {
	const a = 0.5;
	const y = x * x;
	if (y === 0) return 1;
	const lnFront = -y + a * Math.log(y) - logGamma(a);
	if (y < a + 1) {
		// series for P(a, y)
		let sum = 1 / a;
		let term = sum;
		for (let n = 1; n < 1000; n++) {
			term *= y / (a + n);
			sum += term;
			if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
		}
		return 1 - sum * Math.exp(lnFront);
	}
	// continued fraction for Q(a, y) (modified Lentz)
	const tiny = 1e-300;
	let b = y + 1 - a;
	let c = 1 / tiny;
	let d = 1 / b;
	let h = d;
	for (let i = 1; i < 1000; i++) {
		const an = -i * (i - a);
		b += 2;
		d = an * d + b;
		if (Math.abs(d) < tiny) d = tiny;
		c = b + an / c;
		if (Math.abs(c) < tiny) c = tiny;
		d = 1 / d;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-16) break;
	}
	return Math.exp(lnFront) * h;
}

/** Φ(x), the standard normal CDF (accurate to ~1e-15 absolute, with full relative precision in the tails). */
export function normalCdf(x: number): number {
	if (Number.isNaN(x)) return NaN;
	const e = erfcNonNegative(Math.abs(x) / Math.SQRT2);
	return x >= 0 ? 1 - 0.5 * e : 0.5 * e;
}

const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/** Φ⁻¹(p), the standard normal quantile for 0 < p < 1 (Acklam's rational approximation plus one Halley step). */
export function normalQuantile(p: number): number {
	if (!(p > 0 && p < 1)) {
		if (p === 0) return -Infinity;
		if (p === 1) return Infinity;
		throw new RangeError(`a quantile needs 0 < p < 1, got ${p}`);
	}
	const pLow = 0.02425;
	let x: number;
	if (p < pLow) {
		const q = Math.sqrt(-2 * Math.log(p));
		x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
	} else if (p <= 1 - pLow) {
		const q = p - 0.5;
		const r = q * q;
		x =
			((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
			(((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
	} else {
		const q = Math.sqrt(-2 * Math.log(1 - p));
		x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
	}
	// Halley refinement against the accurate CDF (work in the smaller tail to keep precision).
	const e = p < 0.5 ? normalCdf(x) - p : 1 - p - normalCdf(-x);
	const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
	return p < 0.5 ? x - u / (1 + (x * u) / 2) : x - u / (1 + (x * u) / 2);
}
