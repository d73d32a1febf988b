/** What a failed file-system call means for the user, in words rather than errno codes. */

const MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ELOOP: 'a symbolic link loop (a link that points back to itself)',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the path is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on the machine',
  EDQUOT: 'the disk quota is used up',
  EIO: 'an input/output error of the disk',
};

/** `no such file or folder`, `a symbolic link loop …`, or the error's own message. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return (code !== undefined ? MEANING[code] : undefined) ?? (error instanceof Error ? error.message : String(error));
}
