import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureKnowledgeSchema } from '../../subgraphs/knowledge/store/schema-setup.js';
import { upsertEntities } from '../../subgraphs/knowledge/store/seed-writes.js';
import { removeTestData, startKnowledgeFixture, type KnowledgeFixture } from './support/knowledge-fixture.js';

/**
 * The ranking rules of searchEntities, each on entities of this file only: their names carry a
 * word made of this run's tag, so the demo graph or other tests' data never match.
 */
let kg: KnowledgeFixture;
let word: string;
const id = (name: string) => `${kg.prefix}${name}`;

async function search(text: string, filters: { types?: string[]; layer?: string } = {}): Promise<string[]> {
  const result = await kg.query<{ searchEntities: { id: string }[] }>(
    'query($text: String!, $types: [EntityType!], $layer: Layer) { searchEntities(text: $text, types: $types, layer: $layer, first: 20) { id } }',
    { text, types: filters.types ?? null, layer: filters.layer ?? null },
  );
  expect(result.errors).toBeUndefined();
  return (result.data?.searchEntities ?? []).map((hit) => hit.id).filter((hitId) => hitId.startsWith(kg.prefix));
}

async function upsert(input: { id: string; name: string; type: string; synonyms?: string[]; layer?: string }): Promise<void> {
  const result = await kg.query('mutation($input: MedicalEntityInput!) { upsertMedicalEntity(input: $input) { id synonyms } }', {
    input: { confidence: 0.8, description: 'test entity', ...input },
  });
  expect(result.errors).toBeUndefined();
}

beforeAll(async () => {
  kg = await startKnowledgeFixture();
  // letters only: a digit would split no word but reads oddly in a name
  word = `zorvexia${kg.tag.replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)] as string)}`;
  const Word = word.charAt(0).toUpperCase() + word.slice(1);
  await upsert({ id: id('disease'), name: Word, type: 'DISEASE', synonyms: [`ZVX-${kg.tag}`, `${Word} of the elderly`] });
  await upsert({ id: id('cohort'), name: `Natural history cohort of ${Word}`, type: 'STUDY', layer: 'APPLICATION' });
  await upsert({ id: id('foundation'), name: `${Word} Foundation`, type: 'ORGANIZATION' });
  await upsert({ id: id('flare'), name: `${Word} flare`, type: 'SYMPTOM' });
  await upsert({ id: id('syndrome'), name: `Qüelmar${word}'s syndrome`, type: 'DISEASE' });
  await upsertEntities(kg.driver, [{ id: id('coded'), name: `Coded ${Word} variant`, type: 'DISEASE', description: 'test entity', layer: 'SEMANTIC', confidence: 0.9, ontologyCodes: [`ICD10:Q${kg.tag}.9`] }]);
});

afterAll(async () => {
  await removeTestData(kg.driver, kg.prefix);
  await kg.stop();
});

describe('entity search ranking', () => {
  it('puts the very name first, then diseases before a symptom, and those before an organisation and a study that contain it', async () => {
    const expected = [id('disease'), id('coded'), id('flare'), id('foundation'), id('cohort')];
    expect(await search(word)).toEqual(expected);
    expect(await search(word.toUpperCase())).toEqual(expected);
  });

  it('ranks a study or an organisation first when the query names it', async () => {
    expect((await search(`${word} foundation`))[0]).toBe(id('foundation'));
    expect((await search(`natural history cohort ${word}`))[0]).toBe(id('cohort'));
  });

  it('matches prefixes, and typos within two edits in a long word', async () => {
    expect((await search(word.slice(0, 6)))[0]).toBe(id('disease'));
    const missingLetter = word.slice(0, 3) + word.slice(4);
    const swapped = `${word.charAt(1)}${word.charAt(0)}${word.slice(2)}`;
    expect((await search(missingLetter))[0]).toBe(id('disease'));
    expect((await search(swapped))[0]).toBe(id('disease'));
  });

  it('folds diacritics and possessives on both sides', async () => {
    for (const typed of [`quelmar${word}s`, `quelmar${word}`, `Qüelmar${word}'s syndrome`, `QUELMAR${word.toUpperCase()}S SYNDROME`, `quelmar${word}’s`]) {
      expect((await search(typed))[0], typed).toBe(id('syndrome'));
    }
  });

  it('matches synonyms and ICD-10 codes, with or without the code system', async () => {
    expect((await search(`zvx-${kg.tag}`))[0]).toBe(id('disease'));
    expect((await search(`${word} of the elderly`))[0]).toBe(id('disease'));
    expect((await search(`Q${kg.tag}.9`))[0]).toBe(id('coded'));
    expect((await search(`q${kg.tag}`))[0]).toBe(id('coded'));
  });

  it('keeps type and layer filters', async () => {
    expect(await search(word, { types: ['STUDY', 'ORGANIZATION'] })).toEqual([id('foundation'), id('cohort')]);
    expect(await search(word, { layer: 'APPLICATION' })).toEqual([id('cohort')]);
  });

  it('replaces synonyms on update and keeps them when the input leaves them out', async () => {
    await upsert({ id: id('flare'), name: `${word} flare`, type: 'SYMPTOM', synonyms: [`Flarex${word}`] });
    expect(await search(`flarex${word}`)).toEqual([id('flare')]);
    await upsert({ id: id('flare'), name: `${word} flare-up`, type: 'SYMPTOM' });
    expect(await search(`flarex${word}`)).toEqual([id('flare')]);
  });

  it('refuses too many or blank synonyms and changes nothing', async () => {
    const many = await kg.query('mutation($input: MedicalEntityInput!) { upsertMedicalEntity(input: $input) { id } }', {
      input: { id: id('disease'), name: 'Renamed', type: 'DISEASE', confidence: 0.8, synonyms: Array.from({ length: 31 }, (_, index) => `s${index}`) },
    });
    expect(many.errors?.[0]).toMatchObject({ message: 'synonyms: at most 30', extensions: { code: 'BAD_USER_INPUT' } });
    const blank = await kg.query('mutation($input: MedicalEntityInput!) { upsertMedicalEntity(input: $input) { id } }', {
      input: { id: id('disease'), name: 'Renamed', type: 'DISEASE', confidence: 0.8, synonyms: ['  '] },
    });
    expect(blank.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await search(word))[0]).toBe(id('disease'));
  });

  it('keys entities written without search keys at start-up', async () => {
    await kg.driver.executeQuery("CREATE (e:Entity:MedicalEntity:Disease {id: $id, name: $name, layer: 'PERCEPTION', confidence: 0.5})", {
      id: id('unkeyed'),
      name: `Béhçet${word} disease`,
    });
    expect(await search(`behcet${word}`)).toEqual([]);
    await ensureKnowledgeSchema(kg.driver);
    expect(await search(`behcet${word}`)).toEqual([id('unkeyed')]);
  });
});
