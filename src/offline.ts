// Registers the service worker that keeps the app working offline after the first visit (built by
// vite-plugin-pwa, see vite.config.ts). Only in the production build, and only where the browser
// allows service workers (not in some private modes, nor in a sandboxed frame).
export function registerOffline(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // After the page's own loading, so precaching never competes with the first chart.
  const register = () => {
    // The built scripts sit in assets/, beside which the worker's sw.js is at the app's root
    // (whichever page, lab, embed or docs, registers it).
    const url = new URL('../sw.js', import.meta.url);
    navigator.serviceWorker.register(url, { scope: new URL('./', url).pathname }).catch(() => {
      // No service worker (storage blocked, an opaque origin): the app works online as before.
    });
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
