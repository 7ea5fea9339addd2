/**
 * `twin ask "TASK" [--thread ID] [--json] [--at ISO] [--empty]`: run the copilot once. Through the service's HTTP API
 * when one answers; otherwise in-process over the store in DATA_DIR (an empty store gets the demo plant first).
 * Prints the answer for people, or the Answer JSON of interfaces.md with --json.
 */
import type { Command } from 'commander';
import type { Answer } from '../../../agents/answer';
import { action, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('ask')
    .description('ask the copilot a planning question')
    .argument('<task>', 'the question or task, in plain language')
    .option('--thread <id>', 'continue a conversation (thread id from an earlier answer)')
    .option('--at <iso>', 'freeze "now" for this run (ISO 8601)')
    .option('--json', 'print the answer as JSON')
    .option('--empty', 'do not load the demo plant into an empty store')
    .option('--local', 'open the store directly even when a service answers')
    .action(
      action(async (task: string, opts: { thread?: string; at?: string; json?: boolean; empty?: boolean; local?: boolean }) => {
        const { loadConfig } = await import('../../config');
        const { validationError } = await import('../../errors');
        const problems: { path: string; message: string }[] = [];
        if (!task.trim()) problems.push({ path: 'task', message: 'a task is required' });
        if (opts.at && Number.isNaN(Date.parse(opts.at))) problems.push({ path: '--at', message: `not an ISO time: ${opts.at}` });
        if (opts.thread && !/^[A-Za-z0-9_.:-]{1,128}$/.test(opts.thread)) problems.push({ path: '--thread', message: 'letters, digits, . : _ - only, at most 128' });
        if (problems.length) throw validationError('invalid ask', problems);

        const config = loadConfig();
        const { serviceBase, serviceUp, postJson, openLocalCopilot } = await import('../local/copilot');
        const base = serviceBase(config);
        let answer: Answer;
        if (!opts.local && (await serviceUp(base))) {
          answer = await postJson<Answer>(base, config.TWIN_API_KEY, '/api/v1/plans', { task, thread_id: opts.thread, at: opts.at });
        } else {
          const { fixedClock, systemClock } = await import('../../clock');
          const clock = opts.at ? fixedClock(opts.at) : systemClock;
          const local = await openLocalCopilot(config, { clock, empty: opts.empty, log: (m) => process.stderr.write(`${m}\n`) });
          try {
            answer = await local.copilot.ask({ task, threadId: opts.thread, at: opts.at, actor: { id: 'cli', role: 'admin', via: 'cli' } });
          } finally {
            await local.close();
          }
        }
        if (opts.json) return printJson(answer);
        process.stdout.write(`${render(answer)}\n`);
      }),
    );
}

function render(a: Answer): string {
  const route = `${a.route.primary}${a.route.reviewers.length ? ` (reviewed by ${a.route.reviewers.join(', ')})` : ''}`;
  const lines = [a.answer, ''];
  if (a.evidence.length) lines.push('Evidence:', ...a.evidence.map((e) => `  ${e.id}  ${e.ref}: ${e.summary}`), '');
  lines.push(
    `thread ${a.thread_id} · ${route} · ${a.provider} · ${a.usage.llm_calls} model calls, ${a.usage.tool_calls} tool calls, ${a.usage.ms} ms`,
  );
  if (a.actions.some((x) => x.status === 'pending_approval')) lines.push('Approve with: twin approve ACTION_ID   (or --reject)');
  return lines.join('\n');
}
