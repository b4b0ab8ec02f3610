import { describe, expect, it } from 'vitest';
import { setTomlValues } from './config-toml';

const TOML = `# top comment
proxy_app = "tcp://127.0.0.1:26658"
moniker = "vm"

[rpc]
laddr = "tcp://127.0.0.1:26657"

[p2p]
# the p2p listen address
laddr = "tcp://0.0.0.0:26656"
addr_book_strict = true
size = 1
`;

describe('setTomlValues', () => {
  it('edits keys inside the named section only, keeping comments', () => {
    const out = setTomlValues(TOML, 'p2p', { laddr: 'tcp://127.0.0.1:1', addr_book_strict: false, size: 5 });
    expect(out).toContain('[rpc]\nladdr = "tcp://127.0.0.1:26657"');
    expect(out).toContain('# the p2p listen address\nladdr = "tcp://127.0.0.1:1"\naddr_book_strict = false\nsize = 5');
  });

  it('edits top-level keys with section ""', () => {
    expect(setTomlValues(TOML, '', { moniker: 'node0' })).toContain('moniker = "node0"');
  });

  it('fails loudly on a key the template lacks', () => {
    expect(() => setTomlValues(TOML, 'rpc', { nope: 1 })).toThrow(/no nope in \[rpc\]/);
  });
});
