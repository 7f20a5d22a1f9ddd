import type { SourceRef } from './types';

export type Severity = 'error' | 'warning' | 'note';

/**
 * How Ansible must read what the static readers cannot: apply a file's awx.awx tasks to a
 * throwaway API (docs/reading.md), or render the controller_configuration variables a file holds
 * (docs/formats.md).
 */
export type AnsibleReading = 'apply' | 'render';

/** One finding about a definition: where it is, what it is about, and why it matters. */
export interface Diagnostic {
  readonly severity: Severity;
  readonly source: SourceRef;
  /** Human label of the resource, e.g. `job template 'Deploy Application'`. */
  readonly resource?: string;
  /** Dotted path of the field inside the resource, e.g. `survey_spec.spec[1].default`. */
  readonly field?: string;
  readonly value?: unknown;
  readonly message: string;
  /** Only Ansible can read this (Jinja, a loop, an include), and how: the CLI reads the file so. */
  readonly needsAnsible?: AnsibleReading;
  /**
   * A warning on a name neither the files nor the reading base define (lib/model/reading-base.ts):
   * the server a bundle is applied to may have it; compile, simulate and run, which need the
   * object itself, make it an error.
   */
  readonly unresolved?: boolean;
}

/**
 * The work "did you mean" hints may take in one load, counted in candidates looked at and
 * edit-distance cells: plenty for the hints of any real bundle, and a bound on a bundle of
 * thousands of misspelt references among thousands of names (then the hints stop).
 */
const HINT_WORK = 100_000_000;

/** Collects diagnostics while loading; loaders never throw for user errors. */
export class Diagnostics {
  private readonly items: Diagnostic[] = [];
  private readonly hintBudget: HintBudget = { work: HINT_WORK };
  /** Something only Ansible reads was found (see `unresolved`): kept as found, for a bundle of many names. */
  private readInPart = false;

  /** `strict`: what AWX itself refuses at save time is an error, not a warning. */
  constructor(readonly strict = false) {}

  add(diagnostic: Diagnostic): void {
    if (diagnostic.needsAnsible) this.readInPart = true;
    this.items.push(diagnostic);
  }

  error(diagnostic: Omit<Diagnostic, 'severity'>): void {
    this.add({ ...diagnostic, severity: 'error' });
  }

  warning(diagnostic: Omit<Diagnostic, 'severity'>): void {
    this.add({ ...diagnostic, severity: 'warning' });
  }

  note(diagnostic: Omit<Diagnostic, 'severity'>): void {
    this.add({ ...diagnostic, severity: 'note' });
  }

  /**
   * A name nothing defines: see `Diagnostic.unresolved`. Not said of a reading only Ansible can
   * finish (a refused task or variable may define the name): reading through Ansible, which the
   * refusal calls for, tells; "not defined in these files" would contradict the refusal.
   */
  unresolved(diagnostic: Omit<Diagnostic, 'severity' | 'unresolved'>): void {
    if (this.readInPart) return;
    this.add({ ...diagnostic, severity: 'warning', unresolved: true });
  }

  /** What only Ansible can evaluate: an error here, and the reason to read the file through Ansible. */
  needsAnsible(
    diagnostic: Omit<Diagnostic, 'severity' | 'needsAnsible'>,
    reading: AnsibleReading = 'apply',
  ): void {
    this.add({ ...diagnostic, severity: 'error', needsAnsible: reading });
  }

  /**
   * How Ansible must read what only it can read, or undefined when the static readers read it all.
   * Tasks to apply come first: rendering reads variables only, and would leave the tasks unread.
   */
  get ansibleReading(): AnsibleReading | undefined {
    const readings = new Set(this.items.map((item) => item.needsAnsible));
    if (readings.has('apply')) return 'apply';
    return readings.has('render') ? 'render' : undefined;
  }

  /**
   * Something AWX refuses at save time but handles at run time (drops the value, or defaults it),
   * and that the AWX workflow guide itself does: a warning, or an error under `--strict`.
   */
  awxRefuses(diagnostic: Omit<Diagnostic, 'severity'>): void {
    const message = `${diagnostic.message} (AWX refuses this at save time)`;
    this.add({ ...diagnostic, message, severity: this.strict ? 'error' : 'warning' });
  }

  /** ` (did you mean 'x'?)`, within this load's budget for hints. */
  didYouMean(word: string, candidates: Iterable<string>): string {
    return hint(closest(word, candidates, this.hintBudget));
  }

  get all(): readonly Diagnostic[] {
    return this.items;
  }

  get errors(): readonly Diagnostic[] {
    return this.items.filter((d) => d.severity === 'error');
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error');
  }
}

/** Shortens a value for display: secrets never reach here, but long blobs would drown the message. */
export function describeValue(value: unknown): string {
  // JSON would show Infinity and NaN as null.
  const text = typeof value === 'number' ? String(value) : JSON.stringify(value ?? null);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `file:line`, or the file alone when the line is unknown. */
export function formatSource(source: SourceRef): string {
  return source.line ? `${source.file}:${source.line}` : source.file;
}

/** `file:line: error: resource field 'x' (value "v"): message` */
export function formatDiagnostic(d: Diagnostic): string {
  const where = formatSource(d.source);
  const about = [
    d.resource,
    d.field ? `field '${d.field}'` : undefined,
    d.value !== undefined ? `value ${describeValue(d.value)}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return `${where}: ${d.severity}: ${about ? `${about}: ` : ''}${d.message}`;
}

/** Work left for hints: once it runs out, `closest` finds nothing. */
export interface HintBudget {
  work: number;
}

/** Longer words are not typos of a name; comparing them would cost their length squared. */
const LONGEST_HINTED_WORD = 100;

/** Closest candidate by edit distance, for "did you mean" hints. */
export function closest(
  word: string,
  candidates: Iterable<string>,
  budget: HintBudget = { work: Infinity },
): string | undefined {
  if (word.length > LONGEST_HINTED_WORD) return undefined;
  const lowered = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    // The distance is at least the difference in length: most candidates need no comparison.
    if (Math.abs(candidate.length - word.length) >= bestDistance) {
      if (--budget.work < 0) return undefined;
      continue;
    }
    budget.work -= 1 + word.length * candidate.length;
    if (budget.work < 0) return undefined;
    const distance = editDistance(lowered, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: Iterable<string>): string {
  return hint(closest(word, candidates));
}

function hint(candidate: string | undefined): string {
  return candidate ? ` (did you mean '${candidate}'?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
