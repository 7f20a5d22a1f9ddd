import { pythonTruth } from './module-conversions';
import type { SourceMap } from './yaml-source';

type Raw = Record<string, unknown>;

/**
 * Where a module's `main()` sends AWX something other than its options: job_template adds the
 * legacy `credential` and `vault_credential` options to `credentials` (the vault one first), and
 * that list then replaces the template's credentials as a whole, as any list of names does;
 * execution_environment sends its own default `pull`, `missing`, where AWX's is ''.
 */
export function moduleSends(module: string, params: Raw, sourceMap: SourceMap): Raw {
  if (module === 'execution_environment') {
    if ('pull' in params) return params;
    const sent = { ...params, pull: 'missing' };
    sourceMap.copyKeys(sent, params, Object.keys(params));
    return sent;
  }
  if (module !== 'job_template' || !('credential' in params || 'vault_credential' in params)) return params;
  const { credential, vault_credential: vault, ...sent } = params;
  sourceMap.copyKeys(sent, params, Object.keys(sent));
  const added = [vault, credential].filter(pythonTruth);
  if (added.length === 0) return sent;
  const credentials = Array.isArray(params.credentials) ? params.credentials : [];
  sent.credentials = [...credentials, ...added];
  if (!('credentials' in params))
    sourceMap.copyKey(
      sent,
      'credentials',
      params,
      'credential' in params ? 'credential' : 'vault_credential',
    );
  return sent;
}
