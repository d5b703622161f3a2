// Parses web-llm's InitProgressReport text into a LoadProgress with bytes and an ETA.
// web-llm 0.2.86 reports phases one after another, each with its own 0..1 `progress`
// (lib/index.js: "Fetching param cache[i/n]: X MB fetched. P% completed, S secs elapsed.",
// "Loading model from cache[...]", "Loading GPU shader modules[i/n]: ...", "Finish loading on ...").
// We map them onto one monotonic fraction. Pure: no web-llm or DOM imports.

import type { LoadProgress } from './types.ts';

export type LoadPhase = 'start' | 'fetching' | 'loading-cache' | 'shaders' | 'done' | 'other';

export interface ParsedProgressText {
	phase: LoadPhase;
	shardIndex?: number;
	shardCount?: number;
	megabytes?: number;
	percent?: number;
	elapsedSeconds?: number;
}

/** The part of web-llm's InitProgressReport we read. */
export interface InitProgressReportLike {
	progress: number;
	timeElapsed: number;
	text: string;
}

const MB = 1024 * 1024;
/** Share of the overall bar given to weights (fetch or cache read); shaders get the rest. */
export const WEIGHTS_SHARE = 0.9;

const PHASES: { phase: LoadPhase; pattern: RegExp }[] = [
	{ phase: 'fetching', pattern: /^Fetching param cache/i },
	{ phase: 'loading-cache', pattern: /^Loading model from cache/i },
	{ phase: 'shaders', pattern: /^Loading GPU shader modules/i },
	{ phase: 'start', pattern: /^Start to fetch params/i },
	{ phase: 'done', pattern: /^Finish loading/i }
];

function num(m: RegExpMatchArray | null, i = 1): number | undefined {
	return m ? Number(m[i]) : undefined;
}

/**
 * Reads the numbers out of one progress text.
 * @param text InitProgressReport.text
 */
export function parseProgressText(text: string): ParsedProgressText {
	const phase = PHASES.find((p) => p.pattern.test(text))?.phase ?? 'other';
	const shard = text.match(/\[(\d+)\/(\d+)\]/);
	const out: ParsedProgressText = { phase };
	if (shard) {
		out.shardIndex = Number(shard[1]);
		out.shardCount = Number(shard[2]);
	}
	const mb = num(text.match(/(\d+(?:\.\d+)?)\s*MB (?:fetched|loaded)/i));
	const pct = num(text.match(/(\d+(?:\.\d+)?)% completed/i));
	const secs = num(text.match(/(\d+(?:\.\d+)?) secs? elapsed/i));
	if (mb !== undefined) out.megabytes = mb;
	if (pct !== undefined) out.percent = pct;
	if (secs !== undefined) out.elapsedSeconds = secs;
	return out;
}

function clamp01(x: number): number {
	return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0;
}

/**
 * Converts one web-llm report to our LoadProgress.
 * Weights (fetch or cache read) fill 0..WEIGHTS_SHARE, shader compilation the rest, "Finish" is 1.
 * Bytes come from the "X MB" figure (web-llm rounds up to whole MiB); total = loaded / fraction.
 * ETA (fetch phase only) = elapsed × (1 − f) / f, the observed average rate.
 * @param report web-llm's InitProgressReport
 */
export function toLoadProgress(report: InitProgressReportLike): LoadProgress {
	const parsed = parseProgressText(report.text);
	const phaseFraction = clamp01(report.progress);
	const out: LoadProgress = { fraction: 0, text: report.text };
	switch (parsed.phase) {
		case 'fetching':
		case 'loading-cache':
			out.fraction = phaseFraction * WEIGHTS_SHARE;
			break;
		case 'shaders':
			out.fraction = WEIGHTS_SHARE + phaseFraction * (1 - WEIGHTS_SHARE);
			break;
		case 'done':
			out.fraction = 1;
			break;
		case 'start':
			out.fraction = 0;
			break;
		default:
			out.fraction = phaseFraction;
	}
	if (parsed.megabytes !== undefined) {
		out.loadedBytes = parsed.megabytes * MB;
		if (phaseFraction > 0) out.totalBytes = Math.round(out.loadedBytes / phaseFraction);
	}
	const elapsed = parsed.elapsedSeconds ?? report.timeElapsed;
	if (parsed.phase === 'fetching' && phaseFraction > 0 && elapsed > 0) {
		out.etaSeconds = (elapsed * (1 - phaseFraction)) / phaseFraction;
	}
	return out;
}
