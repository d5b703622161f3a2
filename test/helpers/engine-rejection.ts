// Test helper shared by the unit and browser projects: awaits a promise that must reject with an
// EngineError and returns that error for further assertions. Plain TS (no node:, no DOM) so both
// projects can import it.
import { expect } from 'vitest';
import { EngineError } from '../../src/domain/engine/index.ts';

/** Awaits `p`, asserts it rejects with an EngineError, and returns the error. */
export async function rejection(p: Promise<unknown>): Promise<EngineError> {
	try {
		await p;
	} catch (e) {
		expect(e).toBeInstanceOf(EngineError);
		return e as EngineError;
	}
	throw new Error('expected a rejection');
}
