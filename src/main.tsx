import { lazy, StrictMode, Suspense, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type Route, routeOf } from './ui/route';
import './ui/styles.css';
import './ui/story/story.css';

// Each page loads its own code: the story's first screen stays light, the lab's controls and
// other views come with the lab.
const Story = lazy(() => import('./ui/story/Story').then((m) => ({ default: m.Story })));
const Classroom = lazy(() =>
  import('./ui/classroom/Classroom').then((m) => ({ default: m.Classroom })),
);
const Lab = lazy(() =>
  import('./ui/Lab').then((m) => {
    m.startLab();
    return { default: m.Lab };
  }),
);

function Root() {
  const [route, setRoute] = useState<Route>(() => routeOf(location.search, location.hash));
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

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
