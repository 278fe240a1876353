import { ArgsType, Field, Int } from '@nestjs/graphql';
import { AppError } from './errors.js';

const DEFAULT_PAGE = 100;
const MAX_PAGE = 500;

/** `first` and `offset` of a bounded list. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `At most ${MAX_PAGE}; ${DEFAULT_PAGE} when omitted.` })
  first?: number;

  @Field(() => Int, { nullable: true, description: 'How many to skip; 0 when omitted.' })
  offset?: number;
}

/** The page asked for, within bounds; BAD_USER_INPUT otherwise. */
export function pageOf(args: PageArgs): { first: number; offset: number } {
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`, { field: 'first' });
  }
  const offset = args.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0)
    throw new AppError('BAD_USER_INPUT', 'offset must not be negative.', { field: 'offset' });
  return { first, offset };
}
