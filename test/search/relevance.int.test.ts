import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestConfig, ingestViaEvent, startSearchEnv, type SearchEnv } from './support/search-env.js';

/** Questions a user might ask about the demo corpus, each with the document that answers it. */
const questions: [string, string][] = [
  ['Which teams are stakeholders for ankylosing spondylitis data?', 'ankylosing_spondylitis_management_dda'],
  ['Who is responsible for the autoimmune biobank samples?', 'autoimmune_disease_biobank_dda'],
  ['Which principal investigators use the autoimmune clinical trials data?', 'autoimmune_disease_clinical_trials_dda'],
  ['Are insurance provider and ethnicity recorded for autoimmune patients?', 'autoimmune_disease_dda'],
  ['What data do telemedicine physicians and IT support need for remote visits?', 'autoimmune_disease_telemedicine_dda'],
  ['Who owns the celiac disease data?', 'celiac_disease_management_dda'],
  ["How is Crohn's disease activity scored, for example with the Harvey-Bradshaw index?", 'crohns_disease_dda'],
  ['Which statisticians analyse inflammatory bowel disease research data?', 'inflammatory_bowel_disease_research_dda'],
  ['Do nephrologists and dermatologists take part in lupus care?', 'lupus_management_dda'],
  ['Who directs the MS center that owns multiple sclerosis records?', 'multiple_sclerosis_management_dda'],
  ['Are child psychologists involved in pediatric autoimmune care?', 'pediatric_autoimmune_disease_management_dda'],
  ['Which chief dermatologist owns the psoriasis data?', 'psoriasis_management_dda'],
  ['Do occupational therapists treat rheumatoid arthritis patients?', 'rheumatoid_arthritis_management_dda'],
  ['How is customer lifetime value and segment tracked?', 'sample_dda'],
  ["Do ophthalmologists and dentists help Sjögren's syndrome patients?", 'sjogrens_syndrome_management_dda'],
  ['What are the placeholders for entity names and business rules in the template?', 'test_domain_dda'],
  ['Which diabetes educators and endocrinologists manage type 1 diabetes data?', 'type_1_diabetes_management_dda'],
  ['Are colorectal surgeons stakeholders for ulcerative colitis?', 'ulcerative_colitis_management_dda'],
  ['Do pulmonologists take part in vasculitis management?', 'vasculitis_management_dda'],
  ['What are the clinical encounter records for IBD patients?', 'ibd_template_dda'],
];

const corpusDir = join(import.meta.dirname, '../../docs/corpus/dda');
let env: SearchEnv;

beforeAll(async () => {
  env = await startSearchEnv(createTestConfig());
  const files = readdirSync(corpusDir).filter((file) => file.endsWith('.md'));
  expect(files.length).toBe(20);
  for (const file of files) {
    const { outcome } = await ingestViaEvent(env, { documentId: file.replace(/\.md$/, ''), filename: file, content: readFileSync(join(corpusDir, file), 'utf8') });
    expect(outcome.type).toBe('document.ingest.completed');
  }
}, 300_000);

afterAll(async () => {
  await env?.stop();
});

describe('relevance on the demo corpus (offline USE embeddings)', () => {
  it('puts the answering document in the top 3 for at least 18 of the questions', async () => {
    const misses: string[] = [];
    for (const [question, documentId] of questions) {
      const { data, errors } = await env.graphql<{ semanticSearch: { chunk: { document: { id: string } } }[] }>(
        'query($text: String!) { semanticSearch(text: $text, k: 3) { chunk { document { id } } } }',
        { text: question },
      );
      expect(errors).toBeUndefined();
      const top = (data?.semanticSearch ?? []).map((hit) => hit.chunk.document.id);
      if (!top.includes(documentId)) misses.push(`${question} -> expected ${documentId}, got ${top.join(', ')}`);
    }
    const hits = questions.length - misses.length;
    console.log(`[relevance] ${hits}/${questions.length} questions answered in the top 3${misses.length ? `; misses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(questions.length).toBeGreaterThanOrEqual(15);
    expect(hits).toBeGreaterThanOrEqual(18);
  });
});
