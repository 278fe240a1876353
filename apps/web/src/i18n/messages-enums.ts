import { ENUM_WORDS } from '@bascule/plan-model';
import { area } from './area';

/** Labels of the plan document's enumerations (keys: `<enum>.<VALUE>`), shared with the reports. */
export const enums = area(ENUM_WORDS.en, ENUM_WORDS.fr);
