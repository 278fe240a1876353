import { type FormEvent, useState } from 'react';
import { useQuery } from '../api/hooks';
import { useSession } from '../api/session-context';
import { useAction } from '../api/use-action';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { DataTable } from '../ui/DataTable';

const EVENTS = [
  'plan.changed',
  'milestone.slipped',
  'risk.critical',
  'checkpoint.approved',
  'runbook.task.late',
  'runbook.task.failed',
  'runbook.decision',
] as const;
const EVENT_LABELS: Record<(typeof EVENTS)[number], MessageKey> = {
  'plan.changed': 'webhooks.event.planChanged',
  'milestone.slipped': 'webhooks.event.milestoneSlipped',
  'risk.critical': 'webhooks.event.riskCritical',
  'checkpoint.approved': 'webhooks.event.checkpointApproved',
  'runbook.task.late': 'webhooks.event.runbookTaskLate',
  'runbook.task.failed': 'webhooks.event.runbookTaskFailed',
  'runbook.decision': 'webhooks.event.runbookDecision',
};

interface Endpoint {
  readonly id: string;
  readonly url: string;
  readonly events: readonly string[];
  readonly createdAt: string;
}
interface Delivery {
  readonly id: string;
  readonly event: string;
  readonly status: string;
  readonly attempts: number;
  readonly lastStatus: number | null;
  readonly lastError: string | null;
  readonly createdAt: string;
}

/** Webhook endpoints of the organization (owners and admins): register, remove, and read the delivery log. */
export function Webhooks() {
  const { t } = useI18n();
  const session = useSession();
  const endpoints = useQuery<{ webhookEndpoints: readonly Endpoint[] }>(
    '{ webhookEndpoints { id url events createdAt } }',
  );
  const [secret, setSecret] = useState<string | null>(null);
  const [log, setLog] = useState<{ endpoint: Endpoint; deliveries: readonly Delivery[] } | null>(null);
  const [problem, act] = useAction(endpoints.reload);
  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    void act(async () => {
      const result = await session.request<{ createWebhookEndpoint: { secret: string } }>(
        'mutation ($i: WebhookEndpointInput!) { createWebhookEndpoint(input: $i) { secret } }',
        { i: { url: form.get('url'), events: EVENTS.filter((name) => form.get(name) === 'on') } },
      );
      setSecret(result.createWebhookEndpoint.secret);
      target.reset();
    });
  };
  const showLog = (endpoint: Endpoint) =>
    void act(async () => {
      const result = await session.request<{ webhookDeliveries: readonly Delivery[] }>(
        'query ($e: ID!) { webhookDeliveries(endpointId: $e, first: 50) { id event status attempts lastStatus lastError createdAt } }',
        { e: endpoint.id },
      );
      setLog({ endpoint, deliveries: result.webhookDeliveries });
    });

  return (
    <section className="card" aria-labelledby="webhooks-heading">
      <h2 id="webhooks-heading">{t('webhooks.title')}</h2>
      <p className="muted">{t('webhooks.hint')}</p>
      {(problem ?? endpoints.error?.message) && (
        <p role="alert" className="error">
          {problem ?? endpoints.error?.message}
        </p>
      )}
      <form className="inline-form" onSubmit={create}>
        <label>
          {t('webhooks.url')}
          <input name="url" type="url" required maxLength={2000} placeholder="https://" />
        </label>
        <fieldset>
          <legend>{t('webhooks.events')}</legend>
          {EVENTS.map((name) => (
            <label key={name}>
              <input type="checkbox" name={name} defaultChecked /> {t(EVENT_LABELS[name])}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('webhooks.add')}</button>
      </form>
      {secret !== null && (
        <div role="status" className="stack">
          <p>{t('webhooks.secretOnce')}</p>
          <p className="secret" data-testid="webhook-secret">
            {secret}
          </p>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            {t('admin.done')}
          </button>
        </div>
      )}
      <DataTable testId="webhook-endpoints" columns={[t('webhooks.url'), t('webhooks.events')]}>
        {endpoints.data?.webhookEndpoints.map((endpoint) => (
          <tr key={endpoint.id}>
            <td>
              <code>{endpoint.url}</code>
            </td>
            <td>{endpoint.events.join(', ')}</td>
            <td>
              <button type="button" className="secondary" onClick={() => showLog(endpoint)}>
                {t('webhooks.log')}
              </button>{' '}
              <button
                type="button"
                className="secondary"
                onClick={() =>
                  void act(() =>
                    session.request('mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }', {
                      id: endpoint.id,
                    }),
                  )
                }
              >
                {t('webhooks.remove')}
              </button>
            </td>
          </tr>
        ))}
      </DataTable>
      {log !== null && (
        <div className="webhook-log" data-testid="webhook-log">
          <h3>{t('webhooks.logOf', { url: log.endpoint.url })}</h3>
          {log.deliveries.length === 0 ? (
            <p className="muted">{t('webhooks.noDelivery')}</p>
          ) : (
            <ul>
              {log.deliveries.map((delivery) => (
                <li key={delivery.id}>
                  {new Date(delivery.createdAt).toLocaleString()} · {delivery.event} · {delivery.status} ·{' '}
                  {t('webhooks.attempts', { count: delivery.attempts })}
                  {delivery.lastError !== null && ` · ${delivery.lastError}`}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
