import { useState } from 'react';
import { Link } from 'wouter';
import { ApiError, graphqlRequest } from './api/client';
import { useI18n } from './i18n/i18n';
import { isNotificationKind } from '@bascule/plan-model';

const UNSUBSCRIBE = /* GraphQL */ `
  mutation Unsubscribe($userId: ID!, $kind: String!, $token: String!) {
    unsubscribe(userId: $userId, kind: $kind, token: $token)
  }
`;

/**
 * Where the unsubscribe link at the foot of an e-mail leads, signed in or not: it says which
 * e-mails it stops and asks first (a link opened by a mail scanner changes nothing); the link's
 * own signature is the proof, checked by the server.
 */
export function Unsubscribe() {
  const { t } = useI18n();
  const link = new URLSearchParams(window.location.search);
  const [user, kind, token] = [link.get('user'), link.get('kind'), link.get('token')];
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const complete = user !== null && token !== null && isNotificationKind(kind);

  async function confirm() {
    try {
      await graphqlRequest(UNSUBSCRIBE, { userId: user, kind, token });
      setDone(true);
      setProblem(null);
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : t('error.unreachable', { reason: String(error) }));
    }
  }

  return (
    <main className="sign-in-page" id="content">
      <h1 className="brand-title">Bascule</h1>
      <section className="card stack" aria-labelledby="unsubscribe-heading" data-testid="unsubscribe">
        <h2 id="unsubscribe-heading">{t('unsubscribe.title')}</h2>
        {!complete ? (
          <p role="alert" className="error">
            {t('unsubscribe.incomplete')}
          </p>
        ) : done ? (
          <p role="status" data-testid="unsubscribed">
            {t('unsubscribe.done', { kind: t(`kind.${kind}`) })}
          </p>
        ) : (
          <>
            <p>{t('unsubscribe.what', { kind: t(`kind.${kind}`) })}</p>
            {problem !== null && (
              <p role="alert" className="error">
                {problem}
              </p>
            )}
            <button type="button" onClick={() => void confirm()}>
              {t('unsubscribe.confirm')}
            </button>
          </>
        )}
        <Link href="/">{t('unsubscribe.back')}</Link>
      </section>
    </main>
  );
}
