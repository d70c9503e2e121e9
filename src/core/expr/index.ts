/** The expression language: parse, inspect, evaluate and print as an Excel formula. */
export type { Expr, FunctionName, ParseResult, EvalValue, EvalError } from './ast';
export { referencedCodes, previousCodes, previousKey, isEvalError } from './ast';
export { parseExpression } from './parser';
export { evaluate, compareNumbers } from './evaluate';
export { toExcelFormula, toExcelRuleFailure, type RuleTest } from './excel';
export { FUNCTIONS, lookupFunction, roundHalfAway } from './functions';
export type { ArgKind, FunctionSpec } from './functions';
