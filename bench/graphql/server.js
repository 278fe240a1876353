// Bascule's server as main.js starts it, plus the plain dashboard endpoint (POST /bench/dashboard).
import { loadConfig } from '../../apps/server/dist/config/config.js';
import { resolveSecrets } from '../../apps/server/dist/config/secrets.js';
import { createApp } from '../../apps/server/dist/app.factory.js';
import { createLogger } from '../../apps/server/dist/logging/logger.js';
import { PlainDashboardModule } from './plain-endpoint.js';

const config = resolveSecrets(loadConfig(process.env));
const app = await createApp(config, createLogger(config), [PlainDashboardModule]);
await app.listen(config.port, config.host);
const stop = () => app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
