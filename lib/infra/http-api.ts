import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  ApiMapping,
  DomainName,
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { retainedLogGroup } from './log-groups';
import type { CustomDomain } from './settings';

export interface TowerlessHttpApiProps {
  readonly handler: IFunction;
  /** Steady-state requests per second, and the burst above it, for the whole stage. */
  readonly rateLimit: number;
  readonly burstLimit: number;
  readonly customDomain?: CustomDomain;
}

/** What each access log line records (HTTP API context variables), as JSON. */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
  userAgent: '$context.identity.userAgent',
};

/**
 * The AWX-compatible REST API: an HTTP API whose `$default` stage has no path prefix, so AWX
 * clients call `<host>/api/v2/...` as they would AWX. Every path goes to the api function
 * (payload 2.0), which authenticates AWX Bearer tokens itself; approval links are signed.
 */
export class TowerlessHttpApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly domainName?: DomainName;
  /** The URL clients use: the custom domain when there is one, else the stage's. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: TowerlessHttpApiProps) {
    super(scope, id);
    this.httpApi = new HttpApi(this, 'Api', {
      description: 'Towerless: the AWX-compatible REST API',
      // Declared below, with throttling and access logs, which the default stage cannot take.
      createDefaultStage: false,
    });
    const integration = new HttpLambdaIntegration('Handler', props.handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    const routes = this.httpApi.addRoutes({
      path: '/{proxy+}',
      methods: [HttpMethod.ANY],
      integration,
    });
    routes.push(...this.httpApi.addRoutes({ path: '/', methods: [HttpMethod.ANY], integration }));
    for (const route of routes)
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The api function authenticates every request itself, as AWX does (Bearer personal access tokens, Basic for the awx.awx login); approval links are signed, expiring capabilities. An API Gateway authorizer cannot check either.',
      });
    this.accessLogs = retainedLogGroup(this, 'AccessLogs');
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    if (props.customDomain) {
      this.domainName = new DomainName(this, 'DomainName', {
        domainName: props.customDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.customDomain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
      new ApiMapping(this, 'Mapping', {
        api: this.httpApi,
        domainName: this.domainName,
        stage: this.stage,
      });
    }
    this.url = props.customDomain ? `https://${props.customDomain.domainName}/` : this.stage.url;
  }
}
