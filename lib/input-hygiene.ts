import { Kind, visit, type DocumentNode, type OperationDefinitionNode } from 'graphql';

/**
 * Where a request carries a NUL character: PostgreSQL cannot store one and no client means to
 * send one, so it is refused at the edge. Returns the argument or variable path, or undefined.
 */
export function findNulCharacter(document: DocumentNode, operation: OperationDefinitionNode | undefined, variables: Readonly<Record<string, unknown>> | undefined): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const path = findInValue(value, `$${name}`);
    if (path) return path;
  }
  let found: string | undefined;
  const fieldPath: string[] = [];
  visit(operation ?? document, {
    Field: {
      enter: (node) => {
        fieldPath.push(node.name.value);
      },
      leave: () => {
        fieldPath.pop();
      },
    },
    Argument(node) {
      if (found) return;
      const inLiteral = (value: typeof node.value): boolean =>
        value.kind === Kind.STRING ? value.value.includes('\u0000') : value.kind === Kind.LIST ? value.values.some(inLiteral) : value.kind === Kind.OBJECT ? value.fields.some((field) => inLiteral(field.value)) : false;
      if (inLiteral(node.value)) found = `${fieldPath.join('.')}(${node.name.value}:)`;
    },
  });
  return found;
}

function findInValue(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findInValue(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findInValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
