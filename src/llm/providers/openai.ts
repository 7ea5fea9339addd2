/**
 * Any OpenAI-compatible server (OpenAI, Azure, vLLM, llama.cpp server, LM Studio) through `@langchain/openai`.
 * Retries are left to `withRetry` in ../retry so there is exactly one retry layer with one backoff policy.
 */
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../../config';

export type OpenAIConfig = Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'OPENAI_MODEL' | 'LLM_TIMEOUT_MS'>;

export function createOpenAIModel(config: OpenAIConfig): ChatOpenAI {
  return new ChatOpenAI({
    model: config.OPENAI_MODEL,
    // Local servers often need no key, but the client insists on one.
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    configuration: config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : undefined,
    timeout: config.LLM_TIMEOUT_MS,
    maxRetries: 0,
    temperature: 0,
    // The graph calls .stream() (agents/model-call.ts), so tokens flow as the server sends them; usage arrives in
    // the last chunk (stream_options). `streaming` stays off because invoke() with it on can hang.
    streamUsage: true,
  });
}
