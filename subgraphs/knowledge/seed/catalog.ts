import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Real names for the demo knowledge graph (catalog.json), centred on the autoimmune and
 * inflammatory diseases of the demo documents (docs/corpus). Curated links (what treats what,
 * typical symptoms, ICD-10 codes) come first; seed/generate.ts fills the rest deterministically.
 */
const pair = z.tuple([z.string(), z.string()]);
const catalogSchema = z.object({
  /** [name, ICD-10, typical symptoms] */
  diseases: z.array(z.tuple([z.string(), z.string(), z.array(z.string())])),
  /** [drug, diseases it treats (by name)] */
  drugs: z.array(z.tuple([z.string(), z.array(z.string())])),
  /** [drug, what it is contraindicated with (a disease or a drug)] */
  contraindications: z.array(pair),
  extraSymptoms: z.array(z.string()),
  /** [test, what it measures] */
  tests: z.array(pair),
  /** [treatment, what it is] */
  treatments: z.array(pair),
  genes: z.array(z.string()),
  /** [pathway, genes in it] */
  pathways: z.array(z.tuple([z.string(), z.array(z.string())])),
  organizations: z.array(z.string()),
  /** [substance, reaction] */
  allergens: z.array(pair),
  /** entity id (of the first copy) -> clinical synonyms, abbreviations and brand names */
  synonyms: z.record(z.string(), z.array(z.string())),
});

export const catalog = catalogSchema.parse(JSON.parse(readFileSync(new URL('./catalog.json', import.meta.url), 'utf8')));
