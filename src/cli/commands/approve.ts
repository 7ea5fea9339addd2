/**
 * `twin approve ACTION_ID [--reject] [--comment TEXT]`: a person's decision on a proposed action. Through the service
 * when one answers (the API key's role must match the action's risk); otherwise in-process, as the local operator
 * (admin) of the store in DATA_DIR. The paused copilot thread resumes: the action executes or the rejection is recorded.
 */
import type { Command } from 'commander';
import type { Action } from '../../../agents/answer';
import { action, printJson } from '../output';

export function register(program: Command): void {
  program
    .command('approve')
    .description('approve (or --reject) an action the copilot proposed')
    .argument('<action_id>', 'the action id, e.g. act_…')
    .option('--reject', 'reject instead of approving')
    .option('--comment <text>', 'a note kept with the decision')
    .option('--json', 'print the action as JSON')
    .option('--local', 'open the store directly even when a service answers')
    .action(
      action(async (id: string, opts: { reject?: boolean; comment?: string; json?: boolean; local?: boolean }) => {
        const { loadConfig } = await import('../../config');
        const { validationError } = await import('../../errors');
        const problems: { path: string; message: string }[] = [];
        if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(id)) problems.push({ path: 'action_id', message: 'not an action id' });
        if (opts.comment !== undefined && opts.comment.length > 2000) problems.push({ path: '--comment', message: 'at most 2000 characters' });
        if (problems.length) throw validationError('invalid approve', problems);

        const config = loadConfig();
        const { serviceBase, serviceUp, postJson, openLocalCopilot } = await import('../local/copilot');
        const base = serviceBase(config);
        let result: Action;
        if (!opts.local && (await serviceUp(base))) {
          result = await postJson<Action>(base, config.TWIN_API_KEY, `/api/v1/actions/${encodeURIComponent(id)}/${opts.reject ? 'reject' : 'approve'}`, opts.comment ? { comment: opts.comment } : {});
        } else {
          const { systemClock } = await import('../../clock');
          const local = await openLocalCopilot(config, { clock: systemClock, empty: true, log: (m) => process.stderr.write(`${m}\n`) });
          try {
            result = await local.copilot.decide({ actionId: id, approve: !opts.reject, comment: opts.comment, actor: { id: 'cli', role: 'admin', via: 'cli' } });
          } finally {
            await local.close();
          }
        }
        if (opts.json) return printJson(result);
        process.stdout.write(`${result.id} ${result.type} ${JSON.stringify(result.params)}: ${result.status}\n`);
      }),
    );
}
