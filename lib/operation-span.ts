import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { trace } from '@opentelemetry/api';
import { createOperationLabeler } from './operation-label.js';

/**
 * Names each request's server span after its operation (`query SessionView`), with the same
 * bounded operation label the metrics use: a trace list then reads like the traffic it shows.
 */
export function createOperationSpanPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  const label = createOperationLabeler();
  return {
    async requestDidStart() {
      // the request's own span: the gateway's plan execution sets spans of its own as active later
      const span = trace.getActiveSpan();
      if (!span?.isRecording()) return {};
      return {
        async didResolveOperation({ operation, operationName }) {
          if (!operation) return;
          const name = label(operationName);
          span.updateName(`${operation.operation} ${name}`);
          span.setAttributes({ 'graphql.operation.type': operation.operation, 'graphql.operation.name': name });
        },
      };
    },
  };
}
