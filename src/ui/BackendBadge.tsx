// Which tfjs backend (or the plain-TypeScript engine) runs the current model, and why.
import { useStore } from '../state/store';

export function BackendBadge() {
  const backend = useStore((s) => s.backend);
  const status = useStore((s) => s.status);
  if (!backend) {
    return status === 'running' ? (
      <p className="badge pending" data-testid="backend-badge">
        Choosing a backend…
      </p>
    ) : null;
  }
  return (
    <p className="badge" data-testid="backend-badge" data-backend={backend.name}>
      <strong>{backend.name === 'ts' ? 'TypeScript' : backend.name}</strong> {backend.reason}
    </p>
  );
}
