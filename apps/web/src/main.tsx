import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { Session } from './api/client';
import { SessionProvider } from './api/session-context';
import { I18nProvider } from './i18n/i18n';
import './styles.css';

const session = new Session();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <I18nProvider>
      <SessionProvider session={session}>
        <App />
      </SessionProvider>
    </I18nProvider>
  </StrictMode>,
);
