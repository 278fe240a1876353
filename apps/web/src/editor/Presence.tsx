import { useEffect, useState } from 'react';
import { readEntryValues } from '@bascule/plan-model';
import { useI18n } from '../i18n/i18n';
import type { PlanConnection } from './plan-connection';

const SECTIONS = [
  'plan',
  'milestones',
  'risks',
  'checkpoints',
  'workloads',
  'runbooks',
  'runbookTasks',
  'notes',
] as const;
type Section = (typeof SECTIONS)[number];

interface Peer {
  readonly id: string;
  readonly name: string;
  readonly color: string;
  readonly editing: string | null;
}

/** Who else has the plan open (one entry per person, whatever their tabs), and what they edit. */
function peersOf(connection: PlanConnection): Peer[] {
  const awareness = connection.provider.awareness;
  const peers = new Map<string, Peer>();
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = state.user as { id?: unknown; name?: unknown; color?: unknown } | undefined;
    if (typeof user?.id !== 'string') continue;
    const editing = typeof state.editing === 'string' ? state.editing : null;
    const known = peers.get(user.id);
    if (known === undefined || (known.editing === null && editing !== null))
      peers.set(user.id, {
        id: user.id,
        name: typeof user.name === 'string' ? user.name : '?',
        color: typeof user.color === 'string' ? user.color : '#57606a',
        editing,
      });
  }
  return [...peers.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function Presence({ connection }: { readonly connection: PlanConnection }) {
  const { t } = useI18n();
  const [peers, setPeers] = useState<Peer[]>(() => peersOf(connection));
  useEffect(() => {
    const awareness = connection.provider.awareness;
    const refresh = () => setPeers(peersOf(connection));
    awareness.on('change', refresh);
    refresh();
    return () => awareness.off('change', refresh);
  }, [connection]);
  const where = (editing: string | null) => {
    if (editing === null) return t('presence.viewing');
    const [section, id] = editing.split('/') as [Section, string | undefined];
    if (!SECTIONS.includes(section)) return t('presence.viewing');
    const named = t(`presence.section.${section}`);
    // The entry by its title, as it reads now (it may have been renamed since the peer focused it).
    const title =
      id !== undefined && section !== 'plan' && section !== 'notes'
        ? readEntryValues(connection.doc, section, id)?.title
        : undefined;
    return typeof title === 'string' && title !== ''
      ? t('presence.editingEntry', { section: named, title })
      : t('presence.editing', { section: named });
  };
  return (
    <div className="presence" aria-label={t('presence.label')} data-testid="presence">
      {peers.length === 0 ? (
        <span className="muted">{t('presence.alone')}</span>
      ) : (
        <ul>
          {peers.map((peer) => (
            <li key={peer.id} title={`${peer.name} — ${where(peer.editing)}`} data-testid="peer">
              <span className="avatar" style={{ background: peer.color }} aria-hidden="true">
                {peer.name.slice(0, 1).toUpperCase()}
              </span>
              <span className="peer-name">{peer.name}</span>
              <span className="peer-where" data-testid="peer-where">
                {where(peer.editing)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
