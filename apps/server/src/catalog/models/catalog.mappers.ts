import type { CatalogFrameworkEntity, CatalogOfferEntity } from '../entities.js';
import type { ComplianceFrameworkModel, QualificationStatusModel, TargetOfferModel } from './catalog.models.js';

export const toOffer = (row: CatalogOfferEntity): TargetOfferModel => ({
  ...row,
  secNumCloudStatus: row.secNumCloudStatus as QualificationStatusModel,
  builtIn: row.organizationId === null,
});

export const toFramework = (row: CatalogFrameworkEntity): ComplianceFrameworkModel => ({
  ...row,
  builtIn: row.organizationId === null,
});
