/**
 * Replaces every occurrence of a secret value in text. Applied to everything that leaves a node
 * run (events, stdout, explanations, the job record), whatever a playbook prints.
 */
export const REDACTED = '********';

export function redactor(secrets: readonly string[]): (text: string) => string {
  // Longest first, so a secret containing another is replaced whole; tiny values would shred output.
  // Each value also as it appears inside JSON text (an ssh key's newlines become \n there).
  const forms = secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  const values = [...new Set(forms)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  const pattern = new RegExp(values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return (text) => text.replace(pattern, REDACTED);
}
