// Line icons drawn for Custos (16 × 16, currentColor). Decorative unless given a title:
// every state they mark is also written out in words next to them.
import type { ReactNode } from 'react';

const paths = {
  sync: (
    <>
      <path d="M13.5 6.5A5.5 5.5 0 0 0 3.3 4.6M2.5 9.5a5.5 5.5 0 0 0 10.2 1.9" />
      <path d="M3 2v3h3M13 14v-3h-3" />
    </>
  ),
  verify: (
    <>
      <path d="M8 1.8 13 3.6v4c0 3.1-2.1 5.4-5 6.6-2.9-1.2-5-3.5-5-6.6v-4z" />
      <path d="m5.6 8 1.7 1.7 3.2-3.4" />
    </>
  ),
  explorer: (
    <>
      <rect x="2.5" y="2.5" width="11" height="3" rx=".5" />
      <rect x="2.5" y="6.5" width="11" height="3" rx=".5" />
      <rect x="2.5" y="10.5" width="11" height="3" rx=".5" />
    </>
  ),
  provenance: (
    <>
      <circle cx="3" cy="8" r="1.5" />
      <circle cx="8" cy="4" r="1.5" />
      <circle cx="8" cy="12" r="1.5" />
      <circle cx="13" cy="8" r="1.5" />
      <path d="m4.3 7.2 2.4-2.2M4.3 8.8l2.4 2.2M9.3 4.8l2.4 2.4M9.3 11.2l2.4-2.4" />
    </>
  ),
  findings: (
    <>
      <path d="M3.5 14.5v-12" />
      <path d="M3.5 2.5h8l-1.8 3 1.8 3h-8" />
    </>
  ),
  governance: (
    <>
      <rect x="2.5" y="6.5" width="11" height="7" rx=".5" />
      <path d="M5.5 6.5V3.2c0-.4.3-.7.7-.7h3.6c.4 0 .7.3.7.7v3.3M6 10h4" />
    </>
  ),
  reports: (
    <>
      <path d="M4 1.5h5.5l3 3v10H4z" />
      <path d="M9.5 1.5v3h3M6 8h4.5M6 10.5h4.5" />
    </>
  ),
  sun: (
    <>
      <circle cx="8" cy="8" r="2.8" />
      <path d="M8 1v1.6M8 13.4V15M1 8h1.6M13.4 8H15M3 3l1.1 1.1M11.9 11.9 13 13M3 13l1.1-1.1M11.9 4.1 13 3" />
    </>
  ),
  moon: <path d="M13.3 10.2A5.8 5.8 0 0 1 5.8 2.7a5.8 5.8 0 1 0 7.5 7.5z" />,
  pending: <circle cx="8" cy="8" r="5.5" strokeDasharray="2.2 2" />,
  headless: (
    <>
      <rect x="2" y="2.5" width="12" height="4.5" rx=".8" />
      <rect x="2" y="9" width="12" height="4.5" rx=".8" />
      <path d="M4.5 4.8h.01M4.5 11.2h.01" strokeWidth="2" strokeLinecap="round" />
    </>
  ),
  electron: (
    <>
      <rect x="1.5" y="2.5" width="13" height="8.5" rx=".8" />
      <path d="M6 14h4M8 11v3" />
    </>
  ),
  connected: <circle cx="8" cy="8" r="3.5" fill="currentColor" stroke="none" />,
  connecting: <circle cx="8" cy="8" r="3.5" strokeDasharray="1.6 1.6" />,
  disconnected: <path d="m4.5 4.5 7 7M11.5 4.5l-7 7" />,
  arrow: <path d="M3 8h9.5M9 4.5 12.5 8 9 11.5" />,
  check: <path d="m3.5 8.5 3 3 6-7" />,
  cross: <path d="m4.5 4.5 7 7M11.5 4.5l-7 7" />,
  warn: (
    <>
      <path d="M8 2.2 14.2 13H1.8z" />
      <path d="M8 6.5v3M8 11.3h.01" />
    </>
  ),
  copy: (
    <>
      <rect x="5.5" y="5.5" width="8" height="8" rx="1" />
      <path d="M10.5 5.5V3.2c0-.4-.3-.7-.7-.7H3.2c-.4 0-.7.3-.7.7v6.6c0 .4.3.7.7.7h2.3" />
    </>
  ),
  search: (
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="m10.3 10.3 3.7 3.7" />
    </>
  ),
  play: <path d="M5 3.5v9l7-4.5z" />,
  pause: <path d="M5.5 3.5v9M10.5 3.5v9" />,
  left: <path d="M10 3.5 5.5 8l4.5 4.5" />,
  right: <path d="M6 3.5 10.5 8 6 12.5" />,
  download: <path d="M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10" />,
  upload: <path d="M8 10.5v-8M4.5 6 8 2.5 11.5 6M3 13.5h10" />,
  plus: <path d="M8 3v10M3 8h10" />,
} satisfies Record<string, ReactNode>;

export type IconName = keyof typeof paths;

export function Icon({ name, title }: { name: IconName; title?: string }) {
  return (
    <svg
      className="icon"
      viewBox="0 0 16 16"
      width="16"
      height="16"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.3"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden={title ? undefined : true}
      role={title ? 'img' : undefined}
    >
      {title ? <title>{title}</title> : null}
      {paths[name]}
    </svg>
  );
}
