// The page: the story (the landing page), the lab or classroom mode, by address (ui/route.ts).
// The build prerendered the story into the page (ui/story/prerender.tsx): on the story, React
// hydrates that tree; on another page it renders afresh (index.html's head script hid the story
// while this loaded).
import { createRoot, hydrateRoot } from 'react-dom/client';
import { registerOffline } from './offline';
import { readPrerendered } from './ui/prerendered';
import { Root } from './ui/Root';
import { routeOf } from './ui/route';
import { prestart } from './ui/story/LiveFigure';
import { OPENING } from './ui/story/sections';

const initialRoute = routeOf(location.search, location.hash);
// The story's opening figure starts now: its worker boots while React draws the page.
if (initialRoute === 'story') prestart(OPENING);

registerOffline();
const container = document.getElementById('root') as HTMLElement;
const hydrate = initialRoute === 'story' && container.hasAttribute('data-prerendered-page');
// From here React owns the page: the head's rule that hides a prerendered story on another page
// must not hide the lab the story's links open.
container.removeAttribute('data-prerendered-page');
if (hydrate) {
  hydrateRoot(
    container,
    <Root initialRoute={initialRoute} prerendered={readPrerendered(container)} />,
  );
} else {
  container.replaceChildren();
  createRoot(container).render(<Root initialRoute={initialRoute} />);
}
