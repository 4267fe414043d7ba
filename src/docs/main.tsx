// docs/embed.html: an author picks a model, a recipe (a preset, or a lab link pasted in), a figure,
// the controls and a theme, sees the live frame, and copies the <iframe> snippet. The figures are
// read from the preview frame itself (same origin), so every model's figures are offered, each by
// its public name (src/embed/figures.ts).
import { StrictMode, useEffect, useId, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { MODEL_SPECS } from '../core/models/registry';
import { DEFAULT_RECIPES, fieldsOf, MODELS, type Model, parseRecipe, specOf } from '../core/recipe';
import { figureName } from '../embed/figures';
import { EMBED_TRANSPORT } from '../embed/params';
import { registerOffline } from '../offline';
import { deserializeState, serializeState } from '../state/urlCodec';
import { CopyButton } from '../ui/CopyButton';
import '../ui/styles.css';
import { embedSrc, iframeSnippet } from './snippet';

const embedUrl = new URL('../embed.html', location.href).href;

function presetHash(model: Model, preset: string): string {
  const p = specOf(model).presets.find((x) => x.name === preset);
  const parsed = parseRecipe({ ...DEFAULT_RECIPES[model], ...(p?.recipe ?? {}) });
  return serializeState(parsed.ok ? parsed.recipe : DEFAULT_RECIPES[model], null);
}

function Builder() {
  const ids = { model: useId(), preset: useId(), link: useId(), figure: useId(), theme: useId() };
  const [model, setModel] = useState<Model>('gaussian1d');
  const [preset, setPreset] = useState('');
  const [link, setLink] = useState('');
  const [figures, setFigures] = useState<{ name: string; title: string }[]>([]);
  const [figure, setFigure] = useState('');
  const [controls, setControls] = useState<string[]>(['synth', 'play']);
  const [theme, setTheme] = useState<'light' | 'dark' | ''>('');
  const frame = useRef<HTMLIFrameElement>(null);

  // A pasted lab link wins over the preset; both are read by the lab's own codec.
  const pasted = link.includes('#') ? link.slice(link.indexOf('#') + 1) : link;
  const linkState = pasted.trim() ? deserializeState(`#${pasted.trim()}`) : null;
  const recipeHash = linkState ? serializeState(linkState.recipe, null) : presetHash(model, preset);
  const recipeModel = linkState?.recipe.model ?? model;
  const src = embedSrc({
    embedUrl,
    recipeHash,
    figure,
    controls,
    theme: theme || null,
  });

  // The preview's figures, read once its view has drawn them.
  useEffect(() => {
    const read = () => {
      const doc = frame.current?.contentDocument;
      const found = Array.from(
        doc?.querySelectorAll<HTMLElement>('figure[data-testid]') ?? [],
      ).flatMap((el) => {
        const name = figureName(el.dataset.testid ?? '');
        if (name === undefined) return [];
        return [{ name, title: el.querySelector('figcaption strong')?.textContent ?? name }];
      });
      if (found.length > 0) setFigures(found);
    };
    const timer = setInterval(read, 500);
    return () => clearInterval(timer);
  }, []);

  const fields = fieldsOf(recipeModel);
  const controlNames = [
    ...EMBED_TRANSPORT,
    ...specOf(recipeModel)
      .controls.filter((c) => fields[c])
      .map((c) => fields[c].short),
  ];
  const toggle = (c: string) =>
    setControls((old) => (old.includes(c) ? old.filter((x) => x !== c) : [...old, c]));
  const snippet = iframeSnippet({
    embedUrl,
    recipeHash,
    figure,
    controls,
    theme: theme || null,
    title: `Collapse Lab: ${MODEL_SPECS[recipeModel].displayName}`,
    height: 420,
  });

  return (
    <main className="docs">
      <h1>Embed a Collapse Lab figure</h1>
      <p className="lede">
        Pick an experiment and a figure, choose which controls readers get, and paste the snippet
        into your page. The figure runs in the reader's browser, needs no server and no special
        headers, starts when scrolled into view and pauses off-screen.
      </p>
      <form className="docs-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={ids.model}>Model</label>
        <select
          id={ids.model}
          value={model}
          data-testid="docs-model"
          onChange={(e) => {
            setModel(e.currentTarget.value as Model);
            setPreset('');
            setFigure('');
            setFigures([]);
          }}
        >
          {MODELS.map((m) => (
            <option key={m} value={m}>
              {MODEL_SPECS[m].displayName}
            </option>
          ))}
        </select>
        <label htmlFor={ids.preset}>Recipe</label>
        <select
          id={ids.preset}
          value={preset}
          data-testid="docs-preset"
          onChange={(e) => setPreset(e.currentTarget.value)}
        >
          <option value="">Default settings</option>
          {specOf(model).presets.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
        <label htmlFor={ids.link}>Or paste a link from the lab</label>
        <input
          id={ids.link}
          type="text"
          value={link}
          data-testid="docs-link"
          placeholder="…/index.html#model=gmm&M=1000…"
          onChange={(e) => setLink(e.currentTarget.value)}
        />
        {linkState && linkState.messages.length > 0 && (
          <p className="hint" role="status">
            {linkState.messages.join('; ')}
          </p>
        )}
        <label htmlFor={ids.figure}>Figure</label>
        <select
          id={ids.figure}
          value={figure}
          data-testid="docs-figure"
          onChange={(e) => setFigure(e.currentTarget.value)}
        >
          <option value="">The first figure</option>
          {figures.map((f) => (
            <option key={f.name} value={f.name}>
              {f.title}
            </option>
          ))}
        </select>
        <fieldset>
          <legend>Controls readers get</legend>
          {controlNames.map((c) => (
            <label key={c} className="docs-check">
              <input
                type="checkbox"
                checked={controls.includes(c)}
                onChange={() => toggle(c)}
                data-testid={`docs-control-${c}`}
              />{' '}
              {c}
            </label>
          ))}
        </fieldset>
        <label htmlFor={ids.theme}>Theme</label>
        <select
          id={ids.theme}
          value={theme}
          data-testid="docs-theme"
          onChange={(e) => setTheme(e.currentTarget.value as 'light' | 'dark' | '')}
        >
          <option value="">The reader's setting</option>
          <option value="light">Light</option>
          <option value="dark">Dark</option>
        </select>
      </form>
      <h2>The snippet</h2>
      <pre className="docs-snippet" data-testid="docs-snippet">
        {snippet}
      </pre>
      <CopyButton link={() => snippet} label="Copy the snippet" />
      <h2>Preview</h2>
      <iframe
        // A new address is a new frame (a changed hash alone would not reload it).
        key={src}
        ref={frame}
        src={src}
        title="Preview of the embedded figure"
        className="docs-preview"
        data-testid="docs-preview"
      />
      <h2>Talking to the figure</h2>
      <p>
        The frame and your page exchange messages with <code>postMessage</code>. Send{' '}
        <code>{'{type: "collapse-lab:set", recipe}'}</code> (a recipe object, or a lab link's part
        after <code>#</code>), <code>collapse-lab:play</code>, <code>collapse-lab:pause</code>,{' '}
        <code>collapse-lab:step</code> or <code>collapse-lab:reset</code>; the frame ignores any
        other message. It sends <code>collapse-lab:ready</code> (with the recipe it will run, on
        load and after each <code>set</code>), <code>collapse-lab:generation</code> (each
        generation's statistics, as the command line prints them), <code>collapse-lab:done</code>,{' '}
        <code>collapse-lab:resize</code> (its content's height) and <code>collapse-lab:error</code>.
      </p>
    </main>
  );
}

registerOffline();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Builder />
  </StrictMode>,
);
