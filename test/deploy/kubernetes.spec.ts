import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseAllDocuments, parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../apps/server/src/config/config.js';

/**
 * No cluster runs here: the manifests are checked against the Kubernetes API's own schemas (the
 * kubernetes-models validators, generated from the OpenAPI definitions), then for what a schema
 * cannot see: that the pieces name each other correctly and that the pods start the server with a
 * configuration it accepts, on the endpoints it serves.
 */
const DIRECTORY = 'deploy/kubernetes';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

interface Container {
  env?: { name: string; value?: string }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports: { name: string; containerPort: number }[];
  startupProbe: { httpGet: { path: string; port: string } };
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
}

interface DeploymentSpec {
  replicas: number;
  selector: { matchLabels: Record<string, string> };
  template: {
    metadata: { labels: Record<string, string> };
    spec: { containers: Container[]; terminationGracePeriodSeconds: number };
  };
}

const kustomization = parse(readFileSync(join(DIRECTORY, 'kustomization.yaml'), 'utf8')) as {
  namespace: string;
  resources: string[];
};
const objects: K8sObject[] = kustomization.resources.flatMap((file) =>
  parseAllDocuments(readFileSync(join(DIRECTORY, file), 'utf8')).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as K8sObject;
  }),
);
const ofKind = (kind: string) => objects.filter((object) => object.kind === kind);
const named = (kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  expect({ kind, name, found: found !== undefined }).toEqual({ kind, name, found: true });
  return found!;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

/** The kubernetes-models class for an object: `kubernetes-models/<group>/<version>/<Kind>`. */
async function modelOf(object: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const module = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<
    string,
    new (data: unknown) => { validate(): void }
  >;
  return module[object.kind]!;
}

describe('deploy/kubernetes', () => {
  it('lists every manifest file in its kustomization', () => {
    const files = readdirSync(DIRECTORY).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization.resources].sort()).toEqual(files.sort());
  });

  it('holds only objects the Kubernetes API schemas accept', async () => {
    expect(objects.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const object of objects) {
      const Model = await modelOf(object);
      try {
        new Model(object).validate();
      } catch (error) {
        problems.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('runs api, collab and worker as separate workloads, each with a budget and an autoscaler', () => {
    const deployments = ofKind('Deployment');
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([
      'bascule-api',
      'bascule-collab',
      'bascule-worker',
    ]);
    for (const deployment of deployments) {
      const spec = deployment.spec as unknown as DeploymentSpec;
      const [container] = spec.template.spec.containers;
      const role = container!.env?.find((variable) => variable.name === 'BASCULE_ROLES')?.value;
      expect(`bascule-${role}`).toBe(deployment.metadata.name);
      expect(matches(spec.selector.matchLabels, spec.template.metadata.labels)).toBe(true);

      const budget = named('PodDisruptionBudget', deployment.metadata.name);
      expect(
        matches(
          (budget.spec!.selector as { matchLabels: Record<string, string> }).matchLabels,
          spec.template.metadata.labels,
        ),
      ).toBe(true);
      const autoscaler = named('HorizontalPodAutoscaler', deployment.metadata.name);
      expect(autoscaler.spec!.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
      expect(autoscaler.spec!.minReplicas as number).toBeLessThanOrEqual(autoscaler.spec!.maxReplicas as number);
      // The server drains within 10 s of SIGTERM: the grace period leaves it that and more.
      expect(spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
    }
  });

  it('probes the endpoints the server serves, on the port it listens on', () => {
    for (const deployment of ofKind('Deployment')) {
      const [container] = (deployment.spec as unknown as DeploymentSpec).template.spec.containers;
      expect(container!.ports).toEqual([{ name: 'http', containerPort: 3000, protocol: 'TCP' }]);
      expect(container!.startupProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container!.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
      expect(container!.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container!.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
    }
  });

  it('gives the pods a configuration the server accepts, from its config map and secret', () => {
    const config = named('ConfigMap', 'bascule-config').data!;
    const secret = named('Secret', 'bascule-secrets').stringData!;
    for (const deployment of ofKind('Deployment')) {
      const [container] = (deployment.spec as unknown as DeploymentSpec).template.spec.containers;
      expect(container!.envFrom).toEqual([
        { configMapRef: { name: 'bascule-config' } },
        { secretRef: { name: 'bascule-secrets' } },
      ]);
      const environment: Record<string, string> = { ...config, ...secret };
      for (const variable of container!.env ?? []) environment[variable.name] = variable.value!;
      expect(Object.keys(environment).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
      expect(loadConfig(environment)).toMatchObject({
        production: true,
        database: { dialect: 'postgres' },
        roles: [environment.BASCULE_ROLES],
      });
    }
  });

  it('routes /collab to the collab pods and the rest to the api pods, through services that select them', () => {
    const ingress = named('Ingress', 'bascule');
    const paths = (
      ingress.spec!.rules as {
        http: { paths: { path: string; backend: { service: { name: string; port: { name: string } } } }[] };
      }[]
    )[0]!.http.paths;
    expect(paths.map((path) => [path.path, path.backend.service.name])).toEqual([
      ['/collab', 'bascule-collab'],
      ['/', 'bascule-api'],
    ]);
    for (const path of paths) {
      const service = named('Service', path.backend.service.name);
      const ports = service.spec!.ports as { name: string; targetPort: string }[];
      expect(ports.map((port) => port.name)).toContain(path.backend.service.port.name);
      const deployment = named('Deployment', path.backend.service.name);
      expect(
        matches(
          service.spec!.selector as Record<string, string>,
          (deployment.spec as unknown as DeploymentSpec).template.metadata.labels,
        ),
      ).toBe(true);
    }
    // Sockets live long: the proxy must not cut them after its default minute.
    expect(
      Number(ingress.metadata.annotations!['nginx.ingress.kubernetes.io/proxy-read-timeout']),
    ).toBeGreaterThanOrEqual(3600);
  });
});
