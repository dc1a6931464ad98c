/**
 * Types for the parts of @michaelhomer/jqjs (plain JavaScript, no declarations of its own) that
 * src/jq/ uses. `compileNode` parses a jq program into the root of its syntax tree; a node's
 * `apply(input, conf)` is a generator of the program's outputs.
 */
declare module "@michaelhomer/jqjs" {
  export interface JqjsConf {
    variables: Record<string, unknown>;
    userFuncArgs: Record<string, unknown>;
  }
  export interface JqjsNode {
    apply(input: unknown, conf: JqjsConf): Iterator<unknown> & Iterable<unknown>;
    paths?(input: unknown, conf: JqjsConf): Iterator<unknown> & Iterable<unknown>;
    [field: string]: unknown;
  }
  export function compileNode(program: string): JqjsNode;
  /** The `@name` formats, by name: each maps a value to a string. */
  export const formats: Record<string, (value: unknown) => string>;
}
