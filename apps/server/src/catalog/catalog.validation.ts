import { isIsoDate, isLink } from '@bascule/plan-model';
import { AppError } from '../common/errors.js';
import { requireText } from '../common/validation.js';
import type { FrameworkInput, OfferInput } from './catalog.service.js';
import type { ComplianceFrameworkInput, TargetOfferInput } from './models/catalog.models.js';

const bad = (field: string, message: string) => new AppError('BAD_USER_INPUT', message, { field });

function optionalText(value: string | null | undefined, field: string, max: number): string | null {
  if (value === undefined || value === null || value.trim() === '') return null;
  return requireText(value, field, max);
}

/** YYYY, YYYY-MM or YYYY-MM-DD: sources often give only a year or a month. */
function asOf(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (/^\d{4}$/.test(value) || (/^\d{4}-\d{2}$/.test(value) && isIsoDate(`${value}-01`)) || isIsoDate(value))
    return value;
  throw bad('asOf', 'asOf must be written YYYY, YYYY-MM or YYYY-MM-DD.');
}

function sourceUrl(value: string | null | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (!isLink(value)) throw bad('sourceUrl', 'sourceUrl must be an http(s) URL.');
  return value;
}

export function validOffer(input: TargetOfferInput): OfferInput {
  if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(input.id))
    throw bad('id', 'id must be 2 to 64 lower-case letters, digits or dashes.');
  const expected = input.expectedQualification ?? null;
  if (expected !== null && !isIsoDate(expected))
    throw bad('expectedQualification', 'expectedQualification must be a date written YYYY-MM-DD.');
  return {
    id: input.id,
    provider: requireText(input.provider, 'provider', 200),
    name: requireText(input.name, 'name', 200),
    secNumCloudStatus: input.secNumCloudStatus,
    secNumCloudMilestone: optionalText(input.secNumCloudMilestone, 'secNumCloudMilestone', 64),
    expectedQualification: expected,
    hds: input.hds,
    notes: optionalText(input.notes, 'notes', 2000) ?? '',
    asOf: asOf(input.asOf),
    sourceUrl: sourceUrl(input.sourceUrl),
  };
}

export function validFramework(input: ComplianceFrameworkInput): FrameworkInput {
  if (!/^[A-Z0-9_]{2,64}$/.test(input.id))
    throw bad('id', 'id must be 2 to 64 upper-case letters, digits or underscores.');
  if (input.requirements.length > 200) throw bad('requirements', 'A framework holds at most 200 requirements.');
  const codes = new Set<string>();
  const requirements = input.requirements.map((requirement) => {
    const code = requireText(requirement.code, 'requirements.code', 64);
    if (codes.has(code)) throw bad('requirements.code', `Requirement ${code} appears twice.`);
    codes.add(code);
    return {
      code,
      title: requireText(requirement.title, 'requirements.title', 200),
      description: optionalText(requirement.description, 'requirements.description', 2000) ?? '',
    };
  });
  return {
    id: input.id,
    name: requireText(input.name, 'name', 200),
    requirements,
    asOf: asOf(input.asOf),
    sourceUrl: sourceUrl(input.sourceUrl),
  };
}
