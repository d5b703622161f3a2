// Paired statistics for comparing model variants on the same items: the public surface of
// src/domain/stats. Pure TypeScript: no svelte, dexie, DOM, web-llm or node: imports.
export { Z95, normalCdf, normalQuantile, studentTCdf, studentTQuantile, regularizedBeta, logGamma } from './distributions.ts';
export { wilsonInterval } from './wilson.ts';
export { binomialHalfCdf, exactBinomialTwoSided, mcnemarExact, signTest } from './binomial.ts';
export { pairedDifference, pairedPhi, type PairedTable } from './paired-diff.ts';
export { mulberry32 } from './prng.ts';
export { pairedMeanInterval, tInterval, MIN_BCA_N, type BootstrapOptions, type MeanInterval } from './bootstrap.ts';
export { pairedSampleSize, moreItemsNeeded } from './power.ts';
export { holmAdjust } from './holm.ts';
export {
	compareResults,
	type CompareOptions,
	type Comparison,
	type PairStats,
	type ResultRow,
	type VariantStats,
	type VoteChoice,
	type VoteLine
} from './compare.ts';
export { ResultsReader, StatsInputError, parseResultsJsonl, MAX_LINES, MAX_LINE_BYTES } from './parse-jsonl.ts';
export { parseResultsCsv, guardFormula, unguardFormula, RESULTS_CSV_COLUMNS, VOTES_CSV_COLUMNS, MAX_CSV_BYTES } from './parse-csv.ts';
