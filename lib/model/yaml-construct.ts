import {
  boolCoreTag,
  EVENT_ID,
  floatCoreTag,
  getScalarValue,
  intCoreTag,
  NOT_RESOLVED,
  nullCoreTag,
  parseEvents,
  SCALAR_STYLE,
  strTag,
  YAMLException,
  type Event,
  type MappingEvent,
  type ScalarEvent,
  type SequenceEvent,
  type ScalarTagDefinition,
} from 'js-yaml';
import { beyondLimit, formatCount, INPUT_LIMITS } from './input-limits';
import type { SourceMap } from './yaml-source';

/** Why a YAML text cannot be read, and where. */
export class YamlProblem extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

/**
 * Builds the value of one YAML document (YAML 1.2 core schema, as AWX and the awx.awx modules read
 * it) from the parser's event stream, recording in `sourceMap` the line of every mapping, list and
 * key, in one linear pass without recursion. Within the input limits (docs/input-limits.md):
 * nesting is bounded by the parser, and aliases are counted as everything they stand for, so an
 * alias bomb is refused before anything walks it. An alias shares the anchored value (it is not
 * copied). Throws `YamlProblem`.
 */
export function constructYaml(text: string, file: string, sourceMap: SourceMap): unknown {
  return new YamlBuilder(text, file, sourceMap).build(parse(text));
}

/** The value of YAML text inside a field (AWX keeps variables as YAML or JSON text), same rules. */
export function parseYamlValue(text: string): unknown {
  return new YamlBuilder(text, '', undefined).build(parse(text));
}

/** The parser counts the document and the innermost value as levels too: 100 levels of collections need 102. */
const PARSER_DEPTH = INPUT_LIMITS.nestingDepth.value + 2;

function parse(text: string): Event[] {
  try {
    return parseEvents(text, { maxDepth: PARSER_DEPTH });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    const line = error.mark ? error.mark.line + 1 : undefined;
    if (error.reason.startsWith('nesting exceeded maxDepth')) {
      const limit = INPUT_LIMITS.nestingDepth;
      throw new YamlProblem(
        beyondLimit(limit, `mappings and lists nest deeper than ${limit.value} levels`),
        line,
      );
    }
    throw new YamlProblem(`YAML syntax error: ${error.reason}`, line);
  }
}

/** Tags a plain scalar may resolve to, in the order the core schema tries them; anything else is a string. */
const IMPLICIT_TAGS: readonly ScalarTagDefinition<unknown>[] = [
  nullCoreTag,
  boolCoreTag,
  intCoreTag,
  floatCoreTag,
];
const EXPLICIT_TAGS: Readonly<Record<string, ScalarTagDefinition<unknown>>> = {
  str: strTag,
  null: nullCoreTag,
  bool: boolCoreTag,
  int: intCoreTag,
  float: floatCoreTag,
};
const CORE_TAG_PREFIX = 'tag:yaml.org,2002:';
/** Ansible's tag for text it must never template: such a value is a literal even when it looks like Jinja. */
const ANSIBLE_UNSAFE = '!unsafe';
const NO_RANGE = -1;

type Key = string | number;

interface Frame {
  readonly kind: 'document' | 'mapping' | 'sequence';
  /** The mapping or list being built (the document has none). */
  readonly value: Record<string, unknown> | unknown[] | undefined;
  readonly line: number;
  readonly keyLines: Map<Key, number>;
  readonly anchor: Anchor | undefined;
  /** Nodes below this one, aliases counted as everything they stand for. */
  nodes: number;
  key: string | undefined;
  keyLine: number;
}

interface Anchor {
  value: unknown;
  nodes: number;
  /** Still being built: an alias to it would make the value contain itself. */
  open: boolean;
}

class YamlBuilder {
  private readonly lineStarts: Int32Array;
  private readonly frames: Frame[] = [];
  private readonly anchors = new Map<string, Anchor>();
  private aliasedNodes = 0;
  private aliasLimitLine: number | undefined;
  private documents = 0;
  private document: unknown;
  /** The line of the last node read, for nodes without a position of their own (empty values). */
  private line = 1;

  constructor(
    private readonly text: string,
    private readonly file: string,
    /** Where to record lines; none for text inside a field, whose lines mean nothing in the file. */
    private readonly sourceMap: SourceMap | undefined,
  ) {
    this.lineStarts = lineStartsOf(text);
  }

  build(events: readonly Event[]): unknown {
    this.frames.push(this.open('document', undefined, undefined));
    for (const event of events) this.take(event);
    const limit = INPUT_LIMITS.aliasedNodes;
    if (this.aliasedNodes > limit.value) {
      throw new YamlProblem(
        beyondLimit(limit, `aliases stand for ${formatCount(this.aliasedNodes)} nodes`),
        this.aliasLimitLine,
      );
    }
    return this.document;
  }

