/**
 * The chat-model factory, chosen by LLM_PROVIDER: `openai` (any OpenAI-compatible server), `ollama`, `offline`, or
 * `auto` — openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else ollama when OLLAMA_HOST answers, else offline.
 * Imports config only (ARCHITECTURE.md); the graph gets the model and the offline fallback from here.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { Config } from '../config';
import { createOfflineModel } from './offline';
import { createOllamaModel, ollamaAnswers } from './providers/ollama';
import { createOpenAIModel } from './providers/openai';
import type { CallPolicy } from './retry';

export type ProviderName = 'openai' | 'ollama' | 'offline';

export type LlmConfig = Pick<
  Config,
  'LLM_PROVIDER' | 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'OLLAMA_HOST' | 'OLLAMA_MODEL' | 'LLM_TIMEOUT_MS' | 'LLM_MAX_RETRIES'
>;

export interface ChatModelChoice {
  provider: ProviderName;
  model: BaseChatModel;
}

export interface ModelSet {
  /** The configured model. */
  primary: ChatModelChoice;
  /** What a run falls back to when the primary fails mid-run (the primary itself when it is offline). */
  offline: BaseChatModel;
  /** Timeout and retries of every call. */
  policy: CallPolicy;
}

/** Resolve `auto` to a concrete provider; `probe` is injectable so tests need no Ollama. */
export async function pickProvider(config: LlmConfig, probe: (host?: string) => Promise<boolean> = ollamaAnswers): Promise<ProviderName> {
  if (config.LLM_PROVIDER !== 'auto') return config.LLM_PROVIDER;
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) return 'openai';
  if (config.OLLAMA_HOST && (await probe(config.OLLAMA_HOST))) return 'ollama';
  return 'offline';
}

export function policyOf(config: Pick<Config, 'LLM_TIMEOUT_MS' | 'LLM_MAX_RETRIES'>): CallPolicy {
  return { timeoutMs: config.LLM_TIMEOUT_MS, retries: config.LLM_MAX_RETRIES };
}

export interface CreateModelsOptions {
  /** Builds the offline model; defaults to src/llm/offline. */
  offline?: () => BaseChatModel;
  probe?: (host?: string) => Promise<boolean>;
  /** Force a provider (e.g. `twin eval --provider`), overriding LLM_PROVIDER. */
  provider?: ProviderName;
}

export async function createModels(config: LlmConfig, options: CreateModelsOptions = {}): Promise<ModelSet> {
  const provider = options.provider ?? (await pickProvider(config, options.probe));
  const offline = (options.offline ?? createOfflineModel)();
  const model = provider === 'openai' ? createOpenAIModel(config) : provider === 'ollama' ? createOllamaModel(config) : offline;
  return { primary: { provider, model }, offline, policy: policyOf(config) };
}

export { withRetry, ModelCallError, type CallPolicy } from './retry';
