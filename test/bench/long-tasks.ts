// Records main-thread long tasks (PerformanceObserver 'longtask') from before the app loads, for the
// Playwright benchmarks; read them back with longTasksSince.
import type { Page } from '@playwright/test';

declare global {
	interface Window {
		__longTasks: { startMs: number; durationMs: number }[];
	}
}

export async function installLongTaskObserver(page: Page): Promise<void> {
	await page.addInitScript(() => {
		window.__longTasks = [];
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) window.__longTasks.push({ startMs: e.startTime, durationMs: e.duration });
		}).observe({ type: 'longtask', buffered: true });
	});
}

/** Long tasks that started at or after `startMs` (page clock). */
export async function longTasksSince(page: Page, startMs: number): Promise<{ startMs: number; durationMs: number }[]> {
	return (await page.evaluate(() => window.__longTasks)).filter((t) => t.startMs >= startMs);
}
