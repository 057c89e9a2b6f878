// Writes schema/briefing.schema.json from the zod schema (run after `npm run build`).
import { mkdirSync, writeFileSync } from 'node:fs';
import { briefingJsonSchema } from '../dist/json-schema.js';

mkdirSync(new URL('../schema/', import.meta.url), { recursive: true });
writeFileSync(new URL('../schema/briefing.schema.json', import.meta.url), `${JSON.stringify(briefingJsonSchema(), null, 2)}\n`);
