/**
 * The expert registry. The route enum, the `<experts>` cards and the per-expert tool sets are all built from this
 * list, so adding an expert is adding a file here and a prompt in prompts/.
 */
import { z } from 'zod';
import type { ExpertCard } from '../../src/llm/protocol';
import { energy } from './energy';
import { maintenance } from './maintenance';
import { production } from './production';
import type { ExpertDef } from './types';
import { workforce } from './workforce';

export type { ExpertDef } from './types';

export const EXPERTS: readonly ExpertDef[] = [maintenance, production, energy, workforce];

export function expertCards(experts: readonly ExpertDef[] = EXPERTS): ExpertCard[] {
  return experts.map(({ name, description, examples, reviews }) => ({ name, description, examples, reviews }));
}

/** The route structured output, its enum built from the registry. */
export function routeSchema(experts: readonly ExpertDef[] = EXPERTS) {
  const names = experts.map((e) => e.name) as [string, ...string[]];
  const Name = z.enum(names);
  return z.object({
    primary: Name.describe('the expert that answers the task'),
    reviewers: z.array(Name).describe('experts whose concerns the task touches; they review the draft'),
    reason: z.string().describe('one sentence: why this expert'),
  });
}

export function expertByName(name: string, experts: readonly ExpertDef[] = EXPERTS): ExpertDef | undefined {
  return experts.find((e) => e.name === name);
}
