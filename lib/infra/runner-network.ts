import { Stack } from 'aws-cdk-lib';
import {
  FlowLogDestination,
  FlowLogTrafficType,
  SecurityGroup,
  Subnet,
  SubnetType,
  Vpc,
  type ISecurityGroup,
  type ISubnet,
  type IVpc,
} from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { retainedLogGroup } from './log-groups';
import type { ExistingNetwork } from './settings';

export interface RunnerNetworkProps {
  /** The user's VPC, subnets and security groups; without it the construct makes its own. */
  readonly existing?: ExistingNetwork;
}

/**
 * Where runner tasks get their network. By default a VPC of public subnets in two AZs with no NAT
 * gateway (a NAT gateway bills by the hour, idle or not): tasks take a public IP to reach git,
 * SSH hosts and Ansible Galaxy, and a security group without ingress keeps everything out.
 * With the user's network, ids are taken as given: nothing is looked up, so synth needs no account.
 */
export class RunnerNetwork extends Construct {
  readonly vpc: IVpc;
  readonly subnets: readonly ISubnet[];
  readonly securityGroups: readonly ISecurityGroup[];
  readonly assignPublicIp: boolean;

  constructor(scope: Construct, id: string, props: RunnerNetworkProps = {}) {
    super(scope, id);
    const existing = props.existing;
    if (existing) {
      this.vpc = Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: existing.vpcId,
        availabilityZones: Stack.of(this).availabilityZones,
      });
      this.subnets = existing.subnetIds.map((subnetId, index) =>
        Subnet.fromSubnetId(this, `Subnet${index}`, subnetId),
      );
      this.assignPublicIp = existing.assignPublicIp;
    } else {
      const vpc = new Vpc(this, 'Vpc', {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: 'Runner', subnetType: SubnetType.PUBLIC, cidrMask: 24 }],
        flowLogs: {
          All: {
            destination: FlowLogDestination.toCloudWatchLogs(retainedLogGroup(this, 'FlowLogs')),
            trafficType: FlowLogTrafficType.ALL,
          },
        },
      });
      this.vpc = vpc;
      this.subnets = vpc.publicSubnets;
      this.assignPublicIp = true;
    }
    this.securityGroups =
      existing && existing.securityGroupIds.length > 0
        ? existing.securityGroupIds.map((groupId, index) =>
            SecurityGroup.fromSecurityGroupId(this, `SecurityGroup${index}`, groupId),
          )
        : [
            new SecurityGroup(this, 'SecurityGroup', {
              vpc: this.vpc,
              description: 'Towerless runner tasks: no ingress; egress to git, SSH hosts and Galaxy',
              allowAllOutbound: true,
            }),
          ];
  }
}
