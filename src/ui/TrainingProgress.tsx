// Progress of a run that trains a model per generation (the VAE, the diffusion model): what it
// is doing, an ETA, a bar over the whole run and Cancel. `prefix` names its test ids
// (`${prefix}-progress`, `-progress-label`, `-eta`, `-cancel`); Cancel asks the store to cancel.
import './trainingProgress.css';
import type { Model } from '../core/recipe';
import { resultsOf, useStore } from '../state/store';
import { fmtDuration, progressLabel } from './progress';

export function TrainingProgress({ model, prefix }: { model: Model; prefix: string }) {
  const onCancel = useStore((s) => s.requestCancel);
  const status = useStore((s) => s.status);
  const progress = useStore((s) => s.progress);
  const generations = useStore((s) => s.recipe.generations);
  const computed = useStore((s) => resultsOf(s, model).length);
  if (status !== 'running') return null;
  const g = progress?.generation ?? computed;
  const overall = Math.min(1, (g + (progress?.fraction ?? 0)) / (generations + 1));
  const label = progressLabel(progress);
  return (
    <div
      className="training-progress"
      data-testid={`${prefix}-progress`}
      data-phase={progress?.phase ?? 'starting'}
      data-generation={g}
    >
      <div className="training-progress-text" role="status" aria-live="polite">
        <span data-testid={`${prefix}-progress-label`}>{label}</span>
        {progress?.etaMs != null && (
          <span data-testid={`${prefix}-eta`}> — about {fmtDuration(progress.etaMs)} left</span>
        )}
      </div>
      <div className="training-progress-row">
        <progress
          max={1}
          value={overall}
          aria-label={`Training: generation ${g} of ${generations}, ${Math.round(overall * 100)} % of the run`}
        />
        <button
          type="button"
          data-testid={`${prefix}-cancel`}
          onClick={onCancel}
          aria-label="Cancel training"
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
