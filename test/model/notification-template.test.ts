import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBundle } from '../../lib/model';
import { tempBundle } from '../support/files';

const bundleFile = (text: string) => join(tempBundle({ 'bundle.yml': text }), 'bundle.yml');

describe('notification templates in a bundle', () => {
  it("are checked as AWX's API checks them, naming the template and field", () => {
    const file = bundleFile(
      [
        'notification_templates:',
        '  - name: Ops',
        '    notification_type: slack',
        '    notification_configuration: { token: { secret: slack } }',
        '  - name: Hook',
        '    notification_type: webhook',
        '    notification_configuration: { url: "https://h", headers: {}, http_method: GET }',
        '  - name: Fine',
        '    notification_type: webhook',
        '    notification_configuration: { url: "https://h", headers: {} }',
        '',
      ].join('\n'),
    );
    const { diagnostics } = loadBundle(file);
    expect(diagnostics.errors.map((error) => [error.resource, error.field, error.message])).toEqual([
      [
        expect.stringContaining('Ops'),
        'notification_configuration',
        "Missing required fields for Notification Configuration: ['channels'].",
      ],
      [
        expect.stringContaining('Hook'),
        'notification_configuration',
        "HTTP method must be either 'POST' or 'PUT'.",
      ],
    ]);
  });

  it('take use_tls and use_ssl as false when left out, as the AWX guide does, with a warning (AWX refuses it)', () => {
    const file = bundleFile(
      [
        'notification_templates:',
        '  - name: Mail',
        '    notification_type: email',
        '    notification_configuration:',
        '      { host: smtp.example.com, port: 587, username: u, password: { secret: pw }, sender: s@example.com,',
        '        recipients: [devops@example.com], use_tls: true }',
        '',
      ].join('\n'),
    );
    const { diagnostics } = loadBundle(file);
    expect(diagnostics.errors).toEqual([]);
    expect(
      diagnostics.all
        .filter((d) => d.severity === 'warning')
        .map((warning) => [warning.field, warning.message]),
    ).toEqual([
      [
        'notification_configuration.use_ssl',
        'AWX requires use_ssl; Towerless takes false (AWX refuses this at save time)',
      ],
    ]);
    expect(loadBundle(file, { strict: true }).diagnostics.errors.map((error) => error.field)).toEqual([
      'notification_configuration.use_ssl',
    ]);
  });
});
