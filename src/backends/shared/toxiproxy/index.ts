/** Toxiproxy for live backends: the server process, the proxies and the faults applied through them. */
export { startToxiproxyServer, defaultToxiproxyBinary, type ToxiproxyServer, type StartToxiproxyServerOptions, type ServerExit } from './server.ts';
export { createProxySet } from './proxy-set.ts';
export type { ProxySet, ProxySetOptions, ProxyEndpoint, FaultHandle, FaultEvent, ApplyFaultOptions } from './proxy-set-types.ts';
export { type ActiveToxic } from './active-toxics.ts';
export { validateFault, toxicRequest, type ToxicRequest } from './toxic-request.ts';
export { FaultInjectionError } from './errors.ts';
