/**
 * Cost of a run in US dollars, from token counts. The offline model costs nothing. Prices are per million tokens for
 * a few well-known hosted models; an unknown model (a local server, Ollama) has no price and reports tokens only.
 */
import type { Usage } from './types';

const PRICES: Record<string, { input: number; output: number }> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
};

/** null when the price is unknown. */
export function costUsd(usage: Usage, provider: string, model?: string): number | null {
  if (provider === 'offline' || provider === 'ollama') return 0;
  const p = model ? PRICES[model] : undefined;
  if (!p) return null;
  return (usage.prompt_tokens * p.input + usage.completion_tokens * p.output) / 1e6;
}
