import { useState } from 'react';
import {
  createEntry,
  CRITICALITIES,
  type Criticality,
  DATA_SENSITIVITIES,
  type DataSensitivity,
  inventoryEligibility,
  planWaves,
  STRATEGIES,
  type Strategy,
  updateEntry,
} from '@bascule/plan-model';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { DataTable } from '../ui/DataTable';
import { offerFactsOf, useEditor } from './context';
import { DiscussButton } from './discussion/DiscussButton';
import { EntryActions } from './EntryActions';
import { InventoryImport } from './InventoryImport';
import { MultiSelect, SelectField, TextField } from './fields';

const WAVES = Array.from({ length: 100 }, (_, wave) => String(wave));

export function Workloads({ planId }: { readonly planId: string }) {
  const { t, language } = useI18n();
  const { doc, content, readOnly, offers, edit, setEditing } = useEditor();
  const workloads = content.workloads;
  /** Most workloads a wave may hold (a team's capacity per cutover window); empty for no limit. */
  const [capacity, setCapacity] = useState('');
  const limit = /^[1-9]\d{0,3}$/.test(capacity) ? Number(capacity) : null;
  const suggested = planWaves(workloads, { issues: content.issues, capacity: limit });
  const unfit = inventoryEligibility(
    content,
    (id) => {
      const offer = offers.find((candidate) => candidate.id === id);
      return offer === undefined ? null : offerFactsOf(offer);
    },
    language,
  );
  const nameOf = (id: string) => workloads.find((workload) => workload.id === id)?.name ?? id;
  const differs = suggested.waves.some((wave) =>
    wave.workloadIds.some((id) => workloads.find((workload) => workload.id === id)?.wave !== wave.number),
  );
  return (
    <div className="workloads">
      {!readOnly && <InventoryImport planId={planId} />}
      {unfit.length > 0 && (
        <ul className="eligibility" aria-label={t('editor.eligibility')} data-testid="inventory-eligibility">
          {unfit.map((warning) => {
            const workload = workloads.find((entry) => entry.id === warning.workloadId);
            const target = workload?.targetOfferId ?? content.meta.targetOfferId;
            return (
              <li key={`${warning.workloadId}-${warning.code}`} className="warning">
                <strong>{workload?.name}</strong>{' '}
                {t(`eligibility.${warning.code}` as MessageKey, {
                  offer: offers.find((offer) => offer.id === target)?.name ?? target ?? '',
                })}
              </li>
            );
          })}
        </ul>
      )}
      {workloads.length > 0 && (
        <section className="card waves" aria-labelledby="waves-title" data-testid="suggested-waves">
          <h3 id="waves-title">{t('editor.waves.title')}</h3>
          <label className="inline-form">
            {t('editor.waves.capacity')}
            <input
              type="number"
              min={1}
              max={9999}
              inputMode="numeric"
              placeholder={t('editor.waves.noLimit')}
              value={capacity}
              onChange={(event) => setCapacity(event.target.value)}
              aria-invalid={capacity !== '' && limit === null}
              data-testid="wave-capacity"
            />
          </label>
          <ol>
            {suggested.waves.map((wave) => (
              <li key={wave.number}>
                <strong>{t('editor.waves.wave', { number: wave.number })}</strong>{' '}
                {wave.workloadIds.map(nameOf).join(', ')}
              </li>
            ))}
          </ol>
          {suggested.cycles.map((cycle) => (
            <p key={cycle.members.join()} role="alert" className="warning">
              {t('editor.waves.cycle', { names: cycle.members.map(nameOf).join(' → ') })}
            </p>
          ))}
          {!readOnly && differs && (
            <button
              type="button"
              onClick={() =>
                edit(() =>
                  doc.transact(() => {
                    for (const wave of suggested.waves)
                      for (const id of wave.workloadIds) updateEntry(doc, 'workloads', id, { wave: wave.number });
                  }),
                )
              }
            >
              {t('editor.waves.apply')}
            </button>
          )}
        </section>
      )}
      <div className="section-heading">
        <p className="muted">{t('editor.workloadsHint')}</p>
        {!readOnly && (
          <button
            type="button"
            onClick={() => edit(() => createEntry(doc, 'workloads', { name: t('editor.newWorkload') }))}
          >
            {t('editor.addWorkload')}
          </button>
        )}
      </div>
      {workloads.length === 0 ? (
        <p className="muted">{t('editor.noWorkloads')}</p>
      ) : (
        <DataTable
          testId="workloads-table"
          columns={[
            t('editor.field.name'),
            t('editor.field.criticality'),
            t('editor.field.data'),
            t('editor.field.strategy'),
            t('editor.field.target'),
            t('editor.field.wave'),
            t('editor.field.dependsOn'),
          ]}
        >
          {workloads.map((workload, index) => {
            const patch = (values: Record<string, unknown>) =>
              edit(() => updateEntry(doc, 'workloads', workload.id, values));
            return (
              <tr key={workload.id} data-testid="workload-row">
                <td>
                  <TextField
                    label={t('editor.field.name')}
                    value={workload.name}
                    maxLength={200}
                    required
                    readOnly={readOnly}
                    onFocusChange={(focused) => setEditing(focused ? `workloads/${workload.id}` : null)}
                    onCommit={(name) => patch({ name })}
                  />
                </td>
                <td>
                  <SelectField<Criticality>
                    label={t('editor.field.criticality')}
                    value={workload.criticality}
                    options={CRITICALITIES}
                    readOnly={readOnly}
                    labelOf={(value) => t(`criticality.${value}`)}
                    onCommit={(criticality) => patch({ criticality })}
                  />
                </td>
                <td>
                  <SelectField<DataSensitivity>
                    label={t('editor.field.data')}
                    value={workload.dataClassification}
                    options={DATA_SENSITIVITIES}
                    readOnly={readOnly}
                    labelOf={(value) => t(`sensitivity.${value}`)}
                    onCommit={(dataClassification) => patch({ dataClassification })}
                  />
                </td>
                <td>
                  <SelectField<Strategy>
                    label={t('editor.field.strategy')}
                    value={workload.strategy}
                    options={STRATEGIES}
                    readOnly={readOnly}
                    labelOf={(value) => t(`strategy.${value}`)}
                    onCommit={(strategy) => patch({ strategy })}
                  />
                </td>
                <td>
                  <SelectField<string>
                    label={t('editor.field.target')}
                    value={workload.targetOfferId}
                    options={offers.map((offer) => offer.id)}
                    readOnly={readOnly}
                    allowEmpty={t('editor.planTarget')}
                    labelOf={(id) => offers.find((offer) => offer.id === id)?.name ?? id}
                    onCommit={(targetOfferId) => patch({ targetOfferId })}
                  />
                </td>
                <td>
                  <SelectField<string>
                    label={t('editor.field.wave')}
                    value={workload.wave === null ? null : String(workload.wave)}
                    options={WAVES}
                    readOnly={readOnly}
                    allowEmpty="—"
                    labelOf={(value) => value}
                    onCommit={(wave) => patch({ wave: wave === null ? null : Number(wave) })}
                  />
                </td>
                <td>
                  <MultiSelect
                    label={t('editor.field.dependsOn')}
                    selected={workload.dependsOn}
                    readOnly={readOnly}
                    options={workloads
                      .filter((other) => other.id !== workload.id)
                      .map((other) => ({ id: other.id, label: other.name }))}
                    onCommit={(dependsOn) => patch({ dependsOn })}
                  />
                </td>
                <td>
                  <span className="row-tools">
                    <DiscussButton subject="workloads" entryId={workload.id} title={workload.name} />
                    <EntryActions
                      collection="workloads"
                      id={workload.id}
                      index={index}
                      count={workloads.length}
                      name={workload.name}
                    />
                  </span>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </div>
  );
}
