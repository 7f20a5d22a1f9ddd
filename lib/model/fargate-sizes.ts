/**
 * Fargate's task sizes (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html#fargate-tasks-size):
 * for each CPU value in units (1,024 a vCPU), the memory values in MiB it may be paired with.
 */
const SIZES: readonly { readonly cpu: number; readonly memory: readonly number[] }[] = [
  { cpu: 256, memory: [512, 1024, 2048] },
  { cpu: 512, memory: range(1024, 4096, 1024) },
  { cpu: 1024, memory: range(2048, 8192, 1024) },
  { cpu: 2048, memory: range(4096, 16384, 1024) },
  { cpu: 4096, memory: range(8192, 30720, 1024) },
  { cpu: 8192, memory: range(16384, 61440, 4096) },
  { cpu: 16384, memory: range(32768, 122880, 8192) },
];

function range(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** The largest task Fargate runs, as a pod spec would ask for it. */
export const LARGEST_FARGATE_TASK = { vcpu: 16, memoryMiB: 122880 } as const;

export interface FargateSize {
  /** CPU units, as RunTask's override takes them. */
  readonly cpu: number;
  readonly memory: number;
}

/**
 * The smallest Fargate size that gives at least `vcpu` and `memoryMiB` (either may be left out:
 * the smallest size giving the other). Undefined when Fargate has none that large.
 */
export function fargateSize(
  vcpu: number | undefined,
  memoryMiB: number | undefined,
): FargateSize | undefined {
  const units = Math.ceil((vcpu ?? 0) * 1024);
  for (const size of SIZES) {
    if (size.cpu < units) continue;
    const memory = size.memory.find((m) => m >= (memoryMiB ?? 0));
    if (memory !== undefined) return { cpu: size.cpu, memory };
  }
  return undefined;
}
