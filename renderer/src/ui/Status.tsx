// A verification or health state: colour for those who see it, always an icon and a word.
import { Icon, type IconName } from '../shell/Icon';

export type Tone = 'ok' | 'fail' | 'warn' | 'unverified' | 'running';

const ICON: Record<Tone, IconName> = { ok: 'check', fail: 'cross', warn: 'warn', unverified: 'pending', running: 'sync' };

export function Status({ tone, children, testId }: { tone: Tone; children: React.ReactNode; testId?: string }) {
  return (
    <span className={`status-word is-${tone}`} data-testid={testId} data-tone={tone}>
      <Icon name={ICON[tone]} />
      {children}
    </span>
  );
}

export function verificationTone(v: 'unverified' | 'verified' | 'failed' | 'partial'): Tone {
  return v === 'verified' ? 'ok' : v === 'failed' ? 'fail' : v === 'partial' ? 'warn' : 'unverified';
}

export const VERIFICATION_WORD = { verified: 'Verified', failed: 'Failed', unverified: 'Not verified', partial: 'Partly verified' } as const;
