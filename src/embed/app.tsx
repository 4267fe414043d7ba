// embed.html: one figure for another page's <iframe> (docs/architecture.md, "Embed protocol").
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerOffline } from '../offline';
import '../ui/styles.css';
import { EmbedApp } from './EmbedApp';
import { readEmbedAddress, startEmbedFrame } from './frame';

const params = readEmbedAddress();
if (params.theme) document.documentElement.dataset.theme = params.theme;
startEmbedFrame();
registerOffline();
// The host changed the frame's address: start over from it.
addEventListener('hashchange', () => location.reload());
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <EmbedApp params={params} />
  </StrictMode>,
);
