import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isNonNullType,
  isObjectType,
  specifiedScalarTypes,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

function kindOf(type: GraphQLNamedType): string {
  if (isObjectType(type)) return 'object';
  if (isInterfaceType(type)) return 'interface';
  if (isUnionType(type)) return 'union';
  if (isEnumType(type)) return 'enum';
  if (isInputObjectType(type)) return 'input';
  return 'scalar';
}

/** An added argument or input field that clients written against the contract would not send must be optional. */
function isOptional(input: GraphQLArgument | GraphQLInputField): boolean {
  return !isNonNullType(input.type) || input.defaultValue !== undefined;
}

function checkArguments(where: string, expected: GraphQLField<unknown, unknown>, actual: GraphQLField<unknown, unknown>): string[] {
  const problems: string[] = [];
  for (const arg of expected.args) {
    const found = actual.args.find((candidate) => candidate.name === arg.name);
    if (!found) problems.push(`${where}(${arg.name}:) is missing`);
    else if (String(found.type) !== String(arg.type)) problems.push(`${where}(${arg.name}:) is ${found.type}, the contract says ${arg.type}`);
    else if (arg.defaultValue !== undefined && !isOptional(found)) problems.push(`${where}(${arg.name}:) must accept being left out`);
  }
  for (const arg of actual.args) {
    if (!expected.args.some((candidate) => candidate.name === arg.name) && !isOptional(arg)) {
      problems.push(`${where}(${arg.name}:) is a new required argument`);
    }
  }
  return problems;
}

function checkType(expected: GraphQLNamedType, actual: GraphQLNamedType): string[] {
  const name = expected.name;
  if (kindOf(expected) !== kindOf(actual)) return [`${name} is of kind ${kindOf(actual)}, the contract says ${kindOf(expected)}`];
  if (isEnumType(expected) && isEnumType(actual)) {
    return expected.getValues().flatMap((value) => (actual.getValue(value.name) ? [] : [`${name}.${value.name} is missing`]));
  }
  if (isUnionType(expected) && isUnionType(actual)) {
    const members = new Set(actual.getTypes().map((type) => type.name));
    return expected.getTypes().flatMap((type) => (members.has(type.name) ? [] : [`${name} does not include ${type.name}`]));
  }
  if (isInputObjectType(expected) && isInputObjectType(actual)) {
    const fields = actual.getFields();
    const problems = Object.values(expected.getFields()).flatMap((field) => {
      const found = fields[field.name];
      if (!found) return [`${name}.${field.name} is missing`];
      return String(found.type) === String(field.type) ? [] : [`${name}.${field.name} is ${found.type}, the contract says ${field.type}`];
    });
    const known = expected.getFields();
    for (const field of Object.values(fields)) {
      if (!known[field.name] && !isOptional(field)) problems.push(`${name}.${field.name} is a new required input field`);
    }
    return problems;
  }
  if ((isObjectType(expected) || isInterfaceType(expected)) && (isObjectType(actual) || isInterfaceType(actual))) {
    const fields = actual.getFields();
    return Object.values(expected.getFields()).flatMap((field) => {
      const found = fields[field.name];
      const where = `${name}.${field.name}`;
      if (!found) return [`${where} is missing`];
      if (String(found.type) !== String(field.type)) return [`${where} is ${found.type}, the contract says ${field.type}`];
      return checkArguments(where, field, found);
    });
  }
  return [];
}

/**
 * Every way `actual` (the gateway's API schema) breaks the client contract: a missing or retyped
 * type, field, argument, enum value or operation, a defaulted argument that became required, or a
 * new required argument or input field. Additions that old clients need not know about are fine.
 */
export function checkContract(contractSdl: string, actual: GraphQLSchema): string[] {
  const contract = buildSchema(contractSdl);
  return Object.values(contract.getTypeMap())
    .filter((type) => !type.name.startsWith('__') && !specifiedScalarTypes.some((scalar) => scalar.name === type.name))
    .flatMap((type) => {
      const found = actual.getType(type.name);
      return found ? checkType(type, found) : [`type ${type.name} is missing`];
    });
}
