import { type FormEvent, useEffect, useState } from 'react';
import { useQuery } from '../api/hooks';
import { useSession } from '../api/session-context';
import { useAction } from '../api/use-action';
import { useI18n } from '../i18n/i18n';
import { DataTable } from '../ui/DataTable';
import { useViewer } from '../viewer';
import { Webhooks } from './Webhooks';

type OrgRole = 'OWNER' | 'ADMIN' | 'MEMBER';
type PlanRole = 'OWNER' | 'EDITOR' | 'APPROVER' | 'VIEWER';
const ORG_ROLES: readonly OrgRole[] = ['OWNER', 'ADMIN', 'MEMBER'];
const PLAN_ROLES: readonly PlanRole[] = ['OWNER', 'EDITOR', 'APPROVER', 'VIEWER'];

interface User {
  readonly id: string;
  readonly displayName: string;
  readonly email: string;
}

const MEMBERS_QUERY = /* GraphQL */ `
  query Members {
    members(first: 500) {
      role
      joinedAt
      user {
        id
        displayName
        email
      }
    }
  }
`;

const TOKENS_QUERY = /* GraphQL */ `
  query ApiTokens {
    apiTokens {
      id
      name
      prefix
      scopes
      createdAt
      lastUsedAt
      expiresAt
      revokedAt
    }
  }
`;

const SHARING_QUERY = /* GraphQL */ `
  query Sharing {
    plans(first: 500, orderBy: { field: TITLE, direction: ASC }) {
      edges {
        node {
          id
          title
          viewerRole
          defaultMemberRole
          members {
            role
            user {
              id
              displayName
              email
            }
          }
        }
      }
    }
  }
`;

/** Everything an organization's administrators look after, on one page. */
export default function Admin() {
  const { t } = useI18n();
  const viewer = useViewer();
  const canAdminister = viewer?.role === 'OWNER' || viewer?.role === 'ADMIN';
  return (
    <div className="admin">
      <h1>{viewer?.organization?.name ?? t('nav.admin')}</h1>
      {!canAdminister && viewer !== null && <p className="notice">{t('admin.memberNotice')}</p>}
      <Members canAdminister={canAdminister} />
      {canAdminister && <Invite />}
      <Sharing />
      {canAdminister && <ApiTokens />}
      {canAdminister && <Webhooks />}
      <SingleSignOn />
    </div>
  );
}

function Problem({ text }: { readonly text: string | null }) {
  return text === null ? null : (
    <p role="alert" className="error">
      {text}
    </p>
  );
}

