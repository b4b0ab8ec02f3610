// One entry of the contract: request and response schemas, and a line for humans.
import type { Schema } from '../schema';

export interface MethodSpec<Req, Res> {
  readonly request: Schema<Req>;
  readonly response: Schema<Res>;
  /** One line for humans (shown in docs and error messages). */
  readonly summary: string;
}

export function method<Req, Res>(spec: MethodSpec<Req, Res>): MethodSpec<Req, Res> {
  return spec;
}
