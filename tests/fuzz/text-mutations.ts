// Mutations of grammatical text records, shared by the `_mta-sts` and `_smtp._tls` fuzz targets:
// one to three edits, each at a random position, drawn from the edit kinds a target asks for.
import fc from 'fast-check';
import { insertAt } from './budget.ts';

/** insert a hostile piece, delete one character, upper-case one character, cut the text short. */
export type TextEdit = 'insert' | 'delete' | 'upper' | 'truncate';

/**
 * `base` after one to three edits; an edit's kind is drawn from `kinds` by index, so a target's
 * list fixes the stream of generated inputs for its seed.
 */
export function mutatedText(base: fc.Arbitrary<string>, hostile: readonly string[], kinds: readonly TextEdit[]): fc.Arbitrary<string> {
  return fc
    .tuple(base, fc.array(fc.tuple(fc.nat(), fc.nat({ max: kinds.length - 1 }), fc.constantFrom(...hostile)), { minLength: 1, maxLength: 3 }))
    .map(([text, edits]) => {
      let out = text;
      for (const [at, kind, piece] of edits) {
        const i = at % (out.length + 1);
        const edit = kinds[kind];
        if (edit === 'insert') out = insertAt(out, i, piece);
        else if (edit === 'delete') out = out.slice(0, i) + out.slice(i + 1);
        else if (edit === 'upper') out = out.slice(0, i) + (out[i] ?? '').toUpperCase() + out.slice(i + 1);
        else out = out.slice(0, i);
      }
      return out;
    });
}
