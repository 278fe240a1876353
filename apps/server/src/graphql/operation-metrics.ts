import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../metrics/metrics.js';

/** Times each GraphQL operation over HTTP by type, (bounded) operation name and outcome. */
export function operationMetrics(metrics: Metrics): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = metrics.graphqlDuration.startTimer();
      return {
        async willSendResponse({ operation, operationName, errors }) {
          end({
            type: operation?.operation ?? 'invalid',
            operation: metrics.operationLabel(operationName),
            outcome: errors === undefined || errors.length === 0 ? 'ok' : 'error',
          });
        },
      };
    },
  };
}
