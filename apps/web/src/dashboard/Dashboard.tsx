import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useQuery, useSubscription } from '../api/hooks';
import { useSession } from '../api/session-context';
import { useI18n } from '../i18n/i18n';
import { Donut, ProgressBar, ShareBars, StackedColumns } from '../ui/charts';
import { RagBadge, RAG_COLORS } from '../ui/rag';
import { Mine } from './Mine';
import {
  ASSIGNED_QUERY,
  type Assignment,
  CREATE_FROM_TEMPLATE,
  CREATE_PLAN,
  type PlanRow,
  type PlansData,
  type PlanStatus,
  PLANS_QUERY,
  PORTFOLIO_CHANGED,
  PORTFOLIO_QUERY,
  type PortfolioData,
  type Rag,
  TEMPLATES_QUERY,
} from './queries';

const STATUSES: readonly PlanStatus[] = ['DRAFT', 'ACTIVE', 'ON_HOLD', 'COMPLETED', 'CANCELLED'];
const RAGS: readonly Rag[] = ['RED', 'AMBER', 'GREEN'];
const STATUS_COLORS: Record<PlanStatus, string> = {
  DRAFT: '#8c96a3',
  ACTIVE: '#1f6feb',
  ON_HOLD: '#b07d00',
  COMPLETED: '#1a7f37',
  CANCELLED: '#57606a',
};

/** Reloads at most every `ms` however many events arrive (a busy plan changes many times a second). */
function useThrottled(action: () => void, ms: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(action);
  latest.current = action;
  useEffect(() => () => clearTimeout(timer.current ?? undefined), []);
  return useMemo(
    () => () => {
      timer.current ??= setTimeout(() => {
        timer.current = null;
        latest.current();
      }, ms);
    },
    [ms],
  );
}

/** The last 18 months with milestones due: done, open, overdue. */
function milestonesByMonth(data: PortfolioData, language: string) {
  const month = new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' });
  return data.portfolio.milestonesByMonth.slice(-18).map((entry) => ({
    key: entry.month,
    label: month.format(new Date(`${entry.month}-01T00:00:00Z`)),
    group: entry.month.slice(0, 4),
    values: [entry.done, entry.open, entry.overdue],
  }));
}

