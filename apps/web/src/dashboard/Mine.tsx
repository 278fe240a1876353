import { Link } from 'wouter';
import { type Translate, useI18n } from '../i18n/i18n';
import type { Assignment } from './queries';

/** One line of "Mine": the entry, its collection (where the editor opens it), and its status in words. */
function itemOf(assignment: Assignment, t: Translate) {
  const { milestone, risk, checkpoint } = assignment;
  if (milestone !== null)
    return {
      collection: 'milestones',
      entry: milestone,
      kind: t('subject.milestones'),
      status: t(`milestoneStatus.${milestone.status}`),
    };
  if (risk !== null)
    return { collection: 'risks', entry: risk, kind: t('subject.risks'), status: t(`riskStatus.${risk.status}`) };
  if (checkpoint !== null)
    return {
      collection: 'checkpoints',
      entry: checkpoint,
      kind: t('subject.checkpoints'),
      status: t(`checkpointStatus.${checkpoint.status}`),
    };
  return null;
}

/** What is assigned to the reader and still open, across the plans they may see, each a link to it. */
export function Mine({ assignments }: { readonly assignments: readonly Assignment[] | null }) {
  const { t, formatDay } = useI18n();
  return (
    <section className="card mine" aria-labelledby="mine-heading" data-testid="mine">
      <h2 id="mine-heading">
        {t('mine.title')} {assignments !== null && <span className="muted">({assignments.length})</span>}
      </h2>
      {assignments === null ? (
        <p role="status">{t('loading')}</p>
      ) : assignments.length === 0 ? (
        <p className="muted">{t('mine.none')}</p>
      ) : (
        <div className="table-scroll">
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">{t('mine.item')}</th>
                <th scope="col">{t('mine.plan')}</th>
                <th scope="col">{t('mine.when')}</th>
                <th scope="col">{t('mine.state')}</th>
              </tr>
            </thead>
            <tbody>
              {assignments.map((assignment) => {
                const item = itemOf(assignment, t);
                if (item === null) return null;
                const { milestone, risk } = assignment;
                return (
                  <tr key={item.entry.id} data-testid="mine-item">
                    <td>
                      <span className="muted">{item.kind} · </span>
                      <Link href={`/plans/${assignment.plan.id}?focus=${item.collection}/${item.entry.id}`}>
                        {item.entry.title}
                      </Link>
                    </td>
                    <td>{assignment.plan.title}</td>
                    <td className={milestone?.overdue === true ? 'warn' : undefined}>
                      {milestone === null ? '—' : formatDay(milestone.dueDate)}
                    </td>
                    <td>
                      {item.status}
                      {risk !== null && <span className="muted"> · {t('mine.score', { score: risk.score })}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
