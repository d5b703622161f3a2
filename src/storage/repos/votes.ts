// Vote repository: blind A/B votes, one per (experiment, item, a, b) — the unique index. Voting
// again on the same pair changes the row's winner and updatedAt and keeps its id and createdAt.
// a and b are stored as given (the experiment's order); (a, b) and (b, a) are different pairs.
// Functions take the db first. No svelte/worker/web-llm imports.
import type { TuneDb } from '../db.ts';
import { guardWrite } from '../errors.ts';
import type { VoteRow } from '../rows.ts';
import { newId } from './ids.ts';

/** Which pair on which item a vote is about. */
export type VoteSlot = Pick<VoteRow, 'experimentId' | 'itemId' | 'a' | 'b'>;

/**
 * Records a vote, or changes the existing vote on the same slot (upsert on the unique key).
 * @throws StorageFullError when storage is full.
 */
export async function setVote(db: TuneDb, vote: VoteSlot & Pick<VoteRow, 'winner'>, now = Date.now()): Promise<VoteRow> {
	const slot: VoteSlot = { experimentId: vote.experimentId, itemId: vote.itemId, a: vote.a, b: vote.b };
	return guardWrite(() =>
		db.transaction('rw', db.votes, async () => {
			const existing = await db.votes.get(slot);
			if (existing) {
				const row: VoteRow = { ...existing, winner: vote.winner, updatedAt: now };
				await db.votes.put(row);
				return row;
			}
			const row: VoteRow = { id: newId(), ...slot, winner: vote.winner, createdAt: now, updatedAt: now };
			await db.votes.add(row);
			return row;
		})
	);
}

/** Every vote of an experiment (any order). */
export function votesOf(db: TuneDb, experimentId: string): Promise<VoteRow[]> {
	return db.votes.where('experimentId').equals(experimentId).toArray();
}

/** Removes the vote on this slot; returns whether there was one. */
export async function clearVote(db: TuneDb, slot: VoteSlot): Promise<boolean> {
	return db.transaction('rw', db.votes, async () => {
		const existing = await db.votes.get({ experimentId: slot.experimentId, itemId: slot.itemId, a: slot.a, b: slot.b });
		if (!existing) return false;
		await db.votes.delete(existing.id);
		return true;
	});
}
