import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { useQuery, useSubscription } from '../api/hooks';
import { useI18n } from '../i18n/i18n';
import { NOTIFICATION_RECEIVED, UNREAD_COUNT } from './queries';

// The list loads when the bell is first opened: the first screen carries only the bell.
const NotificationPanel = lazy(() => import('./NotificationPanel'));

/**
 * The notification centre's bell: the unread count, live (each notification written for this
 * person arrives through the subscription) and read again when the page comes back to the front,
 * in case the connection missed one meanwhile. It opens the list.
 */
export function NotificationBell() {
  const { t } = useI18n();
  const count = useQuery<{ unreadNotificationCount: number }>(UNREAD_COUNT);
  const reloadCount = count.reload;
  /** Bumped at each notification arriving: an open list reads itself again. */
  const [arrivals, setArrivals] = useState(0);
  const [open, setOpen] = useState(false);
  const centre = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const arrived = useCallback(() => {
    reloadCount();
    setArrivals((value) => value + 1);
  }, [reloadCount]);
  useSubscription(NOTIFICATION_RECEIVED, {}, arrived);
  useEffect(() => {
    const back = () => {
      if (document.visibilityState === 'visible') reloadCount();
    };
    window.addEventListener('focus', back);
    document.addEventListener('visibilitychange', back);
    return () => {
      window.removeEventListener('focus', back);
      document.removeEventListener('visibilitychange', back);
    };
  }, [reloadCount]);
  useEffect(() => {
    if (!open) return;
    // A press anywhere else puts the list away, as a menu would.
    const outside = (event: PointerEvent) => {
      if (!centre.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const unread = count.data?.unreadNotificationCount ?? 0;
  const close = () => {
    setOpen(false);
    button.current?.focus();
  };
  return (
    <div className="notification-centre" ref={centre}>
      <button
        ref={button}
        type="button"
        className="bell secondary"
        aria-label={t('notifications.button', { count: unread })}
        aria-expanded={open}
        aria-controls="notification-panel"
        data-testid="notification-bell"
        onClick={() => setOpen((value) => !value)}
      >
        <svg viewBox="0 0 16 16" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            d="M8 1.5a4 4 0 0 0-4 4v3l-1.5 2.5h11L12 8.5v-3a4 4 0 0 0-4-4zM6.5 13a1.5 1.5 0 0 0 3 0"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.3"
            strokeLinejoin="round"
          />
        </svg>
        {unread > 0 && (
          <span className="count-badge" data-testid="notification-count">
            {unread}
          </span>
        )}
      </button>
      <span role="status" className="visually-hidden">
        {unread > 0 ? t('notifications.arrived', { count: unread }) : ''}
      </span>
      {open && (
        <Suspense fallback={null}>
          <NotificationPanel arrivals={arrivals} onRead={reloadCount} onClose={close} />
        </Suspense>
      )}
    </div>
  );
}
