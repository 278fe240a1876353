import { commentPlainText } from '@bascule/plan-model';
import { useEffect, useRef } from 'react';
import { Link, useLocation } from 'wouter';
import { useQuery } from '../api/hooks';
import { useSession } from '../api/session-context';
import { useI18n } from '../i18n/i18n';
import { RelativeTime } from '../ui/RelativeTime';
import { MARK_READ, type Notification, NOTIFICATIONS } from './queries';
import { notificationSentence } from './sentence';

/** Where in this web client a notification's link leads (the server writes it with its public address). */
const pathOf = (url: string) => {
  const parsed = new URL(url, window.location.origin);
  return `${parsed.pathname}${parsed.search}`;
};

/**
 * The latest notifications, unread ones marked; one opened is read and leads where it is about;
 * "Mark all read" clears the count. Escape puts the list away.
 */
export default function NotificationPanel({
  arrivals,
  onRead,
  onClose,
}: {
  /** How many notifications arrived while the page was open: the list reads itself again at each. */
  readonly arrivals: number;
  /** Something was marked read: the count is read again. */
  readonly onRead: () => void;
  readonly onClose: () => void;
}) {
  const { t, formatDay } = useI18n();
  const session = useSession();
  const [, navigate] = useLocation();
  const list = useQuery<{ notifications: readonly Notification[] }>(NOTIFICATIONS);
  const reload = list.reload;
  const heading = useRef<HTMLHeadingElement>(null);
  const seen = useRef(arrivals);
  useEffect(() => {
    if (arrivals === seen.current) return;
    seen.current = arrivals;
    reload();
  }, [arrivals, reload]);
  useEffect(() => heading.current?.focus(), []);
  const notifications = list.data?.notifications ?? [];
  const markRead = async (ids?: readonly string[]) => {
    await session.request(MARK_READ, ids === undefined ? {} : { ids }).catch(() => undefined);
    onRead();
    reload();
  };
  return (
    <section
      id="notification-panel"
      className="notification-panel card"
      aria-labelledby="notification-panel-heading"
      data-testid="notification-panel"
      onKeyDown={(event) => {
        if (event.key === 'Escape') onClose();
      }}
    >
      <div className="section-heading">
        <h2 id="notification-panel-heading" ref={heading} tabIndex={-1}>
          {t('notifications.title')}
        </h2>
        <button
          type="button"
          className="link"
          disabled={!notifications.some((notification) => notification.readAt === null)}
          onClick={() => void markRead()}
        >
          {t('notifications.markAll')}
        </button>
      </div>
      {list.error !== null && (
        <p role="alert" className="error">
          {list.error.message}
        </p>
      )}
      {list.data !== null && notifications.length === 0 && <p className="muted">{t('notifications.empty')}</p>}
      <ul className="notification-list">
        {notifications.map((notification) => {
          const unread = notification.readAt === null;
          const path = pathOf(notification.url);
          return (
            <li
              key={notification.id}
              className={unread ? 'unread' : undefined}
              data-testid="notification"
              data-kind={notification.kind}
              data-unread={unread}
            >
              <a
                href={path}
                onClick={(event) => {
                  event.preventDefault();
                  if (unread) void markRead([notification.id]);
                  onClose();
                  navigate(path);
                }}
              >
                {unread && <span className="visually-hidden">{t('notifications.unread')}: </span>}
                <span className="notification-sentence">{notificationSentence(notification, t, formatDay)}</span>
                <span className="muted notification-where">
                  {notification.planTitle !== null && `${notification.planTitle} · `}
                  <RelativeTime at={notification.createdAt} />
                </span>
                {notification.excerpt !== null && (
                  <span className="notification-excerpt">{commentPlainText(notification.excerpt)}</span>
                )}
              </a>
            </li>
          );
        })}
      </ul>
      <Link href="/account" onClick={onClose}>
        {t('notifications.settings')}
      </Link>
    </section>
  );
}
