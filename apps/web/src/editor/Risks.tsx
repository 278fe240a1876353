import {
  createEntry,
  heatMap,
  isRiskActive,
  RISK_CATEGORIES,
  RISK_STATUSES,
  type RiskCategory,
  riskScore,
  type RiskStatus,
  updateEntry,
} from '@bascule/plan-model';
import { useState } from 'react';
import { useI18n } from '../i18n/i18n';
import { useEditor } from './context';
import { DiscussButton } from './discussion/DiscussButton';
import { EntryActions } from './EntryActions';
import { SelectField, TextArea, TextField } from './fields';
import { MineFilter, OwnerField } from './owners';

const SCORES = ['1', '2', '3', '4', '5'] as const;

/** The tone of a likelihood x impact cell or score: what the RAG rules call serious. */
const toneOf = (score: number) => (score >= 20 ? 'critical' : score >= 12 ? 'high' : score >= 6 ? 'medium' : 'low');

/** A 5x5 likelihood x impact grid of the risks not closed; a cell is a filter for the register. */
function HeatMap({
  cell,
  onSelect,
}: {
  readonly cell: { likelihood: number; impact: number } | null;
  readonly onSelect: (cell: { likelihood: number; impact: number } | null) => void;
}) {
  const { t } = useI18n();
  const { content } = useEditor();
  const counts = heatMap(content.risks);
  return (
    <figure className="heat-map">
      <table aria-label={t('editor.heatMap')}>
        <caption className="visually-hidden">{t('editor.heatMap')}</caption>
        <thead>
          <tr>
            <td />
            {SCORES.map((impact) => (
              <th key={impact} scope="col">
                {impact}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {[...SCORES].reverse().map((likelihoodText) => {
            const likelihood = Number(likelihoodText);
            return (
              <tr key={likelihood}>
                <th scope="row">{likelihood}</th>
                {SCORES.map((impactText) => {
                  const impact = Number(impactText);
                  const count = counts[likelihood - 1]?.[impact - 1] ?? 0;
                  const selected = cell?.likelihood === likelihood && cell.impact === impact;
                  return (
                    <td key={impact}>
                      <button
                        type="button"
                        className={`heat-cell tone-${toneOf(likelihood * impact)}`}
                        aria-pressed={selected}
                        aria-label={t('editor.heatCell', { likelihood, impact, count })}
                        data-testid={`heat-${likelihood}-${impact}`}
                        onClick={() => onSelect(selected ? null : { likelihood, impact })}
                      >
                        {count === 0 ? '' : count}
                      </button>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <figcaption>
        <span>{t('editor.axis.likelihood')} ↑</span> <span>{t('editor.axis.impact')} →</span>
      </figcaption>
    </figure>
  );
}

export function Risks() {
  const { t } = useI18n();
  const { doc, content, readOnly, edit, setEditing, actor } = useEditor();
  const [cell, setCell] = useState<{ likelihood: number; impact: number } | null>(null);
  const [mine, setMine] = useState(false);
  const risks = content.risks;
  const shown = risks.filter(
    (risk) =>
      (cell === null || (risk.likelihood === cell.likelihood && risk.impact === cell.impact && isRiskActive(risk))) &&
      (!mine || risk.ownerId === actor.userId),
  );
  return (
    <div className="risks">
      <div className="risk-overview">
        <HeatMap cell={cell} onSelect={setCell} />
        <div>
          {cell !== null && (
            <p className="filter-note" role="status">
              {t('editor.riskFilter', { likelihood: cell.likelihood, impact: cell.impact, count: shown.length })}{' '}
              <button type="button" className="link" onClick={() => setCell(null)}>
                {t('editor.clearFilter')}
              </button>
            </p>
          )}
          <MineFilter mine={mine} onChange={setMine} />
          {!readOnly && (
            <button type="button" onClick={() => edit(() => createEntry(doc, 'risks', { title: t('editor.newRisk') }))}>
              {t('editor.addRisk')}
            </button>
          )}
        </div>
      </div>
      {shown.length === 0 ? (
        <p className="muted">{t(mine ? 'mine.empty' : 'editor.noRisks')}</p>
      ) : (
        <ul className="risk-list" data-testid="risk-list">
          {shown.map((risk) => {
            const score = riskScore(risk);
            const patch = (values: Record<string, unknown>) => edit(() => updateEntry(doc, 'risks', risk.id, values));
            return (
              <li key={risk.id} className="risk card" data-testid="risk-row" data-risk-id={risk.id}>
                <div className="risk-head">
                  <span
                    className={`score tone-${toneOf(score)}`}
                    data-testid="risk-score"
                    aria-label={t('editor.score', { score })}
                  >
                    {score}
                  </span>
                  <TextField
                    className="risk-title"
                    label={t('editor.field.title')}
                    value={risk.title}
                    maxLength={200}
                    required
                    readOnly={readOnly}
                    onFocusChange={(focused) => setEditing(focused ? `risks/${risk.id}` : null)}
                    onCommit={(title) => patch({ title })}
                  />
                  {risk.automatic !== null && <span className="tag">{t('editor.automaticRisk')}</span>}
                  <DiscussButton subject="risks" entryId={risk.id} title={risk.title} />
                  <EntryActions
                    collection="risks"
                    id={risk.id}
                    index={risks.indexOf(risk)}
                    count={risks.length}
                    name={risk.title}
                  />
                </div>
                <div className="risk-fields">
                  <label>
                    {t('editor.field.category')}
                    <SelectField<RiskCategory>
                      label={t('editor.field.category')}
                      value={risk.category}
                      options={RISK_CATEGORIES}
                      readOnly={readOnly}
                      labelOf={(value) => t(`riskCategory.${value}`)}
                      onCommit={(category) => patch({ category })}
                    />
                  </label>
                  <label>
                    {t('editor.axis.likelihood')}
                    <SelectField
                      label={t('editor.axis.likelihood')}
                      value={String(risk.likelihood) as (typeof SCORES)[number]}
                      options={SCORES}
                      readOnly={readOnly}
                      labelOf={(value) => value}
                      onCommit={(value) => patch({ likelihood: Number(value) })}
                    />
                  </label>
                  <label>
                    {t('editor.axis.impact')}
                    <SelectField
                      label={t('editor.axis.impact')}
                      value={String(risk.impact) as (typeof SCORES)[number]}
                      options={SCORES}
                      readOnly={readOnly}
                      labelOf={(value) => value}
                      onCommit={(value) => patch({ impact: Number(value) })}
                    />
                  </label>
                  <label>
                    {t('editor.field.status')}
                    <SelectField<RiskStatus>
                      label={t('editor.field.status')}
                      value={risk.status}
                      options={RISK_STATUSES}
                      readOnly={readOnly}
                      labelOf={(value) => t(`riskStatus.${value}`)}
                      onCommit={(status) => patch({ status })}
                    />
                  </label>
                  <label>
                    {t('editor.field.owner')}
                    <OwnerField
                      ownerId={risk.ownerId}
                      ownerName={risk.owner}
                      onCommit={(ownerId, owner) => patch({ ownerId, owner })}
                    />
                  </label>
                </div>
                <label className="mitigation">
                  {t('editor.field.mitigation')}
                  <TextArea
                    label={t('editor.field.mitigation')}
                    value={risk.mitigation}
                    maxLength={20_000}
                    rows={2}
                    readOnly={readOnly}
                    onCommit={(mitigation) => patch({ mitigation })}
                  />
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
