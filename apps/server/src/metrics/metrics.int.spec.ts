import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';

/** The value of one sample in Prometheus' text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (wanted.every((label) => line.includes(label))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('Prometheus metrics', () => {
  let testApp: TestApp;
  let owner: SignedUp;

  beforeAll(async () => {
    testApp = await startTestApp({ BASCULE_METRICS_TOKEN: 'scrape-me-please-0123' });
    owner = await signUp(testApp.baseUrl);
  });

  afterAll(() => testApp.close());

  const scrape = async (token = 'scrape-me-please-0123') =>
    fetch(`${testApp.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });

  it('counts HTTP, GraphQL and collab work, projection lag and the process, behind its token', async () => {
    const planId = await createPlan(testApp.baseUrl, owner.tokens.accessToken, 'Mesures');
    await graphqlAs(testApp.baseUrl, owner.tokens.accessToken, 'query PortfolioForMetrics { portfolio { planCount } }');
    const client = connectClient(testApp.baseUrl, planId, owner.tokens.accessToken);
    try {
      await synced(client);
      client.doc.getMap('plan').set('title', 'Mesures, encore');
      await eventually(async () => {
        const text = await (await scrape()).text();
        expect(sample(text, 'bascule_collab_updates_total')).toBeGreaterThanOrEqual(2);
        expect(sample(text, 'bascule_projection_lag_seconds_count')).toBeGreaterThanOrEqual(1);
      });
      const response = await scrape();
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(
        sample(text, 'bascule_http_request_duration_seconds_count', { route: '/auth/signup', status: '201' }),
      ).toBe(1);
      expect(
        sample(text, 'bascule_graphql_operation_duration_seconds_count', {
          type: 'query',
          operation: 'PortfolioForMetrics',
          outcome: 'ok',
        }),
      ).toBe(1);
      expect(sample(text, 'bascule_durable_append_seconds_count')).toBeGreaterThanOrEqual(2);
      expect(sample(text, 'bascule_collab_connections')).toBe(1);
      expect(sample(text, 'bascule_collab_rooms')).toBe(1);
      expect(sample(text, 'bascule_process_cpu_seconds_total')).toBeGreaterThan(0);
    } finally {
      client.destroy();
    }
    expect((await scrape('wrong-token-0123456789')).status).toBe(401);
    expect((await fetch(`${testApp.baseUrl}/metrics`)).status).toBe(401);
  });
});
