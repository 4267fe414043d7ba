// One IntersectionObserver shared by every story figure (as Distill's d-figure does): a figure
// hears when it comes on screen and when it leaves, and starts or pauses its work accordingly.
import { type RefObject, useEffect, useRef } from 'react';

type Listener = (onScreen: boolean) => void;
const listeners = new WeakMap<Element, Listener>();
let observer: IntersectionObserver | null = null;

function sharedObserver(): IntersectionObserver {
  observer ??= new IntersectionObserver(
    (entries) => {
      for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
    },
    // On screen once a sliver shows: a figure half-scrolled into view is being looked at.
    { threshold: 0.05 },
  );
  return observer;
}

/** Calls `onChange(true)` when the element comes on screen and `onChange(false)` when it leaves. */
export function useOnScreen(ref: RefObject<Element | null>, onChange: Listener): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const o = sharedObserver();
    listeners.set(el, (v) => latest.current(v));
    o.observe(el);
    return () => {
      o.unobserve(el);
      listeners.delete(el);
    };
  }, [ref]);
}

/** Whether the reader asked for less motion (figures then wait for play instead of starting). */
export const prefersReducedMotion = (): boolean =>
  globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
