import {
  DATA_SENSITIVITIES,
  type DataSensitivity,
  eligibility,
  PLAN_STATUSES,
  type PlanStatus,
  updateMeta,
} from '@bascule/plan-model';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { offerFactsOf, useEditor } from './context';
import { DateField, SelectField, TextArea, TextField } from './fields';

/** The plan's header: what moves where, how sensitive it is, and when. */
export function PlanHeader() {
  const { t, language } = useI18n();
  const { doc, content, readOnly, offers, edit, setEditing } = useEditor();
  const { meta } = content;
  const offer = offers.find((candidate) => candidate.id === meta.targetOfferId) ?? null;
  const warnings = eligibility(content, offer === null ? null : offerFactsOf(offer), language).filter(
    (warning) => meta.targetOfferId !== null || warning.code !== 'UNKNOWN_TARGET',
  );
  const focus = (field: string) => (focused: boolean) => setEditing(focused ? `plan/${field}` : null);
  return (
    <section className="plan-header card" aria-label={t('editor.header')}>
      <TextField
        className="plan-title"
        label={t('editor.planTitle')}
        value={meta.title}
        maxLength={200}
        required
        readOnly={readOnly}
        onFocusChange={focus('title')}
        onCommit={(title) => edit(() => updateMeta(doc, { title }))}
      />
      <div className="header-grid">
        <label>
          {t('editor.status')}
          <SelectField<PlanStatus>
            label={t('editor.status')}
            value={meta.status}
            options={PLAN_STATUSES}
            readOnly={readOnly}
            labelOf={(value) => t(`planStatus.${value}`)}
            onCommit={(status) => edit(() => updateMeta(doc, { status }))}
          />
        </label>
        <label>
          {t('editor.source')}
          <TextField
            label={t('editor.source')}
            value={meta.sourcePlatform ?? ''}
            maxLength={200}
            readOnly={readOnly}
            onFocusChange={focus('sourcePlatform')}
            onCommit={(value) => edit(() => updateMeta(doc, { sourcePlatform: value === '' ? null : value }))}
          />
        </label>
        <label>
          {t('editor.target')}
          <SelectField<string>
            label={t('editor.target')}
            value={meta.targetOfferId}
            options={offers.map((candidate) => candidate.id)}
            readOnly={readOnly}
            allowEmpty={t('editor.noTarget')}
            labelOf={(id) => {
              const entry = offers.find((candidate) => candidate.id === id);
              return entry === undefined ? id : `${entry.name} (${entry.provider})`;
            }}
            onCommit={(targetOfferId) => edit(() => updateMeta(doc, { targetOfferId }))}
          />
        </label>
        <div className="qualification" data-testid="qualification">
          {offer !== null && (
            <>
              <span className={`tag qualification-${offer.secNumCloudStatus.toLowerCase()}`}>
                {t(`qualification.${offer.secNumCloudStatus}`)}
              </span>
              {offer.hds && <span className="tag">HDS</span>}
            </>
          )}
        </div>
        <label>
          {t('editor.sensitivity')}
          <SelectField<DataSensitivity>
            label={t('editor.sensitivity')}
            value={meta.dataSensitivity}
            options={DATA_SENSITIVITIES}
            readOnly={readOnly}
            labelOf={(value) => t(`sensitivity.${value}`)}
            onCommit={(dataSensitivity) => edit(() => updateMeta(doc, { dataSensitivity }))}
          />
        </label>
        <label>
          {t('editor.startDate')}
          <DateField
            label={t('editor.startDate')}
            value={meta.startDate}
            readOnly={readOnly}
            onCommit={(startDate) => edit(() => updateMeta(doc, { startDate }))}
          />
        </label>
        <label>
          {t('editor.targetDate')}
          <DateField
            label={t('editor.targetDate')}
            value={meta.targetDate}
            readOnly={readOnly}
            onCommit={(targetDate) => edit(() => updateMeta(doc, { targetDate }))}
          />
        </label>
      </div>
      <label className="description">
        {t('editor.description')}
        <TextArea
          label={t('editor.description')}
          value={meta.description}
          maxLength={20_000}
          readOnly={readOnly}
          onFocusChange={focus('description')}
          onCommit={(description) => edit(() => updateMeta(doc, { description }))}
        />
      </label>
      {warnings.length > 0 && (
        <ul className="eligibility" aria-label={t('editor.eligibility')}>
          {warnings.map((warning) => (
            <li key={warning.code} className="warning">
              {t(`eligibility.${warning.code}` as MessageKey, { offer: offer?.name ?? '' })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
