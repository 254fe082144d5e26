const graphqlName = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/**
 * Metric labels for operation names, bounded: the first `max` distinct names keep their own
 * label, later ones share `other`, unnamed operations are `anonymous`. Client-chosen names
 * would otherwise grow Prometheus' series without end.
 */
export function createOperationLabeler(max = 100): (name: string | null | undefined) => string {
  const known = new Set<string>();
  return (name) => {
    if (!name) return 'anonymous';
    if (!graphqlName.test(name)) return 'other';
    if (known.has(name)) return name;
    if (known.size >= max) return 'other';
    known.add(name);
    return name;
  };
}
