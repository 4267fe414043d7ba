// Sharing and files: copy the link to this experiment; export each figure (PNG, SVG), the
// per-generation statistics (CSV) and the recipe (JSON); import a recipe file (picker or drop
// anywhere on the page) to rerun it with the same numbers. Generic over models: figures are
// found in the rendered view, statistics come from the model spec's metrics.
import { useEffect, useId, useRef, useState } from 'react';
import { comparisonCsv, parseRecipeFile, recipeJson, statsCsv } from '../core/export';
import { type AppState, type AppStore, labStore, useStore, useStoreApi } from '../state/store';
import { CopyButton } from './CopyButton';
import {
  download,
  type ExportableFigure,
  exportableFigures,
  figurePng,
  figureSvg,
} from './figureExport';

const baseName = (s: AppState) => `collapse-lab-${s.recipe.model}-seed${s.recipe.seed}`;

/** Reads a dropped or picked file as a recipe and runs it; bad files get a message. */
export async function importRecipeFile(file: File, store: AppStore = labStore): Promise<void> {
  const { setRecipe, setCursor, showMessages } = store.getState();
  let text: string;
  try {
    text = await file.text();
  } catch {
    showMessages([`${file.name}: the file could not be read`]);
    return;
  }
  const parsed = parseRecipeFile(text);
  if (!parsed.ok) {
    showMessages([`${file.name}: ${parsed.error}; nothing was changed`]);
    return;
  }
  setCursor(null);
  setRecipe(parsed.recipe, parsed.warnings);
}

function FigureExport() {
  const id = useId();
  const [figures, setFigures] = useState<ExportableFigure[]>([]);
  const [chosen, setChosen] = useState('');
  const model = useStore((s) => s.recipe.model);
  const store = useStoreApi();
  const ref = useRef<HTMLDivElement>(null);
  // Figures are whatever the current view renders (lazy views mount a moment later).
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-read when the model changes
  useEffect(() => {
    const scan = () => {
      const found = exportableFigures(ref.current?.closest('main') ?? document);
      setFigures((old) =>
        old.length === found.length && old.every((f, i) => f.id === found[i].id) ? old : found,
      );
    };
    scan();
    const observer = new MutationObserver(scan);
    const stage = ref.current?.closest('main');
    if (stage) observer.observe(stage, { childList: true, subtree: true });
    return () => observer.disconnect();
  }, [model]);
  const current = figures.find((f) => f.id === chosen) ?? figures[0];
  const element = () =>
    current
      ? (document.querySelector(
          `figure[data-testid="${CSS.escape(current.id)}"]`,
        ) as HTMLElement | null)
      : null;
  const name = () => `${baseName(store.getState())}-${current?.id ?? 'figure'}`;
  return (
    <div className="export-row" ref={ref}>
      <label htmlFor={id}>Figure</label>
      <select
        id={id}
        data-testid="export-figure"
        value={current?.id ?? ''}
        onChange={(e) => setChosen(e.currentTarget.value)}
      >
        {figures.map((f) => (
          <option key={f.id} value={f.id}>
            {f.title}
          </option>
        ))}
      </select>
      <button
        type="button"
        data-testid="export-png"
        disabled={!current}
        onClick={async () => {
          const el = element();
          if (el) download(`${name()}.png`, await figurePng(el));
        }}
      >
        PNG
      </button>
      <button
        type="button"
        data-testid="export-svg"
        disabled={!current}
        onClick={() => {
          const el = element();
          if (el) download(`${name()}.svg`, figureSvg(el).markup, 'image/svg+xml');
        }}
      >
        SVG
      </button>
    </div>
  );
}

export function ShareTools() {
  const fileId = useId();
  const done = useStore((s) => s.status === 'done');
  const store = useStoreApi();
  useEffect(() => {
    // A recipe file dropped anywhere on the page is imported.
    const over = (e: DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    const drop = (e: DragEvent) => {
      const file = e.dataTransfer?.files[0];
      if (!file) return;
      e.preventDefault();
      void importRecipeFile(file, store);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [store]);
  return (
    <div className="share-tools">
      <CopyButton />
      <details className="export" data-testid="export">
        <summary>Export and import</summary>
        <FigureExport />
        <div className="export-row">
          <button
            type="button"
            data-testid="export-csv"
            disabled={!done}
            title={done ? undefined : 'Available when the run has finished'}
            onClick={() => {
              const s = store.getState();
              const rowsOf = (results: typeof s.results) =>
                results.map((r) => ({
                  generation: r.generation,
                  stats: r.stats,
                  training: r.chain.training,
                }));
              // A comparison exports every variant, named, one after another.
              const text = s.comparison
                ? comparisonCsv(
                    s.resultsModel,
                    s.comparison.variants.map((v, i) => ({
                      label: v.label,
                      rows: rowsOf(s.variants[i] ?? []),
                    })),
                  )
                : statsCsv(s.resultsModel, rowsOf(s.results));
              download(`${baseName(s)}.csv`, text, 'text/csv');
            }}
          >
            Statistics (CSV)
          </button>
          <button
            type="button"
            data-testid="export-json"
            onClick={() => {
              const s = store.getState();
              download(`${baseName(s)}.json`, recipeJson(s.recipe), 'application/json');
            }}
          >
            Recipe (JSON)
          </button>
          <label htmlFor={fileId} className="import-label">
            Import a recipe (JSON)
          </label>
          <input
            id={fileId}
            type="file"
            accept=".json,application/json"
            data-testid="import-recipe"
            onChange={(e) => {
              const file = e.currentTarget.files?.[0];
              e.currentTarget.value = '';
              if (file) void importRecipeFile(file, store);
            }}
          />
        </div>
        <p className="hint">
          To show a figure in your own page, <a href="./docs/embed.html">embed it</a>. Or drop a
          recipe file anywhere on the page. A recipe reruns with the same numbers: the seed is part
          of it. The CLI reads the same file:{' '}
          <code>npm run -s experiment -- --recipe file.json</code>.
        </p>
      </details>
    </div>
  );
}
