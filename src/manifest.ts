import type { DeckResult } from './pipeline.js';
import { version } from './version.js';

/** `out/manifest.json`: what a run produced, for CI and other tools. */
export interface Manifest {
  generator: string;
  decks: DeckResult[];
}

/** Pure: the manifest of a run's decks (sorted, no timestamps, so identical builds give identical files). */
export function buildManifest(decks: readonly DeckResult[]): Manifest {
  return { generator: `briefgen ${version}`, decks: [...decks].sort((a, b) => a.key.localeCompare(b.key)) };
}
