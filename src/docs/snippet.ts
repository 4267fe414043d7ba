// The <iframe> snippet an author pastes into an article, and the few lines that size the frame
// from its `collapse-lab:resize` messages. Pure: the docs page and its tests build the same text.

export interface SnippetOptions {
  /** Absolute address of embed.html. */
  embedUrl: string;
  /** A lab link's hash (the recipe), without '#'. */
  recipeHash: string;
  figure: string;
  controls: readonly string[];
  theme: 'light' | 'dark' | null;
  title: string;
  height: number;
}

export function embedSrc(o: Omit<SnippetOptions, 'title' | 'height'>): string {
  const params = new URLSearchParams(o.recipeHash.replace(/^#/, ''));
  if (o.figure) params.set('figure', o.figure);
  if (o.controls.length > 0) params.set('controls', o.controls.join(','));
  if (o.theme) params.set('theme', o.theme);
  // Commas read better than %2C and URLs allow them in fragments.
  return `${o.embedUrl}#${params.toString().replaceAll('%2C', ',')}`;
}

const escapeAttribute = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;');

export function iframeSnippet(o: SnippetOptions): string {
  return [
    `<iframe src="${escapeAttribute(embedSrc(o))}"`,
    `  title="${escapeAttribute(o.title)}" loading="lazy"`,
    `  style="width: 100%; height: ${o.height}px; border: 0"></iframe>`,
    '<script>',
    '  // Collapse Lab frames report their height: size each one to its content.',
    "  addEventListener('message', (e) => {",
    "    if (e.data?.type !== 'collapse-lab:resize') return;",
    "    for (const f of document.querySelectorAll('iframe'))",
    '      if (f.contentWindow === e.source) f.style.height = e.data.height + "px";',
    '  });',
    '</script>',
  ].join('\n');
}
