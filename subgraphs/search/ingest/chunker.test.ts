import { describe, expect, it } from 'vitest';
import { chunkMarkdown } from './chunker.js';

const doc = [
  '# Lupus Management',
  '',
  '## Business Context',
  'Lupus care needs coordinated rheumatology.',
  '',
  '## Data Entities',
  '',
  '### Patient',
  '- Patient ID',
  '- Date of Birth',
  '',
  '### Assessment',
  'SLEDAI score recorded monthly.',
].join('\n');

describe('chunkMarkdown', () => {
  it('keeps top-level sections apart and headings with their text', () => {
    const chunks = chunkMarkdown(doc, { targetChars: 400, overlapChars: 50 });
    expect(chunks.map((chunk) => chunk.text)).toEqual([
      '# Lupus Management\n## Business Context\nLupus care needs coordinated rheumatology.',
      '## Data Entities\n### Patient\n- Patient ID\n- Date of Birth\n\n### Assessment\nSLEDAI score recorded monthly.',
    ]);
    expect(chunks.map((chunk) => chunk.headings)).toEqual([
      ['Lupus Management', 'Business Context'],
      ['Lupus Management', 'Data Entities', 'Patient'],
    ]);
    expect(chunks.map((chunk) => chunk.index)).toEqual([0, 1]);
  });

  it('cuts a long section near the target size and overlaps the seam', () => {
    const paragraphs = Array.from({ length: 6 }, (_, n) => `Paragraph ${n} ${'word '.repeat(30).trim()}.`);
    const chunks = chunkMarkdown(['## Long', ...paragraphs].join('\n\n'), { targetChars: 400, overlapChars: 60 });
    expect(chunks.length).toBe(3);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(400 + 60 + 2);
    const firstTail = chunks[0]?.text.slice(-40) ?? '';
    expect(chunks[1]?.text.startsWith('word') && chunks[1].text.includes(firstTail)).toBe(true);
    expect(chunks.every((chunk) => chunk.headings.join() === 'Long')).toBe(true);
  });

  it('splits a single oversized paragraph at sentence and word boundaries', () => {
    const sentence = 'Methotrexate is a first-line therapy. ';
    const chunks = chunkMarkdown(sentence.repeat(40), { targetChars: 200, overlapChars: 0 });
    expect(chunks.length).toBe(8);
    expect(chunks.every((chunk) => chunk.text.length <= 200 && chunk.text.startsWith('Methotrexate'))).toBe(true);
  });

  it('ignores headings inside code fences and is deterministic', () => {
    const fenced = '## A\n```\n# not a heading\n```\ntext';
    expect(chunkMarkdown(fenced)).toEqual(chunkMarkdown(fenced));
    expect(chunkMarkdown(fenced)).toEqual([{ index: 0, text: '## A\n```\n# not a heading\n```\ntext', headings: ['A'] }]);
  });

  it('gives no chunks for blank text', () => {
    expect(chunkMarkdown('  \n\n \t')).toEqual([]);
  });
});
