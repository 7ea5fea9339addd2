/** A local Ollama through `@langchain/ollama`, and the probe `LLM_PROVIDER=auto` uses to see whether one answers. */
import { ChatOllama } from '@langchain/ollama';
import type { Config } from '../../config';

export type OllamaConfig = Pick<Config, 'OLLAMA_HOST' | 'OLLAMA_MODEL'>;

export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export function createOllamaModel(config: OllamaConfig): ChatOllama {
  return new ChatOllama({ model: config.OLLAMA_MODEL, baseUrl: config.OLLAMA_HOST ?? DEFAULT_OLLAMA_HOST, temperature: 0, maxRetries: 0 });
}

/** True when an Ollama answers at the host within the timeout (GET /api/tags). */
export async function ollamaAnswers(host: string | undefined, timeoutMs = 800): Promise<boolean> {
  try {
    const res = await fetch(`${(host ?? DEFAULT_OLLAMA_HOST).replace(/\/$/, '')}/api/tags`, { signal: AbortSignal.timeout(timeoutMs) });
    return res.ok;
  } catch {
    return false;
  }
}
