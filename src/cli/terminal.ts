/**
 * Text for a terminal: names and messages come from input files, and an escape sequence in a
 * scenario name would be obeyed by the terminal (set the window title, clear the screen, move
 * the cursor). Every control character but newline and tab, and every bidi override, is shown
 * as a `\u….` escape instead.
 */
import type { CliIo } from './io.ts';

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with terminal control characters made visible: ESC → `\u001b`. */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same I/O with stdout and stderr passed through forTerminal. */
export function terminalSafe(io: CliIo): CliIo {
  const wrap = (stream: CliIo['stdout']): CliIo['stdout'] => ({ write: (text: string) => stream.write(forTerminal(String(text))), isTTY: stream.isTTY });
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}
