import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_METADATA } from './permissions.js';

const RESOLVER_TYPE_METADATA = 'graphql:resolver_type';
const OPERATION_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/** Lists the GraphQL operations (queries, mutations, subscriptions) whose handler declares no permission. */
export function undeclaredOperations(
  discovery: DiscoveryService,
  scanner: MetadataScanner,
  reflector: Reflector,
): string[] {
  const missing: string[] = [];
  for (const wrapper of discovery.getProviders()) {
    const instance = wrapper.instance as object | undefined;
    if (instance === undefined || instance === null || typeof instance !== 'object') continue;
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = (prototype as Record<string, unknown>)[name] as object;
      const type = Reflect.getMetadata(RESOLVER_TYPE_METADATA, handler) as string | undefined;
      if (type === undefined || !OPERATION_TYPES.has(type)) continue;
      const declared = reflector.getAllAndOverride(ACCESS_METADATA, [
        handler as () => void,
        instance.constructor as () => void,
      ]);
      if (declared === undefined) missing.push(`${instance.constructor.name}.${name} (${type})`);
    }
  }
  return missing;
}

/** Refuses to start an application in which a GraphQL operation has no access declaration. */
@Injectable()
export class AccessAudit implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onApplicationBootstrap(): void {
    const missing = undeclaredOperations(this.discovery, this.scanner, this.reflector);
    if (missing.length > 0) {
      throw new Error(`GraphQL operations without an @Allow access declaration: ${missing.join(', ')}`);
    }
  }
}
