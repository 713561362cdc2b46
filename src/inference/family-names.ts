/**
 * The model families, named once. The manifest's `family` field is validated against this
 * list, the runner's table of family modules must cover it (a `Record` over it), and the
 * GraphQL `ModelFamily` value is the name in capitals, which the generated resolver types
 * check against schema.graphql's enum at compile time.
 */
export const FAMILY_NAMES = ['isnet', 'u2net', 'basnet'] as const;

export type ModelFamily = (typeof FAMILY_NAMES)[number];

/** `ModelFamily` in schema.graphql. */
export const graphqlFamily = (family: ModelFamily): Uppercase<ModelFamily> => family.toUpperCase() as Uppercase<ModelFamily>;
