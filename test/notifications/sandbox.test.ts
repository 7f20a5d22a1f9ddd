import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TemplateSandbox } from '../../lib/notifications/sandbox';

const sandbox = new TemplateSandbox();
afterAll(() => sandbox.close());

const context = { job: { id: 7, name: 'Deploy', extra_vars: { region: 'eu' } }, url: 'https://t/#/jobs/7' };

describe('TemplateSandbox', () => {
  it('renders AWX-style templates', async () => {
    expect(await sandbox.render("#{{ job.id }} '{{ job.name }}' {{ url }}", context)).toEqual({
      text: "#7 'Deploy' https://t/#/jobs/7",
    });
    expect(await sandbox.render('{{ job.extra_vars.region }}{{ missing }}', context)).toEqual({ text: 'eu' });
  });

  it('names the unavailable field in strict mode, and reports syntax errors', async () => {
    expect(await sandbox.render('{{ job.id }} {{ nope }}', context, { strict: true })).toEqual({
      error: "Field 'nope' unavailable",
    });
    expect(
      await sandbox.render('{% for x in job %}{{ x }}{% endfor %}', context, { strict: true }),
    ).not.toHaveProperty('error', expect.stringContaining('unavailable'));
    expect(await sandbox.render('{% for', context)).toHaveProperty('error');
  });

  it('stops a template that loops for ever, then renders the next one', async () => {
    const result = await sandbox.render('{% for i in range(100000000) %}{{ i }}{% endfor %}', context);
    expect(result).toHaveProperty('error');
    expect(await sandbox.render('{{ job.id }}', context)).toEqual({ text: '7' });
  });

  it('refuses huge output, deep recursion and oversized templates', async () => {
    const huge = '{% set s = "xxxxxxxxxx" %}{% for i in range(200000) %}{{ s }}{% endfor %}';
    expect(await sandbox.render(huge, context)).toHaveProperty('error');
    const recursion = '{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}';
    expect(await sandbox.render(recursion, context)).toHaveProperty('error');
    expect(await sandbox.render('x'.repeat(70_000), context)).toHaveProperty('error');
    expect(await sandbox.render('{{ job.id }}', context)).toEqual({ text: '7' });
  });

  it('reaches no JavaScript object, prototype or process data', async () => {
    process.env.TOWERLESS_SANDBOX_CANARY = 'canary-7f3a';
    const hostile = [
      '{{ job.constructor }}',
      '{{ job.constructor.constructor("return process")() }}',
      '{{ job.__proto__ }}{{ job["__proto__"] }}',
      '{{ "".constructor.constructor("return process.env")() }}',
      '{{ range.constructor("return process")() }}',
      '{{ cycler }}{{ joiner }}',
      '{% set ns = namespace(a=1) %}{{ ns.__proto__ }}{{ ns.constructor }}',
      '{{ namespace.constructor("return process.env")() }}',
      '{{ raise_exception.constructor("return process")() }}',
      '{{ process }}{{ require }}{{ globalThis }}',
      '{% set x = job %}{% set x.__proto__ = 1 %}{{ x }}',
    ];
    for (const template of hostile) {
      const result = await sandbox.render(template, context);
      const shown = JSON.stringify(result);
      expect(shown).not.toContain('canary-7f3a');
      expect(shown).not.toMatch(/\[object process\]|NODE_|PATH=/);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const marker = join(tmpdir(), `towerless-sandbox-${process.pid}`);
    await sandbox.render(
      `{{ "".constructor.constructor("require('fs').writeFileSync('${marker}', 'x')")() }}`,
      context,
    );
    expect(existsSync(marker)).toBe(false);
  });
});
