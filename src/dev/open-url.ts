import { spawn } from 'node:child_process';

/** The command that opens a URL in the desktop's default browser. */
export function openCommand(platform: NodeJS.Platform = process.platform): { command: string; args: string[] } {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // `start` is a cmd built-in; its first quoted argument is a window title, hence the empty one.
  if (platform === 'win32') return { command: 'cmd', args: ['/c', 'start', '""'] };
  return { command: 'xdg-open', args: [] };
}

/** Opens `url` for the user; failure (no desktop, no opener) is reported, never thrown. */
export function openUrl(url: string, onError: (message: string) => void): void {
  const { command, args } = openCommand();
  try {
    const child = spawn(command, [...args, url], { stdio: 'ignore', detached: true });
    child.on('error', (error) => onError(`could not open a browser (${command}): ${error.message}; open ${url} yourself`));
    child.unref();
  } catch (error) {
    onError(`could not open a browser (${command}): ${(error as Error).message}; open ${url} yourself`);
  }
}
