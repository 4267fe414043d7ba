// The embed's address: `embed.html#<recipe>&figure=<name>&controls=synth,play&theme=dark`. The
// recipe part is a lab link (read by the same codec, untrusted); `figure`, `controls` and `theme`
// say what the frame shows. Unknown values are named in a message and left out. The figure names
// are in src/embed/figures.ts.
import { fieldsOf, groupsOf, type Model } from '../core/recipe';

export const THEMES = ['light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
/** The transport's parts an embed may show (the names of Transport's parts). */
export const EMBED_TRANSPORT = ['play', 'step', 'reset', 'scrubber'] as const;
export type EmbedTransport = (typeof EMBED_TRANSPORT)[number];
const EMBED_KEYS = ['figure', 'controls', 'theme'] as const;
/** What may be a figure name (a public name, or the camelCase alias of one). */
const FIGURE_NAME = /^[A-Za-z0-9-]{1,60}$/;

export interface EmbedParams {
  /** The hash without the embed's own parameters: a lab link's recipe. */
  recipeHash: string;
  figure: string | null;
  /** Names as the link gives them (field short names, field names, transport parts). */
  controls: string[];
  theme: Theme | null;
  messages: string[];
}

export function readEmbedHash(hash: string): EmbedParams {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const messages: string[] = [];
  const figure = params.get('figure');
  const controls = (params.get('controls') ?? '')
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const askedTheme = params.get('theme');
  let theme: Theme | null = null;
  if (askedTheme !== null) {
    if ((THEMES as readonly string[]).includes(askedTheme)) theme = askedTheme as Theme;
    else messages.push(`theme: ${JSON.stringify(askedTheme)} is not one of ${THEMES.join(', ')}`);
  }
  for (const k of EMBED_KEYS) params.delete(k);
  return {
    recipeHash: params.toString(),
    figure: figure && FIGURE_NAME.test(figure) ? figure : null,
    controls,
    theme,
    messages:
      figure !== null && !FIGURE_NAME.test(figure)
        ? [...messages, `figure: ${JSON.stringify(figure.slice(0, 60))} is not a figure name`]
        : messages,
  };
}

/** Splits `controls=` into the model's fields (by name) and transport parts; names the rest. */
export function embedControls(
  model: Model,
  names: readonly string[],
): { fields: string[]; transport: EmbedTransport[]; unknown: string[] } {
  const fields = fieldsOf(model);
  const groups = groupsOf(model);
  const byShort = new Map(Object.entries(fields).map(([name, f]) => [f.short, name]));
  const out = {
    fields: [] as string[],
    transport: [] as EmbedTransport[],
    unknown: [] as string[],
  };
  for (const n of names) {
    if ((EMBED_TRANSPORT as readonly string[]).includes(n)) {
      if (!out.transport.includes(n as EmbedTransport)) out.transport.push(n as EmbedTransport);
      continue;
    }
    const field =
      byShort.get(n) ?? (Object.hasOwn(fields, n) || Object.hasOwn(groups, n) ? n : undefined);
    if (field === undefined || field === 'model') out.unknown.push(n);
    else if (!out.fields.includes(field)) out.fields.push(field);
  }
  return out;
}
