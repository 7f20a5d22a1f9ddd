import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { constructId, type FunctionName } from './towerless-function';
import { METRIC_NAMESPACE, METRIC_SERVICE_DIMENSION, METRICS } from './metric-names';

export interface MonitoringProps {
  /** The functions by name, for their errors and durations. */
  readonly functions: Readonly<Record<FunctionName, { readonly function: IFunction }>>;
  readonly httpApi: HttpApi;
  /** Stream records the notifier gave up on: any message there is a notification not sent. */
  readonly notifierDeadLetters: IQueue;
  /** Who receives alarms by email; without it the topic has no subscriber until one is added. */
  readonly alarmEmail?: string;
}

const PERIOD = Duration.minutes(5);

/** What administering a key takes: its policy, rotation, state, tags and deletion. */
const KEY_ADMIN_ACTIONS = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:PutKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:UpdateKeyDescription',
  'kms:ListResourceTags',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
];

/**
 * The dashboard of workflow runs, failures and the functions behind them, and alarms for what
 * needs a person: failed workflows, approvals that timed out, tasks the watcher had to fail,
 * function errors, notifications not sent. Alarms publish to one encrypted topic.
 */
export class Monitoring extends Construct {
  readonly dashboard: Dashboard;
  readonly alarmTopic: Topic;
  /** CloudWatch cannot publish to a topic encrypted with the AWS managed SNS key: it needs its own. */
  readonly alarmTopicKey: Key;
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    this.alarmTopicKey = new Key(this, 'AlarmTopicKey', {
      description: 'Towerless: encrypts the alarm topic',
      enableKeyRotation: true,
      // It guards alarm messages in flight, nothing kept: a retained key would bill every month.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
      // The account administers the key (named actions, not kms:*) and never uses it itself.
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            principals: [new AccountRootPrincipal()],
            actions: KEY_ADMIN_ACTIONS,
            resources: ['*'],
          }),
        ],
      }),
    });
    this.alarmTopicKey.grant(
      new ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );
    this.alarmTopic = new Topic(this, 'AlarmTopic', {
      displayName: 'Towerless alarms',
      masterKey: this.alarmTopicKey,
      enforceSSL: true,
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
      ...functions.map(([name, fn]) =>
        alarm(
          `${constructId(name)}Errors`,
          fn.metricErrors({ period: PERIOD }),
          `The ${name} function failed.`,
        ),
      ),
      alarm(
        'NotificationsNotSent',
        props.notifierDeadLetters.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
        }),
        'The notifier gave up on table stream records: their notifications were not sent.',
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
