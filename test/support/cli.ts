/** The CLI run in-process, its output captured. */
import { main } from '../../src/cli/main.ts';

export async function cli(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { env, stdout: { write: (text: string) => (stdout += text) }, stderr: { write: (text: string) => (stderr += text) }, ...(cwd ? { cwd } : {}) });
  return { code, stdout, stderr };
}
