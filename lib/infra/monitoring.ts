import { Duration, Validations } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  Metric,
  TreatMissingData,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from './towerless-function';
import { METRIC_NAMESPACE, METRIC_SERVICE_DIMENSION, METRICS } from './metric-names';

export interface MonitoringProps {
  /** The functions by name, for their errors and durations. */
  readonly functions: Readonly<Record<FunctionName, { readonly function: IFunction }>>;
  readonly httpApi: HttpApi;
  /** Stream records the notifier gave up on: any message there is a notification not sent. */
  readonly notifierDeadLetters: IQueue;
  /** Stream records the scheduler function gave up on: schedule changes not applied. */
  readonly schedulerDeadLetters: IQueue;
  /** Who receives alarms by email; without it the topic has no subscriber until one is added. */
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);

/**
 * The dashboard of workflow runs, failures and the functions behind them, and alarms for what
 * needs a person: failed workflows, approvals that timed out, tasks the watcher had to fail,
 * function failures, API errors, table changes nobody acted on. Alarms publish to one topic.
 *
 * CloudWatch bills an alarm by the metrics it reads, and an account's first 10 alarm metrics are
 * always free: these alarms read one metric each, 7 in all, so that watching a deployment nobody
 * uses costs nothing. Hence one FunctionErrors metric for every function (lib/aws/observability.ts)
 * rather than an alarm on each function's own Errors, which stay on the dashboard.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: Topic;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'Towerless alarms', enforceSSL: true });
    Validations.of(this.alarmTopic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        "Alarm messages carry an alarm's name, metric and threshold, nothing of a workflow. CloudWatch cannot publish to a topic under the AWS managed SNS key, and a customer managed key would be the stack's only monthly charge while idle ($1).",
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));

    const towerless = (metricName: string, statistic = 'Sum') =>
      new Metric({
        namespace: METRIC_NAMESPACE,
        metricName,
        dimensionsMap: { [METRIC_SERVICE_DIMENSION.name]: METRIC_SERVICE_DIMENSION.value },
        statistic,
        period: PERIOD,
      });
    const functions = Object.entries(props.functions).map(
      ([name, { function: fn }]) => [name as FunctionName, fn] as const,
    );
    const alarm = (id: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, id, {
        metric,
        threshold: 0,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No data means nothing ran: that is the normal state of an idle deployment.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(new SnsAction(this.alarmTopic));
      return created;
    };
    const deadLetterAlarm = (alarmId: string, queue: IQueue, description: string) =>
      alarm(
        alarmId,
        queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        description,
      );
    this.alarms = [
      alarm('WorkflowsFailed', towerless(METRICS.workflowJobsFailed), 'A workflow job failed.'),
      alarm(
        'ApprovalsTimedOut',
        towerless(METRICS.approvalsTimedOut),
        'An approval timed out without a decision.',
      ),
      alarm(
        'TasksStoppedByWatcher',
        towerless(METRICS.tasksStoppedByWatcher),
        'A runner task stopped without reporting; the task watcher failed its node.',
      ),
      alarm(
        'FunctionErrors',
        towerless(METRICS.functionErrors),
        "A function's invocation failed or timed out: its log names it.",
      ),
      alarm('ApiServerErrors', props.httpApi.metricServerError({ period: PERIOD }), 'The API answered 5xx.'),
      deadLetterAlarm(
        'NotificationsNotSent',
        props.notifierDeadLetters,
        'The notifier gave up on table stream records: their notifications were not sent.',
      ),
      deadLetterAlarm(
        'SchedulesNotApplied',
        props.schedulerDeadLetters,
        'The scheduler function gave up on schedule changes: EventBridge Scheduler does not have them.',
      ),
    ];

    const graph = (title: string, metrics: IMetric[]) => new GraphWidget({ title, left: metrics, width: 12 });
    this.dashboard = new Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(1),
      widgets: [
        [
          graph('Workflow jobs', [
            towerless(METRICS.workflowJobsSucceeded),
            towerless(METRICS.workflowJobsFailed),
            towerless(METRICS.workflowJobsCanceled),
          ]),
          graph('Workflow job duration (seconds)', [
            towerless(METRICS.workflowJobDuration, 'Average'),
            towerless(METRICS.workflowJobDuration, 'p90'),
          ]),
        ],
        [
          graph('Node failures, approvals timed out, tasks stopped by the watcher', [
            towerless(METRICS.nodeJobsFailed),
            towerless(METRICS.approvalsTimedOut),
            towerless(METRICS.tasksStoppedByWatcher),
          ]),
          graph('API', [
            props.httpApi.metricClientError({ period: PERIOD }),
            props.httpApi.metricServerError({ period: PERIOD }),
          ]),
        ],
        [
          graph(
            'Function errors',
            functions.map(([name, fn]) => fn.metricErrors({ period: PERIOD, label: name })),
          ),
          graph(
            'Function duration (p90, ms)',
            functions.map(([name, fn]) =>
              fn.metricDuration({ period: PERIOD, statistic: 'p90', label: name }),
            ),
          ),
        ],
        [graph('API latency (ms)', [props.httpApi.metricLatency({ period: PERIOD, statistic: 'p90' })])],
      ],
    });
  }
}
