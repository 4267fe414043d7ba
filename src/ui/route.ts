// Which page the address asks for. A link that carries a recipe (any hash) opens the lab, so
// every link shared before the story existed still opens its experiment; `?mode=classroom` is
// the projector mode; a bare address is the story.
export type Route = 'story' | 'lab' | 'classroom';

export function routeOf(search: string, hash: string): Route {
  if (new URLSearchParams(search).get('mode') === 'classroom') return 'classroom';
  return hash.replace(/^#/, '') === '' ? 'story' : 'lab';
}
