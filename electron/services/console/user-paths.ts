// Paths the user typed (headless host) or picked (desktop dialogs) for exports and imports.
// The host writes only where the user asked, and only what the name says: an absolute path,
// with the expected extension, into an existing folder, never over a folder.
import { stat } from 'node:fs/promises';
import { dirname, extname, isAbsolute, normalize } from 'node:path';
import { ApiError } from '../../../shared/api';

export async function checkOutputPath(path: string, ext: string): Promise<string> {
  if (!isAbsolute(path) || path.includes('\0')) throw new ApiError('bad-request', `give an absolute path (starting with /), not ${JSON.stringify(path.slice(0, 200))}`);
  const p = normalize(path);
  if (extname(p).toLowerCase() !== ext) throw new ApiError('bad-request', `the file name must end in ${ext}`);
  const parent = await stat(dirname(p)).catch(() => undefined);
  if (!parent?.isDirectory()) throw new ApiError('bad-request', `the folder ${dirname(p)} does not exist`);
  const target = await stat(p).catch(() => undefined);
  if (target && !target.isFile()) throw new ApiError('bad-request', `${p} exists and is not a file`);
  return p;
}

export async function checkInputFile(path: string): Promise<string> {
  if (!isAbsolute(path) || path.includes('\0')) throw new ApiError('bad-request', `give an absolute path (starting with /), not ${JSON.stringify(path.slice(0, 200))}`);
  const p = normalize(path);
  const st = await stat(p).catch(() => undefined);
  if (!st) throw new ApiError('bad-request', `${p}: no such file`);
  if (!st.isFile()) throw new ApiError('bad-request', `${p} is not a file`);
  return p;
}
