import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Language } from '@bascule/plan-model';
import { AccessService } from '../access/access.service.js';
import type { AuthContext } from '../access/auth-context.js';
import { CurrentAuth } from '../access/current-auth.decorator.js';
import { Allow } from '../access/permissions.js';
import { AuditTrailService } from '../audit/audit-trail.service.js';
import { RequestLanguage } from '../access/request-language.decorator.js';
import { PlanEvents } from '../events/plan-events.js';
import { CatalogService, localizeFramework, localizeOffer } from './catalog.service.js';
import { validFramework, validOffer } from './catalog.validation.js';
import { toFramework, toOffer } from './models/catalog.mappers.js';
import {
  CatalogModel,
  ComplianceFrameworkInput,
  ComplianceFrameworkModel,
  TargetOfferInput,
  TargetOfferModel,
} from './models/catalog.models.js';

@Resolver()
export class CatalogResolver {
  constructor(
    private readonly catalogService: CatalogService,
    private readonly access: AccessService,
    private readonly audit: AuditTrailService,
    private readonly planEvents: PlanEvents,
  ) {}

  @Allow('plans.read')
  @Query(() => CatalogModel, {
    description: 'Target offers and compliance frameworks, as your organization keeps them.',
  })
  async catalog(@CurrentAuth() auth: AuthContext, @RequestLanguage() language: Language): Promise<CatalogModel> {
    const organizationId = this.access.requireOrgRole(auth, 'MEMBER');
    const [offers, frameworks] = await Promise.all([
      this.catalogService.offers(organizationId),
      this.catalogService.frameworks(organizationId),
    ]);
    return {
      offers: offers.map((offer) => toOffer(localizeOffer(offer, language))),
      frameworks: frameworks.map((framework) => toFramework(localizeFramework(framework, language))),
    };
  }

  @Allow('catalog.manage')
  @Mutation(() => TargetOfferModel, {
    description: "Adds a target offer or updates one (your organization's copy); plans targeting it are re-assessed.",
  })
  async saveTargetOffer(
    @CurrentAuth() auth: AuthContext,
    @Args('input') input: TargetOfferInput,
  ): Promise<TargetOfferModel> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    const saved = await this.catalogService.saveOffer(organizationId, auth.userId, validOffer(input));
    // Offers are read with the plans (PlanLoaders): what was read before is outdated now.
    await this.planEvents.invalidate(organizationId);
    await this.audit.recordAdmin(auth, {
      action: 'CATALOG_OFFER_SAVED',
      entity: 'catalog',
      entityId: saved.id,
      after: { version: saved.version, secNumCloudStatus: saved.secNumCloudStatus, hds: saved.hds },
    });
    await this.catalogService.offersChanged(organizationId);
    return toOffer(saved);
  }

  @Allow('catalog.manage')
  @Mutation(() => ComplianceFrameworkModel, {
    description: "Adds a compliance framework or updates your organization's copy.",
  })
  async saveComplianceFramework(
    @CurrentAuth() auth: AuthContext,
    @Args('input') input: ComplianceFrameworkInput,
  ): Promise<ComplianceFrameworkModel> {
    const organizationId = this.access.requireOrgRole(auth, 'ADMIN');
    const saved = await this.catalogService.saveFramework(organizationId, auth.userId, validFramework(input));
    await this.audit.recordAdmin(auth, {
      action: 'CATALOG_FRAMEWORK_SAVED',
      entity: 'catalog',
      entityId: saved.id,
      after: { version: saved.version },
    });
    return toFramework(saved);
  }
}
