// A button that copies a text (by default this page's address: a link to the experiment) and says
// whether it worked.
import { useEffect, useState } from 'react';
import { copyText } from './clipboard';

export function CopyButton({
  link = () => location.href,
  label = 'Copy link',
}: {
  /** The text to copy (default: this page's address, which holds the whole experiment). */
  link?: () => string;
  label?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 4000);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <span className="copy-link">
      <button
        type="button"
        data-testid="copy-link"
        onClick={async () => setState((await copyText(link())) ? 'copied' : 'failed')}
      >
        {label}
      </button>
      <span role="status" className="copy-status" data-testid="copy-status">
        {state === 'copied'
          ? label === 'Copy link'
            ? 'Link copied: it reopens this experiment with the same numbers.'
            : 'Copied.'
          : state === 'failed'
            ? 'Could not copy: select the text and copy it.'
            : ''}
      </span>
    </span>
  );
}
