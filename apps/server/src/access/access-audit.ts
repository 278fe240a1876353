import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA, type Permission } from './permissions.js';

const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const OPERATION_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

export interface DeclaredOperation {
  readonly handler: string;
  readonly type: string;
  readonly permission: Permission | undefined;
}

/** Every GraphQL operation handler (query, mutation, subscription) with the permission it declares. */
export function graphqlOperations(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): DeclaredOperation[] {
  const operations: DeclaredOperation[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as object | undefined;
    if (instance === undefined || instance === null || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as object;
      const type = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
      if (type === undefined || !OPERATION_TYPES.has(type)) continue;
      const permission = reflector.getAllAndOverride<Permission | undefined>(ACCESS_METADATA, [
        handler as () => void,
        instance.constructor as () => void,
      ]);
      operations.push({ handler: `${instance.constructor.name}.${name}`, type, permission });
    }
  }
  return operations;
}

/** Refuses to start an application in which a GraphQL operation has no access declaration. */
@Injectable()
export class AccessAudit implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  operations(): DeclaredOperation[] {
    return graphqlOperations(this.discovery, this.scanner, this.reflector);
  }

  onApplicationBootstrap(): void {
    const missing = this.operations().filter((operation) => operation.permission === undefined);
    if (missing.length > 0) {
      throw new Error(
        `GraphQL operations without an @Allow access declaration: ${missing.map((operation) => `${operation.handler} (${operation.type})`).join(', ')}`,
      );
    }
  }
}
