import { readFileSync } from 'node:fs';
import { Kind, parse, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { defaultSupportingPassages, supportingPassagesQuery } from './message-passage-query.js';
import { maxQueryChars } from './validation.js';

describe('supportingPassagesQuery', () => {
  it('computes ahead the k a read gets when it names none (the schema default)', () => {
    const document = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));
    const message = document.definitions.find(
      (definition): definition is ObjectTypeDefinitionNode | ObjectTypeExtensionNode =>
        (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) && definition.name.value === 'Message',
    );
    const k = message?.fields?.find((field) => field.name.value === 'supportingPassages')?.arguments?.find((argument) => argument.name.value === 'k');
    expect(k?.defaultValue).toMatchObject({ kind: Kind.INT, value: String(defaultSupportingPassages) });
  });

  it('searches the trimmed opening of the text with the mentions, and nothing for an empty message', () => {
    expect(supportingPassagesQuery({ content: `  ${'a'.repeat(maxQueryChars + 10)} `, mentions: [{ id: 'drug:x' }] }, 3)).toEqual({
      text: 'a'.repeat(maxQueryChars),
      k: 3,
      filter: {},
      entityIds: ['drug:x'],
    });
    expect(supportingPassagesQuery({ content: '   ', mentions: [] }, 3)).toBeUndefined();
    expect(supportingPassagesQuery({ content: 'fever', mentions: null }, 5)).toEqual({ text: 'fever', k: 5, filter: {}, entityIds: [] });
  });
});
