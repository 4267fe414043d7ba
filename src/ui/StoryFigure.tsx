// A model's figure in the story: its training progress when it trains a network per generation,
// its own chart (the children), and one of its metric charts beside it.
import type { ReactNode } from 'react';
import type { Model } from '../core/recipe';
import { MetricFigure, type MetricSpec } from './MetricFigure';
import { TrainingProgress } from './TrainingProgress';

export function StoryFigure({
  model,
  figures,
  metric,
  testId,
  trains = false,
  children,
}: {
  model: Model;
  /** The view's metric figures; `metric` picks the one shown (test id `testId`). */
  figures: readonly MetricSpec[];
  metric: string;
  testId: string;
  /** Shows the training progress (test ids prefixed by the model's name) with Cancel. */
  trains?: boolean;
  children: ReactNode;
}) {
  const spec = figures.find((m) => m.metric === metric);
  if (!spec) throw new Error(`${model} has no metric figure ${metric}`);
  return (
    <div className="story-figure-grid">
      {trains && <TrainingProgress model={model} prefix={model} />}
      {children}
      <MetricFigure model={model} spec={spec} testId={testId} />
    </div>
  );
}