function Members({ canAdminister }: { readonly canAdminister: boolean }) {
  const { t, formatDay } = useI18n();
  const session = useSession();
  const viewer = useViewer();
  const members = useQuery<{ members: readonly { role: OrgRole; joinedAt: string; user: User }[] }>(MEMBERS_QUERY);
  const [problem, act] = useAction();
  return (
    <section className="card" aria-labelledby="members-heading">
      <h2 id="members-heading">{t('admin.members')}</h2>
      <Problem text={problem ?? members.error?.message ?? null} />
      <DataTable testId="members" columns={[t('admin.name'), t('signIn.email'), t('admin.role'), t('admin.joined')]}>
        {members.data?.members.map((member) => {
          const self = member.user.id === viewer?.user.id;
          return (
            <tr key={member.user.id}>
              <td>{member.user.displayName}</td>
              <td>{member.user.email}</td>
              <td>
                <select
                  aria-label={t('admin.roleOf', { name: member.user.displayName })}
                  value={member.role}
                  disabled={!canAdminister || self}
                  onChange={(event) =>
                    void act(() =>
                      session.request(
                        'mutation ($userId: ID!, $role: OrgRole!) { changeMemberRole(userId: $userId, role: $role) { role } }',
                        { userId: member.user.id, role: event.target.value },
                      ),
                    ).then(members.reload)
                  }
                >
                  {ORG_ROLES.map((role) => (
                    <option key={role} value={role}>
                      {t(`orgRole.${role}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>{formatDay(member.joinedAt.slice(0, 10))}</td>
              <td>
                {canAdminister && !self && (
                  <button
                    type="button"
                    className="icon danger"
                    aria-label={t('admin.remove', { name: member.user.displayName })}
                    onClick={() => {
                      if (window.confirm(t('admin.confirmRemove', { name: member.user.displayName })))
                        void act(() =>
                          session.request('mutation ($userId: ID!) { removeMember(userId: $userId) { role } }', {
                            userId: member.user.id,
                          }),
                        ).then(members.reload);
                    }}
                  >
                    ×
                  </button>
                )}
              </td>
            </tr>
          );
        })}
      </DataTable>
    </section>
  );
}

/** Invites someone: the server e-mails them the link when it sends e-mail, in this page's language; else the link is shown to pass on. */
function Invite() {
  const { t, language } = useI18n();
  const session = useSession();
  const [sent, setSent] = useState<{ readonly link: string; readonly emailedTo: string | null } | null>(null);
  const [problem, act] = useAction();
  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    await act(async () => {
      const email = String(form.get('email'));
      const result = await session.request<{ inviteMember: { acceptUrl: string; emailed: boolean } }>(
        'mutation ($input: InviteMemberInput!, $language: Language) { inviteMember(input: $input, language: $language) { acceptUrl emailed } }',
        { input: { email, role: form.get('role') }, language },
      );
      setSent({ link: result.inviteMember.acceptUrl, emailedTo: result.inviteMember.emailed ? email : null });
      target.reset();
    });
  }
  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t('admin.invite')}</h2>
      <Problem text={problem} />
      <form className="inline-form" onSubmit={(event) => void invite(event)}>
        <label>
          {t('signIn.email')}
          <input name="email" type="email" required />
        </label>
        <label>
          {t('admin.role')}
          <select name="role" defaultValue="MEMBER">
            {ORG_ROLES.map((role) => (
              <option key={role} value={role}>
                {t(`orgRole.${role}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('admin.sendInvite')}</button>
      </form>
      {sent !== null &&
        (sent.emailedTo !== null ? (
          <p role="status" data-testid="invite-emailed">
            {t('admin.inviteEmailed', { email: sent.emailedTo })}
          </p>
        ) : (
          <div role="status">
            <p>{t('admin.inviteLink')}</p>
            <p className="secret" data-testid="invite-link">
              {sent.link}
            </p>
          </div>
        ))}
    </section>
  );
}

interface SharedPlan {
  readonly id: string;
  readonly title: string;
  readonly viewerRole: PlanRole;
  readonly defaultMemberRole: PlanRole | null;
  readonly members: readonly { readonly role: PlanRole; readonly user: User }[];
}

function Sharing() {
  const { t } = useI18n();
  const session = useSession();
  const plans = useQuery<{ plans: { edges: readonly { node: SharedPlan }[] } }>(SHARING_QUERY);
  const members = useQuery<{ members: readonly { user: User }[] }>(MEMBERS_QUERY);
  const [problem, act] = useAction();
  const owned = plans.data?.plans.edges.map((edge) => edge.node).filter((plan) => plan.viewerRole === 'OWNER') ?? [];
  const setRole = (planId: string, userId: string, role: PlanRole | null) =>
    void act(() =>
      session.request(
        'mutation ($planId: ID!, $userId: ID!, $role: PlanRole) { setPlanMemberRole(planId: $planId, userId: $userId, role: $role) { role } }',
        { planId, userId, role },
      ),
    ).then(plans.reload);
  return (
    <section className="card" aria-labelledby="sharing-heading">
      <h2 id="sharing-heading">{t('admin.sharing')}</h2>
      <p className="muted">{t('admin.sharingHint')}</p>
      <Problem text={problem ?? plans.error?.message ?? null} />
      {owned.length === 0 && plans.data !== null && <p className="muted">{t('admin.noOwnedPlans')}</p>}
      {owned.map((plan) => {
        const shared = new Set(plan.members.map((member) => member.user.id));
        const others = members.data?.members.filter((member) => !shared.has(member.user.id)) ?? [];
        return (
          <details key={plan.id} className="sharing-plan" data-testid="sharing-plan">
            <summary>
              {plan.title}{' '}
              <span className="muted">
                ·{' '}
                {plan.defaultMemberRole === null
                  ? t('admin.sharedExplicitly')
                  : t('admin.everyoneIs', { role: t(`planRole.${plan.defaultMemberRole}`) })}
              </span>
            </summary>
            <label>
              {t('admin.defaultRole')}
              <select
                value={plan.defaultMemberRole ?? ''}
                onChange={(event) =>
                  void act(() =>
                    session.request(
                      'mutation ($planId: ID!, $role: PlanRole) { setPlanDefaultRole(planId: $planId, role: $role) { id } }',
                      { planId: plan.id, role: event.target.value === '' ? null : event.target.value },
                    ),
                  ).then(plans.reload)
                }
              >
                <option value="">{t('admin.noDefault')}</option>
                {PLAN_ROLES.filter((role) => role !== 'OWNER').map((role) => (
                  <option key={role} value={role}>
                    {t(`planRole.${role}`)}
                  </option>
                ))}
              </select>
            </label>
            <table className="grid">
              <tbody>
                {plan.members.map((member) => (
                  <tr key={member.user.id}>
                    <td>{member.user.displayName}</td>
                    <td>
                      <select
                        aria-label={t('admin.planRoleOf', { name: member.user.displayName })}
                        value={member.role}
                        onChange={(event) => setRole(plan.id, member.user.id, event.target.value as PlanRole)}
                      >
                        {PLAN_ROLES.map((role) => (
                          <option key={role} value={role}>
                            {t(`planRole.${role}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="icon danger"
                        aria-label={t('admin.unshare', { name: member.user.displayName })}
                        onClick={() => setRole(plan.id, member.user.id, null)}
                      >
                        ×
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {others.length > 0 && (
              <form
                className="inline-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  const form = new FormData(event.currentTarget);
                  setRole(plan.id, String(form.get('user')), form.get('role') as PlanRole);
                }}
              >
                <label>
                  {t('admin.member')}
                  <select name="user">
                    {others.map((member) => (
                      <option key={member.user.id} value={member.user.id}>
                        {member.user.displayName}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t('admin.role')}
                  <select name="role" defaultValue="EDITOR">
                    {PLAN_ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`planRole.${role}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit">{t('admin.share')}</button>
              </form>
            )}
          </details>
        );
      })}
    </section>
  );
}

interface ApiToken {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: readonly ('READ' | 'WRITE')[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
}

function ApiTokens() {
  const { t, formatDay } = useI18n();
  const session = useSession();
  const tokens = useQuery<{ apiTokens: readonly ApiToken[] }>(TOKENS_QUERY);
  const [secret, setSecret] = useState<string | null>(null);
  const [problem, act] = useAction();
  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    const ok = await act(async () => {
      const result = await session.request<{ createApiToken: { secret: string } }>(
        'mutation ($input: CreateApiTokenInput!) { createApiToken(input: $input) { secret } }',
        {
          input: {
            name: form.get('name'),
            scopes: form.get('scope') === 'WRITE' ? ['READ', 'WRITE'] : ['READ'],
            ...(form.get('expires') === '' ? {} : { expiresAt: `${String(form.get('expires'))}T23:59:59Z` }),
          },
        },
      );
      setSecret(result.createApiToken.secret);
      target.reset();
    });
    if (ok) tokens.reload();
  }
  return (
    <section className="card" aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">{t('admin.tokens')}</h2>
      <p className="muted">{t('admin.tokensHint')}</p>
      <Problem text={problem ?? tokens.error?.message ?? null} />
      <form className="inline-form" onSubmit={(event) => void create(event)}>
        <label>
          {t('admin.tokenName')}
          <input name="name" required maxLength={100} />
        </label>
        <label>
          {t('admin.scope')}
          <select name="scope" defaultValue="READ">
            <option value="READ">{t('admin.scope.read')}</option>
            <option value="WRITE">{t('admin.scope.write')}</option>
          </select>
        </label>
        <label>
          {t('admin.expires')}
          <input name="expires" type="date" />
        </label>
        <button type="submit">{t('admin.createToken')}</button>
      </form>
      {secret !== null && (
        <div role="status" className="stack">
          <p>{t('admin.secretOnce')}</p>
          <p className="secret" data-testid="token-secret">
            {secret}
          </p>
          <div>
            <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>
              {t('admin.copy')}
            </button>{' '}
            <button type="button" className="secondary" onClick={() => setSecret(null)}>
              {t('admin.done')}
            </button>
          </div>
        </div>
      )}
      <DataTable
        testId="api-tokens"
        columns={[t('admin.tokenName'), t('admin.scope'), t('admin.created'), t('admin.lastUsed'), t('admin.expires')]}
      >
        {tokens.data?.apiTokens.map((token) => (
          <tr key={token.id} className={token.revokedAt === null ? undefined : 'muted'}>
            <td>
              {token.name} <code className="muted">{token.prefix}…</code>
            </td>
            <td>{token.scopes.includes('WRITE') ? t('admin.scope.write') : t('admin.scope.read')}</td>
            <td>{formatDay(token.createdAt.slice(0, 10))}</td>
            <td>{formatDay(token.lastUsedAt?.slice(0, 10))}</td>
            <td>{formatDay(token.expiresAt?.slice(0, 10))}</td>
            <td>
              {token.revokedAt === null ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() =>
                    void act(() =>
                      session.request('mutation ($id: ID!) { revokeApiToken(id: $id) { id } }', { id: token.id }),
                    ).then(tokens.reload)
                  }
                >
                  {t('admin.revoke')}
                </button>
              ) : (
                t('admin.revoked')
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function SingleSignOn() {
  const { t } = useI18n();
  const [name, setName] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    fetch('/auth/providers')
      .then((response) => response.json() as Promise<{ oidc: { name: string } | null }>)
      .then(
        (providers) => setName(providers.oidc?.name ?? null),
        () => setName(null),
      );
  }, []);
  return (
    <section className="card" aria-labelledby="sso-heading">
      <h2 id="sso-heading">{t('admin.sso')}</h2>
      <p data-testid="sso-status">
        {name === undefined ? t('loading') : name === null ? t('admin.ssoOff') : t('admin.ssoOn', { name })}
      </p>
    </section>
  );
}