export function Dashboard() {
  const { t, formatPercent, formatNumber, formatDay, language } = useI18n();
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<PlanStatus | ''>('');
  const [rag, setRag] = useState<Rag | ''>('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text]);

  const portfolio = useQuery<PortfolioData>(PORTFOLIO_QUERY);
  const filter = {
    ...(search === '' ? {} : { text: search }),
    ...(status === '' ? {} : { status: [status] }),
    ...(rag === '' ? {} : { rag: [rag] }),
  };
  const plans = useQuery<PlansData>(PLANS_QUERY, { filter });
  const mine = useQuery<{ assignedToMe: readonly Assignment[] }>(ASSIGNED_QUERY);
  const reload = useThrottled(() => {
    portfolio.reload();
    plans.reload();
    mine.reload();
  }, 400);
  useSubscription(PORTFOLIO_CHANGED, {}, reload);

  const figures = portfolio.data?.portfolio;
  const frameworkNames = new Map(portfolio.data?.catalog.frameworks.map((framework) => [framework.id, framework.name]));
  return (
    <div className="dashboard">
      <div className="page-heading">
        <h1>{t('dashboard.title')}</h1>
        <NewPlan />
      </div>
      {portfolio.error !== null && (
        <p role="alert" className="error">
          {t('error.generic', { reason: portfolio.error.message })}
        </p>
      )}
      {figures !== undefined && (
        <>
          <dl className="kpis" data-testid="kpis">
            <div>
              <dt>{t('dashboard.planCount')}</dt>
              <dd data-testid="kpi-plans">{formatNumber(figures.planCount)}</dd>
            </div>
            <div>
              <dt>{t('dashboard.averageProgress')}</dt>
              <dd>{formatPercent(figures.averageProgress)}</dd>
            </div>
            <div>
              <dt>{t('dashboard.overdueMilestones')}</dt>
              <dd className={figures.overdueMilestoneCount > 0 ? 'warn' : ''}>
                {formatNumber(figures.overdueMilestoneCount)}
              </dd>
            </div>
            <div>
              <dt>{t('dashboard.riskExposure')}</dt>
              <dd>{formatNumber(figures.riskExposure)}</dd>
            </div>
          </dl>
          <div className="chart-grid">
            <section className="card" aria-labelledby="chart-rag">
              <h2 id="chart-rag">{t('dashboard.byRag')}</h2>
              <Donut
                label={t('dashboard.byRag')}
                centerLabel={t('dashboard.plans')}
                slices={RAGS.map((value) => ({
                  key: value,
                  label: t(`rag.${value}`),
                  color: RAG_COLORS[value],
                  value: figures.byRag.find((entry) => entry.rag === value)?.count ?? 0,
                }))}
              />
            </section>
            <section className="card" aria-labelledby="chart-status">
              <h2 id="chart-status">{t('dashboard.byStatus')}</h2>
              <Donut
                label={t('dashboard.byStatus')}
                centerLabel={t('dashboard.plans')}
                slices={STATUSES.map((value) => ({
                  key: value,
                  label: t(`planStatus.${value}`),
                  color: STATUS_COLORS[value],
                  value: figures.byStatus.find((entry) => entry.status === value)?.count ?? 0,
                }))}
              />
            </section>
            <section className="card" aria-labelledby="chart-readiness">
              <h2 id="chart-readiness">{t('dashboard.readiness')}</h2>
              {figures.readinessByFramework.length === 0 ? (
                <p className="muted">{t('dashboard.noCheckpoints')}</p>
              ) : (
                <ShareBars
                  label={t('dashboard.readiness')}
                  format={formatPercent}
                  rows={figures.readinessByFramework.map((entry) => ({
                    key: entry.framework,
                    label: frameworkNames.get(entry.framework) ?? entry.framework,
                    share: entry.readiness,
                    detail: t('dashboard.checkpointCount', { count: entry.total }),
                  }))}
                />
              )}
            </section>
            <section className="card wide" aria-labelledby="chart-milestones">
              <h2 id="chart-milestones">{t('dashboard.milestonesOverTime')}</h2>
              <StackedColumns
                label={t('dashboard.milestonesOverTime')}
                series={[
                  { label: t('milestoneStatus.DONE'), color: 'var(--green)' },
                  { label: t('dashboard.open'), color: 'var(--blue)' },
                  { label: t('dashboard.overdue'), color: 'var(--red)' },
                ]}
                periods={portfolio.data === null ? [] : milestonesByMonth(portfolio.data, language)}
              />
            </section>
          </div>
        </>
      )}

      <Mine assignments={mine.data?.assignedToMe ?? null} />

      <section className="card" aria-labelledby="plans-heading">
        <div className="section-heading">
          <h2 id="plans-heading">
            {t('dashboard.planList')}{' '}
            {plans.data !== null && <span className="muted">({formatNumber(plans.data.plans.totalCount)})</span>}
          </h2>
          <div className="filters" role="search">
            <label>
              <span className="visually-hidden">{t('search')}</span>
              <input
                type="search"
                placeholder={t('dashboard.searchPlaceholder')}
                value={text}
                onChange={(event) => setText(event.target.value)}
              />
            </label>
            <label>
              <span className="visually-hidden">{t('dashboard.filterStatus')}</span>
              <select value={status} onChange={(event) => setStatus(event.target.value as PlanStatus | '')}>
                <option value="">{t('dashboard.allStatuses')}</option>
                {STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {t(`planStatus.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span className="visually-hidden">{t('dashboard.filterRag')}</span>
              <select value={rag} onChange={(event) => setRag(event.target.value as Rag | '')}>
                <option value="">{t('dashboard.allRag')}</option>
                {RAGS.map((value) => (
                  <option key={value} value={value}>
                    {t(`rag.${value}`)}
                  </option>
                ))}
              </select>
            </label>
          </div>
        </div>
        {plans.error !== null && (
          <p role="alert" className="error">
            {t('error.generic', { reason: plans.error.message })}
          </p>
        )}
        {plans.data === null ? (
          <p role="status">{t('loading')}</p>
        ) : plans.data.plans.edges.length === 0 ? (
          <p className="muted">{t('dashboard.noPlans')}</p>
        ) : (
          <ul className="plan-list" data-testid="plan-list">
            {plans.data.plans.edges.map(({ node }) => (
              <PlanCard key={node.id} plan={node} formatDay={formatDay} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function PlanCard({ plan, formatDay }: { readonly plan: PlanRow; readonly formatDay: (day: string | null) => string }) {
  const { t, formatPercent, formatNumber } = useI18n();
  return (
    <li className="plan-card" data-testid="plan-card" data-plan-id={plan.id}>
      <div className="plan-card-title">
        <Link href={`/plans/${plan.id}`}>{plan.title}</Link>
        <RagBadge rag={plan.rag} reasons={plan.ragReasons} />
        <span className="tag">{t(`planStatus.${plan.status}`)}</span>
      </div>
      <div className="plan-card-progress">
        <ProgressBar share={plan.progress} label={t('dashboard.progressOf', { title: plan.title })} />
        <span data-testid="plan-progress">{formatPercent(plan.progress)}</span>
      </div>
      <dl className="plan-card-facts">
        <div>
          <dt>{t('dashboard.nextMilestone')}</dt>
          <dd>
            {plan.nextMilestone === null
              ? t('none')
              : `${plan.nextMilestone.title} · ${formatDay(plan.nextMilestone.dueDate)}`}
          </dd>
        </div>
        <div>
          <dt>{t('dashboard.overdue')}</dt>
          <dd className={plan.overdueCount > 0 ? 'warn' : ''} data-testid="plan-overdue">
            {formatNumber(plan.overdueCount)}
          </dd>
        </div>
        <div>
          <dt>{t('dashboard.riskExposure')}</dt>
          <dd>{formatNumber(plan.riskExposure)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.readinessShort')}</dt>
          <dd>{plan.readiness === null ? '—' : formatPercent(plan.readiness)}</dd>
        </div>
        <div>
          <dt>{t('dashboard.target')}</dt>
          <dd>
            {plan.targetOffer === null ? '—' : plan.targetOffer.name}
            {plan.targetDate !== null && ` · ${formatDay(plan.targetDate)}`}
          </dd>
        </div>
      </dl>
    </li>
  );
}

/** Creates a plan, empty or from a template, and opens it. */
function NewPlan() {
  const { t } = useI18n();
  const session = useSession();
  const [, navigate] = useLocation();
  const dialog = useRef<HTMLDialogElement>(null);
  const templates = useQuery<{ templates: readonly { id: string; name: string; description: string }[] }>(
    TEMPLATES_QUERY,
  );
  const [problem, setProblem] = useState<string | null>(null);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const title = String(form.get('title'));
    const templateId = String(form.get('template'));
    const startDate = String(form.get('startDate'));
    try {
      const id =
        templateId === ''
          ? (await session.request<{ createPlan: { id: string } }>(CREATE_PLAN, { input: { title } })).createPlan.id
          : (
              await session.request<{ createPlanFromTemplate: { id: string } }>(CREATE_FROM_TEMPLATE, {
                input: { title, templateId, startDate },
              })
            ).createPlanFromTemplate.id;
      dialog.current?.close();
      navigate(`/plans/${id}`);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()}>
        {t('dashboard.newPlan')}
      </button>
      <dialog ref={dialog} aria-labelledby="new-plan-heading">
        <form className="stack" onSubmit={(event) => void create(event)}>
          <h2 id="new-plan-heading">{t('dashboard.newPlan')}</h2>
          {problem !== null && (
            <p role="alert" className="error">
              {problem}
            </p>
          )}
          <label>
            {t('dashboard.planTitle')}
            <input name="title" required maxLength={200} />
          </label>
          <label>
            {t('dashboard.template')}
            <select name="template" defaultValue="">
              <option value="">{t('dashboard.emptyPlan')}</option>
              {templates.data?.templates.map((template) => (
                <option key={template.id} value={template.id} title={template.description}>
                  {template.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('dashboard.startDate')}
            <input name="startDate" type="date" defaultValue={new Date().toISOString().slice(0, 10)} required />
          </label>
          <div className="actions">
            <button type="button" className="secondary" onClick={() => dialog.current?.close()}>
              {t('cancel')}
            </button>
            <button type="submit">{t('dashboard.create')}</button>
          </div>
        </form>
      </dialog>
    </>
  );
}
