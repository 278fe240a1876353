export { PLAN_SCHEMA_VERSION } from './schema-version.js';
