import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestApp, type TestApp } from '../../../../test/support/app.js';
import { connectClient, createPlan, eventually, synced } from '../../../../test/support/collab.js';
import { graphqlAs, type SignedUp, signUp } from '../../../../test/support/identity.js';
import { Histogram } from 'prom-client';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../core/core.module.js';
import { Metrics } from './metrics.js';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLObjectType } from 'graphql';

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
    const executions = async () => {
      const text = await (await scrape()).text();
      return ['compiled', 'graphql-js'].map((execution) =>
        sample(text, 'bascule_graphql_query_executions_total', { execution }),
      );
    };
    const [compiled, interpreted] = await executions();
    // Twice: a query document is compiled from its second run, the first runs through graphql-js.
    for (const _ of [1, 2])
      await graphqlAs(
        testApp.baseUrl,
        owner.tokens.accessToken,
        'query PortfolioForMetrics { portfolio { planCount } }',
      );
    expect(await executions()).toEqual([compiled! + 1, interpreted! + 1]);
    // Compiled, they read plain fields as properties: NestJS's readers were given back to GraphQL.
    const planFields = (testApp.app.get(GraphQLSchemaHost).schema.getType('Plan') as GraphQLObjectType).getFields();
    expect(planFields.title!.resolve).toBeUndefined();
    expect(planFields.targetOffer!.resolve).toBeDefined();
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
      ).toBe(2);
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

  it('has every metric the Grafana dashboard plots, with the labels it groups by', async () => {
    interface Panel {
      id: number;
      type: string;
      gridPos: { x: number; w: number };
      datasource?: { uid: string };
      targets?: { expr: string }[];
    }
    const dashboard = JSON.parse(readFileSync('deploy/grafana/bascule-dashboard.json', 'utf8')) as {
      uid: string;
      panels: Panel[];
      templating: { list: { name: string }[] };
    };
    // The families this application registers, with their kinds and label names.
    const families = new Map(
      testApp.app
        .get(Metrics)
        .registry.getMetricsAsArray()
        .map((metric) => {
          const { name, labelNames } = metric as unknown as { name: string; labelNames: string[] };
          return [name, { histogram: metric instanceof Histogram, labels: new Set(labelNames) }] as const;
        }),
    );
    // Only an instance with REDIS_URL reports its Redis connection.
    const conditional = testApp.app.get<AppConfig>(APP_CONFIG).redisUrl === undefined ? ['bascule_redis_up'] : [];

    const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
    expect(graphs.length).toBeGreaterThanOrEqual(12);
    expect(new Set(dashboard.panels.map((panel) => panel.id)).size).toBe(dashboard.panels.length);
    expect(dashboard.templating.list.map((variable) => variable.name)).toEqual(['datasource', 'instance']);
    const problems: string[] = [];
    for (const panel of graphs) {
      if (panel.datasource?.uid !== '${datasource}') problems.push(`panel ${panel.id}: not on the chosen data source`);
      if (panel.gridPos.x + panel.gridPos.w > 24) problems.push(`panel ${panel.id}: wider than the grid`);
      for (const { expr } of panel.targets ?? []) {
        for (const [name] of expr.matchAll(/bascule_\w+/g)) {
          const family = families.has(name) ? name : name.replace(/_(bucket|count|sum)$/, '');
          if (conditional.includes(family)) continue;
          if (!families.has(family)) problems.push(`panel ${panel.id}: ${name} is not exported`);
          else if (name !== family && !families.get(family)!.histogram)
            problems.push(`panel ${panel.id}: ${family} is not a histogram`);
        }
        for (const [, grouping] of expr.matchAll(/by \(([^)]*)\)/g)) {
          const family = /bascule_\w+/.exec(expr)![0].replace(/_(bucket|count|sum)$/, '');
          if (conditional.includes(family)) continue;
          for (const label of grouping!.split(',').map((part) => part.trim())) {
            if (label === 'le' || label === 'instance') continue; // le: the histogram's; instance: Prometheus'
            if (!families.get(family)?.labels.has(label))
              problems.push(`panel ${panel.id}: ${family} has no label ${label}`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
