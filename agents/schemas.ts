/** Structured outputs the graph asks every model for (names from src/llm/protocol STRUCTURED). */
import { z } from 'zod';

export const DraftSchema = z.object({
  answer: z.string().describe('the answer for the manager, short Markdown with the numbers that matter'),
  recommendations: z
    .array(z.object({ text: z.string(), evidence: z.array(z.string()).describe('evidence ids from tool results') }))
    .describe('what to do, each backed by evidence ids'),
});
export type DraftOutput = z.infer<typeof DraftSchema>;

export const ReviewSchema = z.object({
  verdict: z.enum(['agree', 'amend', 'object']),
  concerns: z.array(z.object({ text: z.string(), evidence: z.array(z.string()) })),
});
export type ReviewOutput = z.infer<typeof ReviewSchema>;
