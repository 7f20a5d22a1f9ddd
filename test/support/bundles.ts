import { join } from 'node:path';
import { formatDiagnostic, loadBundle } from '../../lib/model';
import type { Bundle } from '../../lib/model/types';
import { tempBundle } from './files';

/** A bundle from YAML text, refused loudly when it does not load. */
export function bundleOf(yaml: string): Bundle {
  const loaded = loadBundle(join(tempBundle({ 'bundle.yml': yaml }), 'bundle.yml'));
  if (loaded.diagnostics.hasErrors)
    throw new Error(loaded.diagnostics.errors.map(formatDiagnostic).join('\n'));
  return loaded.bundle;
}
