/**
 * Loads prompts/*.md once and fills `{{variables}}`. The front-matter header (who uses it, its variables, what an
 * edit changes) is for people and is stripped before a model sees the prompt.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROMPTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'prompts');

const cache = new Map<string, string>();

export function loadPrompt(name: string, dir = PROMPTS_DIR): string {
  const key = `${dir}/${name}`;
  let text = cache.get(key);
  if (text === undefined) {
    text = readFileSync(join(dir, `${name}.md`), 'utf8').replace(/^---\n[\s\S]*?\n---\n/, '').trim();
    cache.set(key, text);
  }
  return text;
}

/** Fill `{{name}}` placeholders; unknown names are left visible so a missing variable is noticed. */
export function renderPrompt(name: string, vars: Record<string, string | number> = {}, dir?: string): string {
  return loadPrompt(name, dir).replace(/\{\{(\w+)\}\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}
