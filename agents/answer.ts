/**
 * The answer shape (interfaces.md) and the plan events streamed while a run works.
 * Every surface (HTTP, SSE, OpenAI-compatible, Slack, CLI, evals) speaks these types.
 */
import { z } from 'zod';

export const ActionType = z.enum(['create_work_order', 'reschedule_order', 'send_command', 'adjust_shift']);
export type ActionType = z.infer<typeof ActionType>;

export const ActionStatus = z.enum(['pending_approval', 'approved', 'rejected', 'executed', 'failed']);
export type ActionStatus = z.infer<typeof ActionStatus>;

export const Window = z.object({ start: z.string(), end: z.string() });

export const Evidence = z.object({
  id: z.string(),
  kind: z.enum(['readings', 'alarm', 'order', 'simulation', 'analysis', 'record']),
  ref: z.string(),
  summary: z.string(),
  window: Window.optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const Action = z.object({
  id: z.string(),
  type: ActionType,
  params: z.record(z.string(), z.unknown()),
  risk: z.enum(['low', 'medium', 'high']),
  status: ActionStatus,
  proposed_by: z.string(),
  rationale: z.string(),
});
export type Action = z.infer<typeof Action>;

export const Answer = z.object({
  thread_id: z.string(),
  run_id: z.string(),
  provider: z.string(),
  route: z.object({ primary: z.string(), reviewers: z.array(z.string()), reason: z.string() }),
  answer: z.string(),
  recommendations: z.array(z.object({ text: z.string(), evidence: z.array(z.string()) })),
  actions: z.array(Action),
  evidence: z.array(Evidence),
  consensus: z.object({
    rounds: z.number(),
    agreed: z.array(z.string()),
    dissent: z.array(z.object({ expert: z.string(), concern: z.string() })),
  }),
  usage: z.object({
    llm_calls: z.number(),
    prompt_tokens: z.number(),
    completion_tokens: z.number(),
    tool_calls: z.number(),
    ms: z.number(),
  }),
});
export type Answer = z.infer<typeof Answer>;

/** Steps streamed over SSE while a plan runs; `answer` carries the final Answer. */
export type PlanEvent =
  | { type: 'route'; primary: string; reviewers: string[]; reason: string }
  | { type: 'expert_started'; expert: string; role: 'primary' | 'reviewer'; round: number }
  | { type: 'tool_call'; expert: string; tool: string; args: unknown }
  | { type: 'tool_result'; expert: string; tool: string; ok: boolean; summary: string; evidence: string[] }
  | { type: 'review'; expert: string; verdict: 'agree' | 'amend' | 'object'; concerns: string[] }
  | { type: 'consensus'; rounds: number; agreed: string[]; dissent: { expert: string; concern: string }[] }
  | { type: 'action_proposed'; action: Action }
  | { type: 'answer'; answer: Answer };
