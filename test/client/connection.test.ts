import { describe, expect, it } from 'vitest';
import { resolveConnection } from '../../lib/client/connection';

describe('resolveConnection: flags, then the environment, one family at a time', () => {
  it('takes --url and --token first', () => {
    const env = { TOWERLESS_HOST: 'http://env:1', TOWERLESS_TOKEN: 'env' };
    expect(resolveConnection({ url: 'http://flag:8052', token: 'flag' }, env)).toEqual({
      url: 'http://flag:8052',
      token: 'flag',
    });
  });

  it("reads TOWERLESS_*, then the awx.awx collection's CONTROLLER_*, then TOWER_*", () => {
    expect(
      resolveConnection(
        {},
        {
          CONTROLLER_HOST: 'http://controller',
          CONTROLLER_OAUTH_TOKEN: 'c',
          TOWER_HOST: 'http://tower',
          TOWER_OAUTH_TOKEN: 't',
        },
      ),
    ).toEqual({ url: 'http://controller', token: 'c' });
    expect(resolveConnection({}, { TOWER_HOST: 'http://tower', TOWER_OAUTH_TOKEN: 't' })).toEqual({
      url: 'http://tower',
      token: 't',
    });
  });

  it("never pairs one family's host with another family's token", () => {
    expect(() =>
      resolveConnection({}, { TOWERLESS_HOST: 'http://mine', CONTROLLER_OAUTH_TOKEN: 'for-another-server' }),
    ).toThrow('no token given for http://mine: use --token TOKEN or set TOWERLESS_TOKEN');
    // With --url, the first token variable set is taken.
    expect(resolveConnection({ url: 'http://given' }, { CONTROLLER_OAUTH_TOKEN: 'c' }).token).toBe('c');
  });

  it('says how to name a server when none is given', () => {
    expect(() => resolveConnection({}, {})).toThrow(
      'no server given: use --url URL or set TOWERLESS_HOST, CONTROLLER_HOST, TOWER_HOST',
    );
    expect(() => resolveConnection({ url: '  ' }, {})).toThrow('no server given');
  });

  it('reads URLs as AWX tools do: a bare host is https, a trailing /api/v2/ is dropped', () => {
    const token = { token: 't' };
    expect(resolveConnection({ url: 'awx.example.com', ...token }, {}).url).toBe('https://awx.example.com');
    expect(resolveConnection({ url: 'http://127.0.0.1:8052/api/v2/', ...token }, {}).url).toBe(
      'http://127.0.0.1:8052',
    );
    expect(resolveConnection({ url: 'https://gw.example.com/prod/', ...token }, {}).url).toBe(
      'https://gw.example.com/prod',
    );
    expect(() => resolveConnection({ url: 'http://exa mple', ...token }, {})).toThrow(
      "--url 'http://exa mple' is not a URL",
    );
    expect(() => resolveConnection({}, { TOWERLESS_HOST: 'ftp://host', TOWERLESS_TOKEN: 't' })).toThrow(
      "TOWERLESS_HOST 'ftp://host': only http and https URLs are served",
    );
  });
});
