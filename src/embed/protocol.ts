// The embed protocol (docs/architecture.md, "Embed protocol"): what a parent may send, checked
// with zod (a message of any other shape is ignored), and what the frame sends back.

import type { AnyRecipe } from '../core/recipe';
import { z } from '../core/schema';
import type { Summary } from '../core/summary';

const PREFIX = 'collapse-lab:';

/** Parent → frame. `set`'s recipe is a recipe object or a lab link's hash, validated like a link. */
const Incoming = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal(`${PREFIX}set`),
    recipe: z.union([z.record(z.string(), z.unknown()), z.string().check(z.maxLength(4000))]),
  }),
  z.strictObject({ type: z.literal(`${PREFIX}play`) }),
  z.strictObject({ type: z.literal(`${PREFIX}pause`) }),
  z.strictObject({ type: z.literal(`${PREFIX}step`) }),
  z.strictObject({ type: z.literal(`${PREFIX}reset`) }),
]);
export type IncomingMessage = z.infer<typeof Incoming>;

/** The message if it has one of the protocol's shapes, else null. Never throws. */
export function readMessage(data: unknown): IncomingMessage | null {
  const parsed = Incoming.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/** One generation as the CLI prints it: its summaries across chains (null: no number). */
export interface GenerationSummary {
  generation: number;
  stats: Record<string, Summary | null>;
}

/** Frame → parent. */
export type OutgoingMessage =
  | { type: 'collapse-lab:ready'; recipe: AnyRecipe }
  | ({ type: 'collapse-lab:generation' } & GenerationSummary)
  | { type: 'collapse-lab:done'; generations: GenerationSummary[] }
  | { type: 'collapse-lab:resize'; height: number }
  | { type: 'collapse-lab:error'; message: string };
