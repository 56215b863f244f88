import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * A once-compiled validator for a `Schema.Class`'s constructor.
 *
 * `Schema.Class` validates every `new`/`make` through `typeAST(schema)`, which rebuilds the
 * type-side AST whenever a field has a transformation (`Schema.DateTimeUtc` decodes from text):
 * a fresh AST misses the parser cache, so the validator is recompiled on every construction. A class
 * passes its fields (or its struct schema) here and its constructor calls `super(check(props, options), true)`: the same
 * checks, the same failures, compiled once (on first use).
 */
export const constructorCheck = (schema: Schema.Struct.Fields | Schema.Schema.AnyNoContext) => {
  let validate: ((input: unknown) => unknown) | undefined
  return <P>(props: P, options: Schema.MakeOptions | undefined): P => {
    const disabled = options === true || (typeof options === "object" && options.disableValidation === true)
    if (!disabled) {
      validate ??= ParseResult.validateSync(Schema.isSchema(schema) ? schema : Schema.Struct(schema))
      validate(props)
    }
    return props
  }
}
