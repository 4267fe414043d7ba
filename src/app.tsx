// The page: the story (the landing page), the lab or classroom mode, by address (ui/route.ts).
import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { registerOffline } from './offline';
import { type Route, routeOf } from './ui/route';
import { prestart } from './ui/story/LiveFigure';
import { Story } from './ui/story/Story';
import { OPENING } from './ui/story/sections';
import './ui/styles.css';
import './ui/story/story.css';

// The story (the landing page) is bundled with the entry, so its code loads beside React's instead
// of after it; the lab (its controls and other views) and classroom mode come when asked for.
const Classroom = lazy(() =>
  import('./ui/classroom/Classroom').then((m) => ({ default: m.Classroom })),
);
const Lab = lazy(() =>
  import('./ui/Lab').then((m) => {
    m.startLab();
    return { default: m.Lab };
  }),
);

const initialRoute = routeOf(location.search, location.hash);
// The story's opening figure starts now: its worker boots while React draws the page.
if (initialRoute === 'story') prestart(OPENING);

function Root() {
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
  return (
    <Suspense fallback={null}>
      {route === 'story' ? <Story /> : route === 'classroom' ? <Classroom /> : <Lab />}
    </Suspense>
  );
}

registerOffline();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
