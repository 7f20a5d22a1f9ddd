/** A metric family: a name, what it means, and its samples by labels (all gauges here). */
export interface Metric {
  readonly name: string;
  readonly help: string;
  readonly samples: readonly { readonly labels?: Readonly<Record<string, string>>; readonly value: number }[];
}

/** The Prometheus text exposition format (version 0.0.4), as scrapers read it. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Metrics in Prometheus's text format: `# HELP`, `# TYPE`, then one line per sample. */
export function prometheusText(metrics: readonly Metric[]): string {
  const lines: string[] = [];
  for (const metric of metrics) {
    lines.push(`# HELP ${metric.name} ${metric.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${metric.name} gauge`);
    for (const sample of metric.samples) {
      const labels = Object.entries(sample.labels ?? {}).map(
        ([name, value]) => `${name}="${escapeLabel(value)}"`,
      );
      lines.push(`${metric.name}${labels.length > 0 ? `{${labels.join(',')}}` : ''} ${number(sample.value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The same metrics as JSON (AWX's `?format=json`): per family its help text, type and samples,
 * each with its labels and value.
 */
export function prometheusJson(metrics: readonly Metric[]): Record<string, unknown> {
  return Object.fromEntries(
    metrics.map((metric) => [
      metric.name,
      {
        help_text: metric.help,
        type: 'gauge',
        samples: metric.samples.map((sample) => ({ labels: { ...sample.labels }, value: sample.value })),
      },
    ]),
  );
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Values as Prometheus clients print them: always with a decimal point (`1.0`). */
function number(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}
