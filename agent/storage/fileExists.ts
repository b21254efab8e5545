// Whether a path exists (any kind of file), for image work that skips what has no file.
import { access } from 'node:fs/promises';

export function fileExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
