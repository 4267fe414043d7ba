import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startController } from './state/controller';
import { App } from './ui/App';
import './ui/styles.css';

startController();
createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
