import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { selectTransport } from './api/select';
import { App } from './App';
import { applyTheme, initialTheme } from './theme';
import './styles/theme.css';
import './styles/app.css';
import './styles/controls.css';
import './styles/screens.css';

// Set the theme before the first render so the page does not flash the wrong one.
applyTheme(initialTheme());

// One transport for the page's lifetime, chosen before React renders (not inside a component).
const choice = selectTransport();
const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');
createRoot(root).render(
  <StrictMode>
    <App choice={choice} />
  </StrictMode>,
);
