// Writes docs/CONFIGURATION.md from the configuration schema (src/config/schema.ts).
// `npm run gen:config-docs`; src/config/reference.test.ts fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configurationReference } from '../src/config/reference.ts';

const target = fileURLToPath(new URL('../docs/CONFIGURATION.md', import.meta.url));
writeFileSync(target, configurationReference());
process.stdout.write(`wrote ${target}\n`);
