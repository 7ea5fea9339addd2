/** What an expert is: the registry entry the router, the graph and the prompts read. */
export interface ExpertDef {
  /** Route enum value and `proposed_by` of its actions. */
  name: string;
  /** What it answers, for the router (a real model or the offline scorer). */
  description: string;
  /** Tasks phrased the way managers ask them; generic, never naming one plant's things. */
  examples: string[];
  /** Concerns it checks when it reviews another expert's draft. */
  reviews: string[];
  /** Tool names it may call as the primary expert (agents/tools registry keys). */
  tools: string[];
  /** Tool names it may call while reviewing (read-only: never propose_action). */
  reviewTools: string[];
  /** File in prompts/ (without .md) holding its system prompt. */
  prompt: string;
}
