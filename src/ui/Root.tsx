// The page's React tree: the story (the landing page), the lab or classroom mode, by address
// (ui/route.ts). The browser renders it (src/app.tsx) and the build prerenders the story with it
// (ui/story/prerender.tsx), so both render the same tree and the browser can hydrate the build's.
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import type { PrerenderedFigures } from './prerendered';
import { type Route, routeOf } from './route';
import { Story } from './story/Story';

// The story is bundled with the entry; the lab (its controls and other views) and classroom mode
// come when asked for.
const Classroom = lazy(() =>
  import('./classroom/Classroom').then((m) => ({ default: m.Classroom })),
);
const Lab = lazy(() =>
  import('./Lab').then((m) => {
    m.startLab();
    return { default: m.Lab };
  }),
);

export interface RootProps {
  initialRoute: Route;
  /** Charts the build drew into the page, by story section (ui/prerendered.tsx). */
  prerendered?: PrerenderedFigures;
}

function Pages({ initialRoute, prerendered }: RootProps) {
  const [route, setRoute] = useState<Route>(initialRoute);
  useEffect(() => {
    // The story's links into the lab only change the hash: follow them without a reload.
    const onHash = () => {
      const next = routeOf(location.search, location.hash);
      setRoute((r) => {
        if (r === 'story' && next === 'lab') window.scrollTo(0, 0);
        return r === 'story' ? next : r;
      });
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // The head's route script named the first page; keep the name true as the reader moves on.
  useEffect(() => {
    document.documentElement.dataset.route = route;
  }, [route]);
  return (
    <Suspense fallback={null}>
      {route === 'story' ? (
        <Story prerendered={prerendered} />
      ) : route === 'classroom' ? (
        <Classroom />
      ) : (
        <Lab />
      )}
    </Suspense>
  );
}

export function Root(props: RootProps) {
  return (
    <StrictMode>
      <Pages {...props} />
    </StrictMode>
  );
}
