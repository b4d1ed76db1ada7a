import { execFileSync } from 'node:child_process';

/** Whether `tool --version` runs (tests that compare with tshark or tcpdump skip without it). */
export function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
