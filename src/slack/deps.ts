/**
 * What the Slack surface needs from the rest of the service, as small interfaces so that the handlers can be
 * tested with a real copilot or a stand-in, and so that Slack code never reaches into the store directly.
 */
import type { Action, Answer, PlanEvent } from '../../agents/answer';
import type { Actor, Role } from '../control/roles';
import type { Db } from '../store';
import { bindSlackThread, claimSlackEvent, findSlackThread, type SlackThreadKey } from '../store/queries/slack';

export type { SlackThreadKey };

export interface SlackCopilot {
  ask(
    req: { task: string; threadId?: string; actor?: Actor },
    opts?: { onEvent?: (e: PlanEvent) => void },
  ): Promise<Answer>;
  /** Approve or reject; throws AppError('forbidden') (already audited) when the actor's role is too low. */
  decide(req: { actionId: string; approve: boolean; comment?: string; actor: Actor }): Promise<{ action: Action }>;
}

/** Slack bookkeeping kept in the store, so that it survives restarts and is shared by replicas. */
export interface SlackState {
  /** Claim a Slack event/request id. False when it was already claimed: a retry, which must not run twice. */
  claim(id: string): Promise<boolean>;
  /** The copilot thread bound to a Slack thread (team/channel/thread_ts). */
  threadFor(key: SlackThreadKey): Promise<string | undefined>;
  bindThread(key: SlackThreadKey, threadId: string): Promise<void>;
}

export interface SlackConfig {
  signingSecret: string;
  botToken?: string;
  /** Base URL of Slack's Web API (a proxy or a test stand-in). */
  apiUrl?: string;
  /** Slack user id → role; unlisted users are viewers. */
  userRoles: Record<string, Role>;
  /** Base URL of the web app, for links. */
  webUrl: string;
}

export interface SlackDeps {
  config: SlackConfig;
  copilot: SlackCopilot;
  state: SlackState;
  /** Where background work is handed off after the 3-second acknowledgement; tests await it. */
  background?: (work: Promise<unknown>) => void;
  /** For response_url posts; defaults to global fetch. */
  fetch?: typeof fetch;
  log?: (msg: string, err?: unknown) => void;
}

export function roleOf(config: SlackConfig, userId: string): Role {
  return config.userRoles[userId] ?? 'viewer';
}

/** In-memory state for tests and single-process use without a store. */
export function memorySlackState(): SlackState {
  const claimed = new Set<string>();
  const threads = new Map<string, string>();
  return {
    async claim(id) {
      if (claimed.has(id)) return false;
      claimed.add(id);
      return true;
    },
    async threadFor(key) {
      return threads.get(JSON.stringify(key));
    },
    async bindThread(key, threadId) {
      threads.set(JSON.stringify(key), threadId);
    },
  };
}

/** Slack state in the twin store: survives restarts and is shared by every replica. */
export function storeSlackState(db: Db): SlackState {
  return {
    claim: (id) => claimSlackEvent(db, id),
    threadFor: (key) => findSlackThread(db, key),
    bindThread: (key, threadId) => bindSlackThread(db, key, threadId),
  };
}
