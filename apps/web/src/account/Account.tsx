import { useState } from 'react';
import { useQuery } from '../api/hooks';
import { useSession } from '../api/session-context';
import { useAction } from '../api/use-action';
import { useI18n } from '../i18n/i18n';
import { channelsOf, type NotificationChannel, type NotificationKind } from '@bascule/plan-model';

const SETTINGS = /* GraphQL */ `
  query NotificationSettings {
    notificationSettings {
      emailEnabled
      preferences {
        kind
        channel
      }
    }
  }
`;

const SET_PREFERENCE = /* GraphQL */ `
  mutation SetNotificationPreference($kind: NotificationKind!, $channel: NotificationChannel!) {
    setNotificationPreference(kind: $kind, channel: $channel) {
      emailEnabled
    }
  }
`;

interface Settings {
  readonly emailEnabled: boolean;
  readonly preferences: readonly { readonly kind: NotificationKind; readonly channel: NotificationChannel }[];
}

/** The signed-in person's own settings. */
export default function Account() {
  const { t } = useI18n();
  return (
    <div className="account">
      <h1>{t('account.title')}</h1>
      <NotificationPreferences />
    </div>
  );
}

/** How this person is told of each kind: in the app, by e-mail, both, or not at all. */
function NotificationPreferences() {
  const { t } = useI18n();
  const session = useSession();
  const settings = useQuery<{ notificationSettings: Settings }>(SETTINGS);
  // A choice shows at once, and stays unless the server refuses it.
  const [chosen, setChosen] = useState<Partial<Record<NotificationKind, NotificationChannel>>>({});
  const [saved, setSaved] = useState(false);
  const [problem, act] = useAction();
  const current = settings.data?.notificationSettings;
  const shownProblem = problem ?? settings.error?.message ?? null;
  async function choose(kind: NotificationKind, channel: NotificationChannel) {
    setSaved(false);
    const before = chosen[kind];
    setChosen((previous) => ({ ...previous, [kind]: channel }));
    const written = await act(() => session.request(SET_PREFERENCE, { kind, channel }));
    if (!written) setChosen((previous) => ({ ...previous, [kind]: before }));
    setSaved(written);
  }
  return (
    <section className="card stack" aria-labelledby="notification-settings-heading">
      <h2 id="notification-settings-heading">{t('notifications.title')}</h2>
      <p className="muted">{t('preferences.hint')}</p>
      {current?.emailEnabled === false && (
        <p className="notice" data-testid="no-email">
          {t('preferences.noEmail')}
        </p>
      )}
      {shownProblem !== null && (
        <p role="alert" className="error">
          {shownProblem}
        </p>
      )}
      {current?.preferences.map(({ kind, channel }) => (
        <fieldset key={kind} className="preference" data-testid="preference" data-kind={kind}>
          <legend>{t(`kind.${kind}`)}</legend>
          {channelsOf(kind).map((option) => (
            <label key={option} className="check">
              <input
                type="radio"
                name={`channel-${kind}`}
                value={option}
                checked={(chosen[kind] ?? channel) === option}
                onChange={() => void choose(kind, option)}
              />
              {t(`channel.${option}`)}
            </label>
          ))}
        </fieldset>
      ))}
      <p role="status" className="muted">
        {saved ? t('preferences.saved') : ''}
      </p>
    </section>
  );
}
