/**
 * Which cluster the kubeconfig backend may use: an explicit kubeconfig file (read once), a
 * context in it (--context, else the file's current context), and that context on the
 * allow-list with the API server it must point at (`context=https://server:port`), given with
 * --allowed-contexts or in the repository's clusters/allowed-contexts file, never by the
 * environment alone. Anything else is a UserError (exit 2), raised before the harness opens a
 * single connection, so that it never runs against a production cluster by accident: not one
 * named like a test cluster, not one a shell's leftover variables point at.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { describeFsError } from '../../errors/fs-messages.ts';
import { UserError, suggestion } from '../../errors/user-error.ts';
import type { BackendSettings } from '../backend.ts';
import { REPO_ROOT } from '../shared/tools-dir.ts';

/** The allow-list kept in the repository, reviewed like code: `context https://server:port` per line. */
export const ALLOW_LIST_FILE = join(REPO_ROOT, 'clusters', 'allowed-contexts');

/** One allowed cluster: a context name and the API server URL it must have. */
export interface AllowedCluster {
  context: string;
  server: string;
}

export interface KubeconfigTarget {
  /** absolute path of the kubeconfig file */
  file: string;
  context: string;
  /** the API server URL of that context (the pinned one) */
  server: string;
  /** load the kubeconfig as it was read and checked (never read again) into `into`, at the context */
  load(into: KubeConfig): void;
}

/** A server URL as compared against the allow-list: scheme, host and port, path without a trailing slash. */
export function normalizeServer(server: string): string | undefined {
  try {
    const url = new URL(server);
    const port = url.port || (url.protocol === 'https:' ? '443' : url.protocol === 'http:' ? '80' : '');
    return `${url.protocol}//${url.hostname.toLowerCase()}:${port}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return undefined;
  }
}

/** Parse allow-list entries (`context=server`, or `context server` in the file); an entry without a server is refused. */
export function parseAllowList(entries: readonly string[], source: string): AllowedCluster[] {
  return entries.map((entry) => {
    const match = /^([^=\s]+)(?:\s*=\s*|\s+)(\S+)$/.exec(entry.trim());
    const server = match ? normalizeServer(match[2]!) : undefined;
    if (match === null || server === undefined) {
      throw new UserError(`allow-list entry \`${entry.trim()}\` in ${source} names no API server`, {
        hint: 'pin each context to its cluster: `context=https://host:port` (the `server` of that context in the kubeconfig)',
      });
    }
    return { context: match[1]!, server };
  });
}

/** The allow-list: --allowed-contexts, else the repository's file, else empty (STATUSCHAOS_ALLOWED_CONTEXTS is never read). */
export function allowList(settings: Pick<BackendSettings, 'allowedContexts'>, file = ALLOW_LIST_FILE): { entries: AllowedCluster[]; source: string } {
  if (settings.allowedContexts !== undefined) return { entries: parseAllowList(settings.allowedContexts, '--allowed-contexts'), source: '--allowed-contexts' };
  if (!existsSync(file)) return { entries: [], source: 'nowhere' };
  const lines = readFileSync(file, 'utf8').split('\n').map((line) => line.replace(/#.*$/, '').trim()).filter(Boolean);
  return { entries: parseAllowList(lines, file), source: file };
}

/** Read the kubeconfig once, resolve and check the target; throws a UserError saying what is missing or not allowed. */
export function resolveKubeconfigTarget(settings: BackendSettings, allowListFile = ALLOW_LIST_FILE): KubeconfigTarget {
  if (settings.kubeconfig === undefined) {
    throw new UserError('the kubeconfig backend needs `--kubeconfig FILE` (or STATUSCHAOS_KUBECONFIG)', { hint: 'point it at a test cluster; it is never taken from $KUBECONFIG or ~/.kube/config implicitly' });
  }
  const file = resolve(settings.kubeconfig);
  let text: string;
  const parse = (into: KubeConfig) => {
    into.loadFromString(text);
    into.makePathsAbsolute(dirname(file));
  };
  const kubeConfig = new KubeConfig();
  try {
    text = readFileSync(file, 'utf8');
    parse(kubeConfig);
  } catch (error) {
    throw new UserError(`cannot read the kubeconfig: ${describeFsError(error)}`, { location: { file }, hint: 'pass an existing kubeconfig file with --kubeconfig' });
  }
  const names = kubeConfig.getContexts().map((context) => context.name);
  const context = settings.context ?? (kubeConfig.getCurrentContext() || undefined);
  if (context === undefined) throw new UserError('the kubeconfig has no current context; name one with `--context`', { location: { file }, hint: `contexts in the file: ${names.join(', ') || 'none'}` });
  if (!names.includes(context)) throw new UserError(`the kubeconfig has no context \`${context}\``, { location: { file }, hint: suggestion(context, names) });
  kubeConfig.setCurrentContext(context);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new UserError(`context \`${context}\` names no cluster with a server`, { location: { file } });

  const { entries, source } = allowList(settings, allowListFile);
  const entry = entries.find((candidate) => candidate.context === context);
  const fromEnv = (settings.env.STATUSCHAOS_ALLOWED_CONTEXTS ?? '') !== '' ? ' (STATUSCHAOS_ALLOWED_CONTEXTS is not read: a variable left in a shell must not switch a run to a cluster)' : '';
  if (entry === undefined) {
    const listed = entries.length === 0 ? 'the list is empty' : entries.map((item) => item.context).join(', ');
    throw new UserError(`context \`${context}\` is not on the allow-list (${listed})${fromEnv}; the kubeconfig backend refuses clusters nobody allowed`, {
      location: { file },
      hint: `if \`${context}\` is a test cluster, allow it with its server: --allowed-contexts ${context}=${server} (or a line \`${context} ${server}\` in clusters/allowed-contexts)`,
    });
  }
  if (entry.server !== normalizeServer(server)) {
    throw new UserError(`context \`${context}\` points at ${server}, but the allow-list (${source}) allows it only at ${entry.server}`, {
      location: { file },
      hint: 'a context is allowed together with its API server: a context of the same name on another cluster is refused',
    });
  }
  return {
    file,
    context,
    server,
    load(into) {
      parse(into);
      into.setCurrentContext(context);
    },
  };
}

/** A kubeconfig holding only the target's context, cluster and user (for `kubectl exec`). */
export function singleContextKubeconfig(target: KubeconfigTarget): string {
  const full = new KubeConfig();
  target.load(full);
  const cluster = full.getCurrentCluster();
  const user = full.getCurrentUser();
  const only = new KubeConfig();
  only.loadFromOptions({ clusters: cluster ? [cluster] : [], users: user ? [user] : [], contexts: full.getContexts().filter((item) => item.name === target.context), currentContext: target.context });
  return only.exportConfig();
}
