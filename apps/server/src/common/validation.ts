import { AppError } from './errors.js';

/** A trimmed, non-empty string of at most `max` characters, or BAD_USER_INPUT naming the field. */
export function requireText(value: string, field: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length === 0) throw new AppError('BAD_USER_INPUT', `${field} must not be empty.`, { field });
  if ([...trimmed].length > max)
    throw new AppError('BAD_USER_INPUT', `${field} must have at most ${max} characters.`, { field });
  return trimmed;
}
