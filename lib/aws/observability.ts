import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { METRIC_NAMESPACE, METRIC_SERVICE_DIMENSION, METRIC_UNITS, METRICS } from '../infra/metric-names';

/**
 * Structured JSON logs, EMF metrics and X-Ray traces for every function (Powertools for AWS
 * Lambda). Logs carry ids, statuses and error names, never records or payloads: a payload may
 * hold a task token, and records hold what users typed.
 */
export const logger = new Logger({ serviceName: METRIC_SERVICE_DIMENSION.value });
export const tracer = new Tracer({ serviceName: METRIC_SERVICE_DIMENSION.value });
export const metrics = new Metrics({
  namespace: METRIC_NAMESPACE,
  serviceName: METRIC_SERVICE_DIMENSION.value,
});

export function countMetric(name: keyof typeof METRICS, value = 1): void {
  const unit = METRIC_UNITS[name] === 'Seconds' ? MetricUnit.Seconds : MetricUnit.Count;
  metrics.addMetric(METRICS[name], unit, value);
}

/**
 * How long before Lambda's deadline an invocation still running is counted as failed: time enough
 * to write the metric and the log line before Lambda ends the process.
 */
export const TIMEOUT_MARGIN_MS = 1000;

/**
 * Wraps a handler: the invocation's context in every log line, a cold-start metric, the metrics
 * of the invocation flushed after it, and its failure logged by name before Lambda sees it.
 * Failures, timeouts included, count one `FunctionErrors` whichever function failed: one alarm
 * watches them all (lib/infra/monitoring.ts), where Lambda's own Errors metric would take an alarm
 * per function.
 */
export function instrumented<E, R>(
  name: string,
  handler: (event: E, context: Context) => Promise<R>,
): (event: E, context: Context) => Promise<R> {
  const failed = (message: string, details: Record<string, unknown>) => {
    logger.error(message, details);
    countMetric('functionErrors');
  };
  return async (event, context) => {
    logger.addContext(context);
    metrics.captureColdStartMetric(name);
    const deadline = setTimeout(
      () => {
        failed(`${name} is about to time out`, { remainingMs: context.getRemainingTimeInMillis() });
        metrics.publishStoredMetrics();
      },
      Math.max(0, context.getRemainingTimeInMillis() - TIMEOUT_MARGIN_MS),
    );
    try {
      return await handler(event, context);
    } catch (error) {
      failed(`${name} failed`, { error: (error as Error).name, reason: (error as Error).message });
      throw error;
    } finally {
      clearTimeout(deadline);
      // An invocation that counted nothing publishes nothing (Powertools would warn of it).
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
