import { describe, expect, it } from 'vitest';
import { unescapeAnsible } from '../../lib/model/resources/credential-type-injectors';
import {
  injectorTemplateProblems,
  InjectorTemplateError,
  renderInjectorTemplate,
} from '../../lib/model/resources/injector-template';

/** Injector templates: rendered as AWX's Jinja sandbox renders them, and no further. */

describe('rendering injector templates', () => {
  const render = (template: string, context: Record<string, unknown> = {}) =>
    renderInjectorTemplate(template, context);

  it('prints values as Jinja does: booleans True/False, none None, missing names empty', () => {
    expect(render('{{ a }}|{{ b }}|{{ none }}|{{ missing }}', { a: true, b: false })).toBe(
      'True|False|None|',
    );
    expect(render('{% if b %}yes{% else %}no{% endif %}', { b: false })).toBe('no');
  });

  it('does not escape HTML (autoescape off) and drops one final newline, as Jinja does', () => {
    expect(render('<{{ a }}>&"\n\n', { a: '<b>&' })).toBe('<<b>&>&"\n');
  });

  it("runs Jinja's everyday constructs: filters, tests, loops, set, inline if, concatenation", () => {
    const context = { token: ' abc ', zones: ['a', 'b'] };
    expect(render("{{ token | trim | upper }}|{{ nope | default('d') }}", context)).toBe('ABC|d');
    expect(render('{% for z in zones %}{{ loop.index }}{{ z }}{% endfor %}', context)).toBe('1a2b');
    expect(render("{% set t = token | trim %}{{ t ~ '!' if t is defined else 'x' }}", context)).toBe('abc!');
  });

  it.each([
    ["{{ ''.constructor.constructor('return process')() }}", 'calling a function'],
    ["{{ ''.constructor }}", 'attributes and indexes must be plain names or numbers'],
    ['{{ x.__proto__ }}', 'attributes and indexes must be plain names or numbers'],
    ['{{ x[name] }}', 'attributes and indexes must be plain names or numbers'],
    ['{{ constructor }}', "'constructor' is not a usable name"],
    ['{{ x | __defineGetter__ }}', "'__defineGetter__' is not a built-in filter"],
    ['{{ x is constructor }}', "'constructor' is not a built-in test"],
    ["{% include 'secret.txt' %}", 'reading another template'],
    ["{% import 'm' as m %}", 'reading another template'],
    ["{% extends 'base' %}", 'reading another template'],
    ['{% macro m() %}{% endmacro %}', 'a macro'],
    ['{% call m() %}{% endcall %}', 'calling a function'],
    ['{% block b %}{% endblock %}', "'Block' is not allowed"],
    ['{% set constructor = 1 %}', 'only plain names can be assigned'],
  ])('refuses %s before anything runs', (template, message) => {
    expect(() => render(template, { x: 'v' })).toThrow(InjectorTemplateError);
    expect(() => render(template, { x: 'v' })).toThrow(message);
  });
});

describe('checking injector templates against their type', () => {
  const scope = { inputs: ['token', 'cert'], singleFile: false, fileNames: ['cert'] };

  it('accepts input ids, loop and set names, and declared files', () => {
    expect(
      injectorTemplateProblems(
        '{{ token }}{{ tower.filename.cert }}{{ awx.filename.cert }}{% for c in cert %}{{ c }}{{ loop.first }}{% endfor %}',
        scope,
      ),
    ).toEqual([]);
  });

  it('reports every undefined name, in every branch', () => {
    expect(injectorTemplateProblems('{% if false %}{{ tokn }}{% endif %}{{ other }}', scope)).toEqual([
      "uses an undefined field 'tokn' (did you mean 'token'?)",
      "uses an undefined field 'other'",
    ]);
  });

  it('reports tower.filename used with several files, and an unknown file name', () => {
    expect(injectorTemplateProblems('{{ tower.filename }}', scope)).toEqual([
      'must define an unnamed file injector (template) to reference tower.filename',
    ]);
    expect(injectorTemplateProblems('{{ awx.filename.key }}', scope)).toEqual([
      "references awx.filename.key, but no file injector 'template.key' is defined",
    ]);
  });
});

describe('Ansible escapes in awx.awx task files', () => {
  it.each([
    ["{{ '{{' }} token }}", '{{ token }}'],
    ['{{ "{{" }} token {{ "}}" }}', '{{ token }}'],
    ["a {% raw %}{{ token }} {{ 'x' }}{% endraw %} b", "a {{ token }} {{ 'x' }} b"],
    ['{{ token }}', '{{ token }}'],
  ])('%s becomes %s', (written, template) => {
    expect(unescapeAnsible(written)).toBe(template);
  });
});
