/** Slack bookkeeping: which copilot thread a Slack thread continues, and which Slack requests were already handled. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { slackEvents, slackThreads } from '../schema';

export interface SlackThreadKey {
  team: string;
  channel: string;
  threadTs: string;
}

/** Claim a Slack event or request id; false when it was claimed before (a retry). Atomic across replicas. */
export async function claimSlackEvent(db: Db, eventId: string): Promise<boolean> {
  const inserted = await db.insert(slackEvents).values({ eventId }).onConflictDoNothing().returning({ id: slackEvents.eventId });
  return inserted.length === 1;
}

export async function findSlackThread(db: Db, key: SlackThreadKey): Promise<string | undefined> {
  const [row] = await db
    .select({ threadId: slackThreads.threadId })
    .from(slackThreads)
    .where(and(eq(slackThreads.teamId, key.team), eq(slackThreads.channelId, key.channel), eq(slackThreads.threadTs, key.threadTs)));
  return row?.threadId;
}

export async function bindSlackThread(db: Db, key: SlackThreadKey, threadId: string): Promise<void> {
  await db
    .insert(slackThreads)
    .values({ teamId: key.team, channelId: key.channel, threadTs: key.threadTs, threadId })
    .onConflictDoNothing();
}
