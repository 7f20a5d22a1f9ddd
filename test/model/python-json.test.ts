import { describe, expect, it } from 'vitest';
import { pythonJson } from '../../lib/model/python-json';

describe("JSON as Python's json.dumps writes it", () => {
  it('inline: a space after each comma and colon', () => {
    expect(pythonJson({ region: 'eu', ports: [80, 443], tls: true, none: null, empty: {} })).toBe(
      '{"region": "eu", "ports": [80, 443], "tls": true, "none": null, "empty": {}}',
    );
  });

  it('indented as the awx CLI prints an export: one item a line, empty lists and mappings kept short', () => {
    expect(pythonJson({ users: [], projects: [{ name: 'P', related: {} }] }, 5)).toBe(
      '{\n     "users": [],\n     "projects": [\n          {\n               "name": "P",\n               "related": {}\n          }\n     ]\n}',
    );
  });

  it('every character past ASCII escaped (ensure_ascii), a character beyond the BMP as its surrogates', () => {
    expect(pythonJson({ name: 'Déploiement ✓ 🚀', del: '\u007f' })).toBe(
      '{"name": "D\\u00e9ploiement \\u2713 \\ud83d\\ude80", "del": "\\u007f"}',
    );
  });
});
