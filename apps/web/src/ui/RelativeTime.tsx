import { useSyncExternalStore } from 'react';
import { useI18n } from '../i18n/i18n';

/** One clock for every relative time on the page, ticking every 30 s while any is shown. */
const clock = {
  now: Date.now(),
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(listener: () => void): () => void {
    if (clock.listeners.size === 0) {
      clock.now = Date.now();
      clock.timer = setInterval(() => {
        clock.now = Date.now();
        for (const notify of clock.listeners) notify();
      }, 30_000);
    }
    clock.listeners.add(listener);
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0) clearInterval(clock.timer);
    };
  },
};

const formats = new Map<string, { relative: Intl.RelativeTimeFormat; date: Intl.DateTimeFormat }>();

function formatsOf(language: string) {
  let found = formats.get(language);
  if (found === undefined) {
    found = {
      relative: new Intl.RelativeTimeFormat(language, { numeric: 'auto' }),
      date: new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' }),
    };
    formats.set(language, found);
  }
  return found;
}

/** "now", "5 minutes ago", "yesterday"; the date itself after a week. */
export function relativeTime(at: string, now: number, language: string): string {
  const { relative, date } = formatsOf(language);
  // The shared clock may lag a just-written stamp by a few seconds: never "in 3 seconds".
  const seconds = Math.max(0, (now - Date.parse(at)) / 1000);
  if (seconds < 45) return relative.format(0, 'second');
  if (seconds < 45 * 60) return relative.format(-Math.round(seconds / 60), 'minute');
  if (seconds < 22 * 3600) return relative.format(-Math.round(seconds / 3600), 'hour');
  if (seconds < 7 * 86_400) return relative.format(-Math.round(seconds / 86_400), 'day');
  return date.format(new Date(at));
}

/** A moment as the time since it, kept current; the date and time itself in its tooltip. */
export function RelativeTime({ at }: { readonly at: string }) {
  const { language } = useI18n();
  const now = useSyncExternalStore(clock.subscribe, () => clock.now);
  return (
    <time dateTime={at} title={formatsOf(language).date.format(new Date(at))}>
      {relativeTime(at, now, language)}
    </time>
  );
}