  private take(event: Event): void {
    switch (event.type) {
      case EVENT_ID.DOCUMENT:
        if (++this.documents > 1)
          throw new YamlProblem('more than one YAML document (---): a bundle file holds one', this.line);
        return;
      case EVENT_ID.SCALAR: {
        this.moveTo(positionOf(event));
        const literal = this.tag(event) === ANSIBLE_UNSAFE;
        const value = this.scalar(event);
        this.defineAnchor(event, { value, nodes: 1, open: false });
        this.add(value, 1, this.line, literal);
        return;
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        this.moveTo(positionOf(event));
        const value = event.type === EVENT_ID.MAPPING ? {} : [];
        const anchor = this.defineAnchor(event, { value, nodes: 0, open: true });
        const frame = this.open(event.type === EVENT_ID.MAPPING ? 'mapping' : 'sequence', value, anchor);
        this.sourceMap?.record(value, this.file, this.line, frame.keyLines);
        this.frames.push(frame);
        return;
      }
      case EVENT_ID.ALIAS: {
        this.moveTo(event.anchorStart);
        const name = this.text.slice(event.anchorStart, event.anchorEnd);
        const anchor = this.anchors.get(name);
        if (!anchor) throw new YamlProblem(`alias *${name} has no anchor &${name} before it`, this.line);
        if (anchor.open)
          throw new YamlProblem(
            `alias *${name} is inside the value it names (a value cannot contain itself)`,
            this.line,
          );
        this.aliasedNodes += anchor.nodes;
        if (this.aliasLimitLine === undefined && this.aliasedNodes > INPUT_LIMITS.aliasedNodes.value)
          this.aliasLimitLine = this.line;
        this.add(anchor.value, anchor.nodes, this.line, false);
        return;
      }
      case EVENT_ID.POP: {
        const frame = this.frames.pop()!;
        if (frame.kind === 'document') {
          this.frames.push(frame);
          return;
        }
        const nodes = frame.nodes + 1;
        if (frame.anchor) {
          frame.anchor.nodes = nodes;
          frame.anchor.open = false;
        }
        this.add(frame.value, nodes, frame.line, false);
      }
    }
  }

  private moveTo(position: number): void {
    if (position !== NO_RANGE) this.line = this.lineOf(position);
  }

  private open(kind: Frame['kind'], value: Frame['value'], anchor: Anchor | undefined): Frame {
    return {
      kind,
      value,
      line: this.line,
      keyLines: new Map(),
      anchor,
      nodes: 0,
      key: undefined,
      keyLine: 0,
    };
  }

  /** Puts a finished node into the collection being built: a list item, a key, or the value of the last key. */
  private add(value: unknown, nodes: number, line: number, literal: boolean): void {
    const frame = this.frames[this.frames.length - 1];
    frame.nodes += nodes;
    if (frame.kind === 'document') {
      this.document = value;
    } else if (frame.kind === 'sequence') {
      const list = frame.value as unknown[];
      frame.keyLines.set(list.length, line);
      if (literal) this.sourceMap?.markLiteral(list, list.length);
      list.push(value);
    } else if (frame.key === undefined) {
      if (value !== null && typeof value === 'object')
        throw new YamlProblem('a mapping or list used as a key is not supported', line);
      frame.key = String(value);
      frame.keyLine = line;
    } else {
      const mapping = frame.value as Record<string, unknown>;
      const key = frame.key;
      frame.key = undefined;
      if (Object.prototype.hasOwnProperty.call(mapping, key))
        throw new YamlProblem(`duplicate key '${key}'`, frame.keyLine);
      // Assigning `__proto__` would replace the prototype instead of adding a key.
      if (key === '__proto__')
        Object.defineProperty(mapping, key, { value, enumerable: true, writable: true, configurable: true });
      else mapping[key] = value;
      frame.keyLines.set(key, frame.keyLine);
      if (literal) this.sourceMap?.markLiteral(mapping, key);
    }
  }

  private defineAnchor(
    event: { anchorStart: number; anchorEnd: number },
    anchor: Anchor,
  ): Anchor | undefined {
    if (event.anchorStart === NO_RANGE) return undefined;
    this.anchors.set(this.text.slice(event.anchorStart, event.anchorEnd), anchor);
    return anchor;
  }

  private tag(event: ScalarEvent): string | undefined {
    return event.tagStart === NO_RANGE ? undefined : this.text.slice(event.tagStart, event.tagEnd);
  }

  private scalar(event: ScalarEvent): unknown {
    const source = getScalarValue(this.text, event);
    const tag = this.tag(event);
    if (tag === undefined) return event.style === SCALAR_STYLE.PLAIN ? resolvePlain(source) : source;
    const explicit = EXPLICIT_TAGS[coreTagName(tag) ?? ''];
    // `!`, Ansible's `!unsafe` and `!vault`, and tags the core schema does not know keep their text.
    if (!explicit) return source;
    const value = explicit.resolve(source, true, explicit.tagName);
    if (value === NOT_RESOLVED)
      throw new YamlProblem(`${JSON.stringify(source)} is not a valid ${tag}`, this.line);
    return value;
  }

  private lineOf(position: number): number {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle] <= position) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}

function resolvePlain(source: string): unknown {
  const first = source.charAt(0);
  for (const tag of IMPLICIT_TAGS) {
    if (tag.implicitFirstChars && !tag.implicitFirstChars.includes(first)) continue;
    const value = tag.resolve(source, false, tag.tagName);
    if (value !== NOT_RESOLVED) return value;
  }
  return source;
}

/** `int` for `!!int` and `!<tag:yaml.org,2002:int>`; undefined for other tags. */
function coreTagName(tag: string): string | undefined {
  if (tag.startsWith('!!')) return tag.slice(2);
  if (tag.startsWith(`!<${CORE_TAG_PREFIX}`) && tag.endsWith('>'))
    return tag.slice(CORE_TAG_PREFIX.length + 2, -1);
  return undefined;
}

/** Where a node starts: its tag or anchor if it has one, else its content. */
function positionOf(event: ScalarEvent | MappingEvent | SequenceEvent): number {
  if (event.tagStart !== NO_RANGE) return event.tagStart;
  if (event.anchorStart !== NO_RANGE) return event.anchorStart;
  return 'valueStart' in event ? event.valueStart : event.start;
}

function lineStartsOf(text: string): Int32Array {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  const starts = new Int32Array(lines);
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts[line++] = at + 1;
  return starts;
}
