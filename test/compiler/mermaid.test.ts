import { describe, expect, it } from 'vitest';
import { mermaidText, renderMermaid } from '../../lib/compiler/mermaid';
import { WorkflowGraph } from '../../lib/semantics/graph';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  'say "hi"',
  '#lt;b#gt; & #35;',
  'a|b',
  'line one\nn9["injected"]\r\nclick n0 href "javascript:alert(1)"',
  '`**markdown**`',
  '%%{init: {"securityLevel": "loose"}}%%',
];

function graphOf(names: readonly string[]) {
  return new WorkflowGraph([
    ...names.map((name, i) => ({
      id: name,
      kind: (['job', 'approval', 'workflow'] as const)[i % 3],
      template: name,
      success: i + 1 < names.length ? [names[i + 1]] : [],
    })),
  ]);
}

describe('mermaid with hostile names', () => {
  const text = renderMermaid(
    graphOf(HOSTILE),
    `Title </small><script>x</script> "quoted" 'single'\n---\nconfig: x`,
  );
  const lines = text.trimEnd().split('\n');

  it('no user text opens a tag, ends a label or starts a statement', () => {
    expect(text).not.toMatch(/<(?!br\/>|small>|\/small>)/);
    expect(text).not.toContain('onerror=alert(1)>');
    expect(text).not.toMatch(/%%/);
    const nodeLines = lines.filter((line) => /^ {2}n\d+[[{]/.test(line));
    expect(nodeLines).toHaveLength(HOSTILE.length);
    for (const line of nodeLines) {
      // One quoted label per node line: its only quotes are the two that delimit it.
      expect(line).toMatch(/^ {2}n\d+(\["|\[\["|\{\{")[^"]*("\]|"\]\]|"\}\})$/);
      expect(line).toContain('<br/><small>');
      expect(line).not.toMatch(/\|/);
    }
    expect(lines.filter((line) => /^ {2}n\d+ -->\|success\| n\d+$/.test(line))).toHaveLength(
      HOSTILE.length - 1,
    );
    expect(lines).toHaveLength(3 + 1 + HOSTILE.length + 2 * (HOSTILE.length - 1));
  });

  it('the title is one YAML scalar of the front matter', () => {
    expect(lines.slice(0, 3)).toEqual([
      '---',
      "title: 'Title #lt;/small#gt;#lt;script#gt;x#lt;/script#gt; #quot;quoted#quot; ''single'' --- config: x'",
      '---',
    ]);
  });

  it('uses Mermaid entity codes, escaping # first', () => {
    expect(mermaidText('<a href="x">#1 & |</a>`%')).toBe(
      '#lt;a href=#quot;x#quot;#gt;#35;1 #amp; #124;#lt;/a#gt;#96;#37;',
    );
    expect(mermaidText('#lt;')).toBe('#35;lt;');
  });
});
