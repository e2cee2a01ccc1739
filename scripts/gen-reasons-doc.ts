// Writes docs/reasons.md from the reason table (`npm run docs:reasons`).
import { writeFileSync } from 'node:fs';
import { renderReasonsDoc, REASONS_DOC_PATH } from '../src/render/reasons-doc.js';

writeFileSync(new URL(`../${REASONS_DOC_PATH}`, import.meta.url), renderReasonsDoc());
process.stdout.write(`wrote ${REASONS_DOC_PATH}\n`);
