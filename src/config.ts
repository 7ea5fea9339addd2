/**
 * The one zod schema for the environment. This is the only module that reads process.env:
 * everything else receives a Config from the composition root (src/main.ts, src/cli/*).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');

const jsonRecord = z
  .string()
  .transform((s, ctx) => {
    try {
      return JSON.parse(s) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string(), z.enum(['viewer', 'operator', 'manager', 'admin'])));

export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('127.0.0.1'),
  /** Public base URL for links in Slack messages and the login URL; defaults to http://HOST:PORT. */
  PUBLIC_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.string().optional(),
  MQTT_URL: z.string().optional(),
  /** MQTT 5 shared-subscription group; replicas in one group split the telemetry. */
  MQTT_GROUP: z.string().default('twinpilot'),
  LLM_PROVIDER: z.enum(['auto', 'openai', 'ollama', 'offline']).default('auto'),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().optional(),
  OPENAI_MODEL: z.string().default('gpt-4o-mini'),
  OLLAMA_HOST: z.string().optional(),
  OLLAMA_MODEL: z.string().default('llama3.1'),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).default(2),
  /** Review rounds before the answer states the dissent. */
  CONSENSUS_MAX_ROUNDS: z.coerce.number().int().min(1).max(5).default(2),
  /** Tool-loop step cap of one expert. */
  EXPERT_MAX_STEPS: z.coerce.number().int().min(1).max(30).default(8),
  SIMULATOR: onOff.optional(),
  SIM_SEED: z.coerce.number().int().default(42),
  SIM_SPEED: z.coerce.number().positive().default(1),
  SIM_BACKFILL: z.string().default('7d'),
  COMMAND_ACK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  INGEST_MAX_BODY_BYTES: z.coerce.number().int().positive().default(64 * 1024 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  SLACK_SIGNING_SECRET: z.string().optional(),
  SLACK_BOT_TOKEN: z.string().optional(),
  SLACK_API_URL: z.string().optional(),
  /** Slack user id → role, as JSON: {"U012ABC":"manager"}. Unlisted Slack users are viewers. */
  SLACK_USER_ROLES: jsonRecord.default({}),
  /** The CLI talks to a running service here when one answers. */
  TWIN_URL: z.string().optional(),
  TWIN_API_KEY: z.string().optional(),
  /** CI gate: `twin eval` exits 1 when the pass rate is below this. */
  EVAL_PASS_THRESHOLD: z.coerce.number().min(0).max(1).default(0.9),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parse a config from an environment-like record (tests pass their own). */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = ConfigSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  return result.data;
}

/** Read the process environment, with `.env` (when present) filling what is unset. */
export function loadConfig(overrides: Record<string, string | undefined> = {}): Config {
  const fromFile = existsSync('.env') ? parseDotenv(readFileSync('.env')) : {};
  return parseConfig({ ...fromFile, ...process.env, ...overrides });
}

/** Base URL people reach the service at. */
export function publicUrl(config: Config): string {
  return config.PUBLIC_URL ?? `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${config.PORT}`;
}
