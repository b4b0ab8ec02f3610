// PROTOCOL.md §2.7's key rule on the bytes (keyEncodingAllowed, keyValid): shared/ledger
// rules/key-encoding.ts, where the ledger's isValidKey uses it too. OpenSSL's Ed25519 verify
// decodes a key (crypto/ec/curve25519.c ossl_ed25519_verify, ge_frombytes_vartime) and refuses
// one that is not on the curve, and for y < p it decodes exactly as strict decoding does, so
// keyEncodingAllowed is all native verification needs in front of it (native-rules.ts).
export { keyEncodingAllowed, keyValid, SMALL_ORDER_OR_BAD_SIGN } from '../../shared/ledger/rules/key-encoding';
