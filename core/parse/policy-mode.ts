// The fix for an unregistered policy `mode` value (RFC 8461 §3.2, §5): the registered value the
// author most likely meant, or "testing" with the reason when the intent cannot be read.
import type { PolicyMode } from '../report/schema.ts';

export interface ModeSuggestion {
  mode: PolicyMode;
  /** How the value relates to `mode`: decides the wording of the finding. */
  kind: 'case' | 'near' | 'synonym' | 'unclear';
  /** One or two sentences for the finding's message, starting with a space. */
  explanation: string;
}

const MODES: readonly PolicyMode[] = ['enforce', 'testing', 'none'];

/** Words people write for a mode, after lower-casing and dropping everything but letters and digits. */
const SYNONYMS: Readonly<Record<string, PolicyMode>> = {
  // The intent is to block delivery that fails validation.
  strict: 'enforce',
  require: 'enforce',
  required: 'enforce',
  reject: 'enforce',
  block: 'enforce',
  // The intent is to observe without blocking.
  report: 'testing',
  reporting: 'testing',
  reportonly: 'testing',
  monitor: 'testing',
  monitoring: 'testing',
  audit: 'testing',
  dryrun: 'testing',
  trial: 'testing',
  // The intent is to switch MTA-STS off (RFC 8461 §8.3 uses "none" for that).
  off: 'none',
  no: 'none',
  false: 'none',
  disable: 'none',
  disabled: 'none',
  inactive: 'none',
  null: 'none',
};

/** Values that say "on" without saying how strictly: not enough to suggest "enforce". */
const SWITCHED_ON = new Set(['on', 'yes', 'true', '1', 'enable', 'enabled', 'active', 'activated']);

/** Largest edit distance still read as a typo of each mode (none is short: one edit only). */
const MAX_TYPO_DISTANCE: Readonly<Record<PolicyMode, number>> = { enforce: 2, testing: 2, none: 1 };

/** Longer values are not typos of a 4–7 letter word; skipping them keeps hostile input cheap. */
const MAX_COMPARED_LENGTH = 16;

const SAFE_FIRST_STEP =
  '"testing" is suggested as the safe first step: senders report validation failures (via TLSRPT) but still deliver, so a mistake in the policy cannot block mail (RFC 8461 §5). Move to "enforce" once the reports are clean.';

/** Optimal-string-alignment distance (Levenshtein plus adjacent transpositions); inputs are short. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const prev = d[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function closestByTypo(word: string): PolicyMode | undefined {
  // Inflections and abbreviations: "enforcing", "enforced", "tested", "test", "enf", "tes".
  if (word.startsWith('enforc')) return 'enforce';
  if (word.startsWith('test')) return 'testing';
  if (word.length === 0 || word.length > MAX_COMPARED_LENGTH) return undefined;
  for (const mode of MODES) if (word.length >= 3 && mode.startsWith(word)) return mode;
  let best: { mode: PolicyMode; distance: number } | undefined;
  for (const mode of MODES) {
    const distance = editDistance(word, mode);
    if (distance <= MAX_TYPO_DISTANCE[mode] && (!best || distance < best.distance)) best = { mode, distance };
  }
  return best?.mode;
}

/** The registered mode an unregistered `mode` value most likely means. Never throws. */
export function suggestMode(value: string): ModeSuggestion {
  const lower = value.toLowerCase();
  const exact = MODES.find((m) => m === lower);
  if (exact) return { mode: exact, kind: 'case', explanation: ` Values are case-sensitive (ambiguity A4): write "${exact}".` };
  const word = lower.replace(/[^a-z0-9]/g, '');
  const synonym = Object.hasOwn(SYNONYMS, word) ? SYNONYMS[word] : undefined;
  if (synonym) {
    const meaning = synonym === 'none' ? 'turns MTA-STS off (RFC 8461 §8.3)' : synonym === 'enforce' ? 'makes senders refuse hosts that fail validation' : 'reports failures without blocking delivery';
    return { mode: synonym, kind: 'synonym', explanation: ` The registered value that ${meaning} is "${synonym}".` };
  }
  if (SWITCHED_ON.has(word)) {
    return { mode: 'testing', kind: 'unclear', explanation: ` "${value}" says MTA-STS should be on, not how strictly; ${SAFE_FIRST_STEP}` };
  }
  const typo = closestByTypo(word);
  if (typo) return { mode: typo, kind: 'near', explanation: ` The closest registered value is "${typo}".` };
  return { mode: 'testing', kind: 'unclear', explanation: ` It is not close to any registered value; ${SAFE_FIRST_STEP}` };
}
