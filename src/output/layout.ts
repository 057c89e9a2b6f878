import { join } from 'node:path';
import type { DeckJob } from '../plan.js';

/** Where a deck's files go: `out/<report>/<lang>/<audience>/<report>-<lang>-<audience>.<ext>`. */
export function deckOutputDir(outDir: string, job: DeckJob): string {
  return join(outDir, job.report.id, job.report.language, job.profile.name);
}
