/**
 * Which cluster the kubeconfig backend may use: an explicit kubeconfig file, a context in it
 * (--context, else the file's current context), and that context on the allow-list
 * (--allowed-contexts or STATUSCHAOS_ALLOWED_CONTEXTS). Anything else is a UserError (exit 2),
 * raised before the harness opens a single connection, so that it never runs against a
 * production cluster by accident.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { UserError, suggestion } from '../../errors/user-error.ts';
import type { BackendSettings } from '../backend.ts';

export interface KubeconfigTarget {
  /** absolute path of the kubeconfig file */
  file: string;
  context: string;
  /** the API server URL of that context */
  server: string;
}

/** The allow-list: the setting, else STATUSCHAOS_ALLOWED_CONTEXTS (comma-separated). */
export function allowedContexts(settings: Pick<BackendSettings, 'allowedContexts' | 'env'>): string[] {
  const list = settings.allowedContexts ?? (settings.env.STATUSCHAOS_ALLOWED_CONTEXTS ?? '').split(',');
  return list.map((name) => name.trim()).filter(Boolean);
}

/** Resolve and check the target; throws a UserError saying what is missing or not allowed. */
export function resolveKubeconfigTarget(settings: BackendSettings): KubeconfigTarget {
  if (settings.kubeconfig === undefined) {
    throw new UserError('the kubeconfig backend needs `--kubeconfig FILE` (or STATUSCHAOS_KUBECONFIG)', { hint: 'point it at a test cluster; it is never taken from $KUBECONFIG or ~/.kube/config implicitly' });
  }
  const file = resolve(settings.kubeconfig);
  const kubeConfig = new KubeConfig();
  try {
    kubeConfig.loadFromString(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new UserError(`cannot read the kubeconfig: ${reason}`, { location: { file }, hint: 'pass an existing kubeconfig file with --kubeconfig' });
  }
  const names = kubeConfig.getContexts().map((context) => context.name);
  const context = settings.context ?? (kubeConfig.getCurrentContext() || undefined);
  if (context === undefined) throw new UserError('the kubeconfig has no current context; name one with `--context`', { location: { file }, hint: `contexts in the file: ${names.join(', ') || 'none'}` });
  if (!names.includes(context)) throw new UserError(`the kubeconfig has no context \`${context}\``, { location: { file }, hint: suggestion(context, names) });
  const allowed = allowedContexts(settings);
  if (!allowed.includes(context)) {
    throw new UserError(`context \`${context}\` is not on the allow-list (${allowed.length === 0 ? 'the list is empty' : allowed.join(', ')}); the kubeconfig backend refuses clusters nobody allowed`, {
      location: { file },
      hint: `if \`${context}\` is a test cluster, allow it: --allowed-contexts ${context} (or STATUSCHAOS_ALLOWED_CONTEXTS=${context})`,
    });
  }
  kubeConfig.setCurrentContext(context);
  const server = kubeConfig.getCurrentCluster()?.server;
  if (server === undefined) throw new UserError(`context \`${context}\` names no cluster with a server`, { location: { file } });
  return { file, context, server };
}
