import { useI18n } from '../i18n/i18n';
import { useEditorTools } from './context';
import { SelectField } from './fields';

/**
 * Who owns an entry: one of the plan's people (notified when chosen), by name. An owner typed as
 * free text before owners were members stays shown until a member is chosen; one who no longer
 * reads the plan stays too, by the name the entry keeps.
 */
export function OwnerField({
  ownerId,
  ownerName,
  onCommit,
}: {
  readonly ownerId: string | null;
  /** The name the entry holds (`owner`): the member's, or free text from before. */
  readonly ownerName: string | null;
  readonly onCommit: (ownerId: string | null, name: string | null) => void;
}) {
  const { t } = useI18n();
  const { people, readOnly } = useEditorTools();
  const ids = people.map((person) => person.id);
  const options = ownerId === null || ids.includes(ownerId) ? ids : [...ids, ownerId];
  const nameOf = (id: string) => people.find((person) => person.id === id)?.name ?? ownerName ?? t('owner.former');
  return (
    <SelectField<string>
      label={t('editor.field.owner')}
      value={ownerId}
      options={options}
      readOnly={readOnly}
      allowEmpty={ownerId === null && ownerName !== null ? t('owner.legacy', { name: ownerName }) : t('owner.none')}
      labelOf={nameOf}
      onCommit={(id) => onCommit(id, id === null ? null : nameOf(id))}
    />
  );
}

/** "Only mine": a list narrowed to the entries this person owns. */
export function MineFilter({ mine, onChange }: { readonly mine: boolean; readonly onChange: (mine: boolean) => void }) {
  const { t } = useI18n();
  return (
    <label className="check mine-filter">
      <input type="checkbox" checked={mine} onChange={(event) => onChange(event.target.checked)} data-testid="mine" />
      {t('mine.filter')}
    </label>
  );
}
