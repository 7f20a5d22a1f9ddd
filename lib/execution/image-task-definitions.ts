import {
  ClientException,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ECSClient,
  type RegisterTaskDefinitionCommandInput,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { createHash } from 'node:crypto';

/** Tags that say what a registered definition copies: the runner's definition, and the image. */
export const BASE_TAG = 'towerless:base';
const IMAGE_TAG = 'towerless:image';
/** ECS tag values hold up to 256 characters; an image reference may be longer (digests). */
const MAX_TAG_VALUE = 256;

const IMAGE_FAMILY_INFIX = '-ee-';

/** `<runner family>-ee-<hash of the image>`: the family of the runner's definition for an image. */
export function imageFamily(runnerFamily: string, image: string): string {
  return `${runnerFamily}${IMAGE_FAMILY_INFIX}${createHash('sha256').update(image).digest('hex').slice(0, 12)}`;
}

/** The families of every image's definition of a runner family, as an IAM resource pattern. */
export function imageFamilies(runnerFamily: string): string {
  return `${runnerFamily}${IMAGE_FAMILY_INFIX}*`;
}

/**
 * The runner's task definition for each execution environment image (docs/placement.md): the
 * stack's runner definition with the runner container's image replaced, registered once per image
 * and runner revision, and found again by its family and tags. An image of an execution
 * environment is a Towerless runner image (built FROM it): the container's entrypoint is the
 * runner's.
 */
export class ImageTaskDefinitions {
  private runner?: Promise<TaskDefinition>;

  constructor(
    private readonly ecs: ECSClient,
    /** The runner's own task definition (ARN with its revision). */
    private readonly runnerTaskDefinition: string,
    private readonly containerName: string,
  ) {}

  /** Each image's task definition ARN, registering those the runner's revision lacks. */
  async ensure(images: Iterable<string>): Promise<Record<string, string>> {
    const entries = await Promise.all(
      [...images].map(async (image) => [image, await this.ensureOne(image)] as const),
    );
    return Object.fromEntries(entries);
  }

  private async ensureOne(image: string): Promise<string> {
    const runner = await this.runnerDefinition();
    const family = imageFamily(runner.family!, image);
    const existing = await this.describe(family);
    const tag = (name: string) => existing?.tags?.find((t) => t.key === name)?.value;
    if (existing && tag(BASE_TAG) === runner.taskDefinitionArn && tag(IMAGE_TAG) === tagValue(image))
      return existing.taskDefinition!.taskDefinitionArn!;
    const registered = await this.ecs.send(
      new RegisterTaskDefinitionCommand(copyFor(runner, family, image, this.containerName)),
    );
    return registered.taskDefinition!.taskDefinitionArn!;
  }

  private runnerDefinition(): Promise<TaskDefinition> {
    this.runner ??= this.ecs
      .send(new DescribeTaskDefinitionCommand({ taskDefinition: this.runnerTaskDefinition }))
      .then((described) => described.taskDefinition!);
    return this.runner;
  }

  /** A family's latest revision with its tags; undefined when none was registered. */
  private async describe(family: string) {
    try {
      return await this.ecs.send(
        new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ['TAGS'] }),
      );
    } catch (error) {
      if (error instanceof ClientException) return undefined;
      throw error;
    }
  }
}

function tagValue(image: string): string {
  return image.length <= MAX_TAG_VALUE ? image : createHash('sha256').update(image).digest('hex');
}

/** The runner's definition as RegisterTaskDefinition takes it, in `family`, running `image`. */
function copyFor(
  runner: TaskDefinition,
  family: string,
  image: string,
  containerName: string,
): RegisterTaskDefinitionCommandInput {
  return {
    family,
    taskRoleArn: runner.taskRoleArn,
    executionRoleArn: runner.executionRoleArn,
    networkMode: runner.networkMode,
    containerDefinitions: runner.containerDefinitions!.map((container) =>
      container.name === containerName ? { ...container, image } : container,
    ),
    volumes: runner.volumes,
    requiresCompatibilities: runner.requiresCompatibilities,
    cpu: runner.cpu,
    memory: runner.memory,
    runtimePlatform: runner.runtimePlatform,
    ephemeralStorage: runner.ephemeralStorage,
    tags: [
      { key: BASE_TAG, value: runner.taskDefinitionArn! },
      { key: IMAGE_TAG, value: tagValue(image) },
    ],
  };
}
