/**
 * An entity's columns as the prepared statements select them (snake_case, as in the schema) and the entity made
 * from such a row (camelCase properties, as TypeORM maps them). One list serves both, so a statement and its mapping
 * cannot drift apart; rows.spec.ts holds each list to the entity's TypeORM columns.
 */
export class RowMapper<E extends object> {
  private readonly fields: readonly (readonly [column: string, property: string])[];

  constructor(
    private readonly entity: new () => E,
    readonly columns: readonly string[],
  ) {
    this.fields = columns.map((column) => [column, column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase())] as const);
  }

  /** The columns as a select list from table alias `alias`, each named `prefix` + column. */
  select(alias: string, prefix = ''): string {
    return this.columns.map((column) => (prefix ? `${alias}.${column} AS ${prefix}${column}` : `${alias}.${column}`)).join(', ');
  }

  /** The entity of a row holding these columns, each named `prefix` + column. */
  from(row: object, prefix = ''): E {
    const values = row as Record<string, unknown>;
    const entity = new this.entity() as Record<string, unknown>;
    for (const [column, property] of this.fields) entity[property] = values[prefix + column];
    return entity as E;
  }
}
