// The few host globals shared/ may use: WHATWG Encoding is present in every runtime Custos
// targets (Node, Electron renderer, workers, browsers) but is not part of lib ES2022.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}
