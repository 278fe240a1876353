import type { CheckpointStatus, MilestoneStatus, RiskStatus } from '@bascule/plan-model';

export type Rag = 'GREEN' | 'AMBER' | 'RED';
export type PlanStatus = 'DRAFT' | 'ACTIVE' | 'ON_HOLD' | 'COMPLETED' | 'CANCELLED';

export interface PortfolioData {
  readonly portfolio: {
    readonly planCount: number;
    readonly averageProgress: number;
    readonly overdueMilestoneCount: number;
    readonly riskExposure: number;
    readonly byRag: readonly { readonly rag: Rag; readonly count: number }[];
    readonly byStatus: readonly { readonly status: PlanStatus; readonly count: number }[];
    readonly readinessByFramework: readonly {
      readonly framework: string;
      readonly readiness: number;
      readonly total: number;
    }[];
    readonly milestonesByMonth: readonly {
      readonly month: string;
      readonly done: number;
      readonly open: number;
      readonly overdue: number;
    }[];
  };
  readonly catalog: { readonly frameworks: readonly { readonly id: string; readonly name: string }[] };
}

export const PORTFOLIO_QUERY = /* GraphQL */ `
  query Portfolio {
    portfolio {
      planCount
      averageProgress
      overdueMilestoneCount
      riskExposure
      byRag {
        rag
        count
      }
      byStatus {
        status
        count
      }
      readinessByFramework {
        framework
        readiness
        total
      }
      milestonesByMonth {
        month
        done
        open
        overdue
      }
    }
    catalog {
      frameworks {
        id
        name
      }
    }
  }
`;

export interface PlanRow {
  readonly id: string;
  readonly title: string;
  readonly status: PlanStatus;
  readonly rag: Rag;
  readonly ragReasons: readonly string[];
  readonly progress: number;
  readonly overdueCount: number;
  readonly riskExposure: number;
  readonly maxRiskScore: number;
  readonly readiness: number | null;
  readonly targetDate: string | null;
  readonly viewerRole: string;
  readonly targetOffer: { readonly name: string; readonly secNumCloudStatus: string } | null;
  readonly nextMilestone: { readonly title: string; readonly dueDate: string | null } | null;
}

export interface PlansData {
  readonly plans: { readonly totalCount: number; readonly edges: readonly { readonly node: PlanRow }[] };
}

export const PLANS_QUERY = /* GraphQL */ `
  query Plans($filter: PlanFilter) {
    plans(first: 200, filter: $filter, orderBy: { field: TITLE, direction: ASC }) {
      totalCount
      edges {
        node {
          id
          title
          status
          rag
          ragReasons
          progress
          overdueCount
          riskExposure
          maxRiskScore
          readiness
          targetDate
          viewerRole
          targetOffer {
            name
            secNumCloudStatus
          }
          nextMilestone {
            title
            dueDate
          }
        }
      }
    }
  }
`;

export const PORTFOLIO_CHANGED = /* GraphQL */ `
  subscription PortfolioChanged {
    portfolioChanged {
      planCount
    }
  }
`;

export const TEMPLATES_QUERY = /* GraphQL */ `
  query Templates {
    templates {
      id
      name
      description
    }
  }
`;

export const CREATE_FROM_TEMPLATE = /* GraphQL */ `
  mutation CreatePlanFromTemplate($input: CreatePlanFromTemplateInput!) {
    createPlanFromTemplate(input: $input) {
      id
    }
  }
`;

export const CREATE_PLAN = /* GraphQL */ `
  mutation CreatePlan($input: CreatePlanInput!) {
    createPlan(input: $input) {
      id
    }
  }
`;

export interface Assignment {
  readonly plan: { readonly id: string; readonly title: string };
  readonly milestone: {
    readonly id: string;
    readonly title: string;
    readonly dueDate: string | null;
    readonly status: MilestoneStatus;
    readonly overdue: boolean;
  } | null;
  readonly risk: {
    readonly id: string;
    readonly title: string;
    readonly score: number;
    readonly status: RiskStatus;
  } | null;
  readonly checkpoint: { readonly id: string; readonly title: string; readonly status: CheckpointStatus } | null;
}

export const ASSIGNED_QUERY = /* GraphQL */ `
  query AssignedToMe {
    assignedToMe {
      plan {
        id
        title
      }
      milestone {
        id
        title
        dueDate
        status
        overdue
      }
      risk {
        id
        title
        score
        status
      }
      checkpoint {
        id
        title
        status
      }
    }
  }
`;
